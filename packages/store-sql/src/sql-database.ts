import { AsyncLocalStorage } from "node:async_hooks";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import knexFactory, { type Knex } from "knex";
import { knexConfigFor, type SqlDialect } from "./database-url.js";
import { LATEST_MIGRATION } from "./migrations.js";
import { migrateSchema } from "./schema-migrator.js";

/**
 * One metadata database: its knex pool, its migrations, its deployment id, and the
 * transaction in progress. Whatever runs inside `transaction` — the repository and the `sql`
 * values store alike — uses that transaction, so metadata and values commit together.
 */
export class SqlDatabase {
  private readonly current = new AsyncLocalStorage<Knex.Transaction>();
  private closed = false;

  private constructor(
    readonly knex: Knex,
    readonly dialect: SqlDialect,
    readonly deploymentId: string,
  ) {}

  /** Connects, migrates, and makes sure the deployment id and workspace `default` exist. */
  static async open(databaseUrl: string): Promise<SqlDatabase> {
    const { dialect, config, filename } = knexConfigFor(databaseUrl);
    if (filename && filename !== ":memory:") await mkdir(path.dirname(path.resolve(filename)), { recursive: true });
    const knex = knexFactory(config);
    try {
      const ready = await readyDeploymentId(knex);
      if (ready) return new SqlDatabase(knex, dialect, ready);
      return new SqlDatabase(knex, dialect, await migrateSchema(knex, dialect));
    } catch (error) {
      await knex.destroy();
      throw error;
    }
  }

  /** The transaction in progress in this async context, else the pool. */
  get executor(): Knex {
    return this.current.getStore() ?? this.knex;
  }

  /**
   * Runs `work` in a transaction (or joins the one in progress). A transaction the database
   * aborted because another connection got in first (SQLite busy, PostgreSQL serialization
   * failure or deadlock) is run again, a bounded number of times.
   */
  async transaction<T>(work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    const ongoing = this.current.getStore();
    if (ongoing) return work(ongoing);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.knex.transaction((trx) => this.current.run(trx, () => work(trx)));
      } catch (error) {
        if (!isTransientConflict(error) || attempt >= TRANSACTION_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
      }
    }
  }

  /** Reads a value of the `zs_meta` table. */
  async getMeta(key: string): Promise<string | undefined> {
    const row = await this.executor("zs_meta").where({ key }).first("value");
    return row ? String(row.value) : undefined;
  }

  /** Writes a value of the `zs_meta` table; with `onlyIfAbsent`, an existing value wins. */
  async setMeta(key: string, value: string, options: { onlyIfAbsent?: boolean } = {}): Promise<void> {
    const insert = this.executor("zs_meta").insert({ key, value }).onConflict("key");
    await (options.onlyIfAbsent ? insert.ignore() : insert.merge());
  }

  /** Closes the pool; calling it again is harmless. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.knex.destroy();
  }
}

/**
 * The deployment id of a database that is already fully set up (its schema at the latest
 * migration), in one query; `undefined` when it needs migrating or does not exist yet. Saves
 * the migrator's round trips on every start of a short-lived CLI process.
 */
async function readyDeploymentId(knex: Knex): Promise<string | undefined> {
  let rows: { key: string; value: string }[];
  try {
    rows = await knex("zs_meta").whereIn("key", ["schema", "deployment_id"]).select("key", "value");
  } catch {
    return undefined;
  }
  const value = (key: string) => rows.find((row) => row.key === key)?.value;
  return value("schema") === LATEST_MIGRATION ? value("deployment_id") : undefined;
}

const TRANSACTION_ATTEMPTS = 20;

/** True when the database gave up a transaction only because of a concurrent one. */
function isTransientConflict(error: unknown): boolean {
  // The conflict may arrive wrapped, e.g. as the cause of a values-store failure.
  for (let cause = error as { code?: string; cause?: unknown } | undefined; cause; cause = cause.cause as typeof cause) {
    if (cause.code === "SQLITE_BUSY" || cause.code === "40001" || cause.code === "40P01") return true;
  }
  return false;
}

/** True when `error` is a unique-constraint violation on either database. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === "23505" || (e?.code === "SQLITE_CONSTRAINT" && /UNIQUE/.test(e.message ?? ""));
}
