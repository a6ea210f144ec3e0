import { AsyncLocalStorage } from "node:async_hooks";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { ensureOwnerOnlyFile, tightenToOwnerOnly } from "@zs/core";
import knexFactory, { type Knex } from "knex";
import type { Database as SqliteDatabase } from "sqlite3";
import { cannotConnect, knexConfigFor, type SqlDialect } from "./database-url.js";
import { LATEST_MIGRATION } from "./migrations.js";
import type { PreparedRead } from "./prepared-read.js";
import { migrateSchema } from "./schema-migrator.js";
import { SqliteReadConnection } from "./sqlite-read-connection.js";
import { SqliteStatementCache } from "./sqlite-statement-cache.js";

/** What the pg driver's pool connections offer that `read` and `write` use. */
interface PostgresConnection {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/** Knex's pool, as `read` and `write` borrow connections from it (pg's on PostgreSQL, sqlite3's on SQLite). */
interface KnexClientPool {
  acquireConnection(): Promise<PostgresConnection & SqliteDatabase>;
  releaseConnection(connection: unknown): Promise<unknown>;
}

/**
 * A write's texts: knex's for a transaction, the driver's otherwise; with a `statementName`,
 * one run many times (prepared once), without, one run once.
 */
export type PreparedWrite = Pick<PreparedRead<unknown, unknown>, "knexSql" | "nativeSql"> & { statementName?: string };

/** Distinct write statements kept prepared on the SQLite pool connection. */
const SQLITE_PREPARED_WRITES = 64;

/** Knex's (tarn) connection pool, as `poolStats` reads it. */
interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

/** The connection pool right now (for metrics). */
export interface PoolStats {
  /** Connections lent out to a query or a transaction. */
  inUse: number;
  /** Connections open and waiting to be lent. */
  idle: number;
  /** Queries waiting for a connection. */
  pending: number;
}

/** How to open a `SqlDatabase`. */
export interface SqlDatabaseOptions {
  /**
   * On a SQLite file, serve prepared reads from a second, query-only connection with its
   * statements prepared once: in WAL mode it neither waits for the pool's writer nor blocks
   * it. Worth it in a long-running server; a short-lived process (a CLI command) saves the
   * cost of opening it (some 35 ms) by reading on the pool. No effect on PostgreSQL or an
   * in-memory database. @default false
   */
  readConnection?: boolean;
}

/**
 * One metadata database: its knex pool, its migrations, its deployment id, and the
 * transaction in progress. Whatever runs inside `transaction` — the repository and the `sql`
 * values store alike — uses that transaction, so metadata and values commit together.
 */
export class SqlDatabase {
  private readonly current = new AsyncLocalStorage<Knex.Transaction>();
  private sqliteReader: Promise<SqliteReadConnection> | undefined;
  /** Transactions in progress, joined ones not counted. */
  private openTransactions = 0;
  private closed = false;
  private readonly statementListeners = new Set<(sql: string) => void>();
  private readonly sqliteWrites = new SqliteStatementCache(SQLITE_PREPARED_WRITES);
  private readonly forwardKnexQuery = (query: { sql: string }) => {
    for (const listener of this.statementListeners) listener(query.sql);
  };

  private constructor(
    readonly knex: Knex,
    readonly dialect: SqlDialect,
    readonly deploymentId: string,
    /** The SQLite file prepared reads open a connection of their own to, if any. */
    private readonly readerFile?: string,
  ) {}

  /**
   * Connects, migrates, and makes sure the deployment id and workspace `default` exist. A
   * SQLite file is owner-only (`prepareSqliteFile`).
   */
  static async open(databaseUrl: string, options: SqlDatabaseOptions = {}): Promise<SqlDatabase> {
    const { dialect, config, filename } = knexConfigFor(databaseUrl);
    if (filename && filename !== ":memory:") await prepareSqliteFile(path.resolve(filename));
    const knex = knexFactory(config);
    try {
      const deploymentId = (await readyDeploymentId(knex)) ?? (await migrateSchema(knex, dialect));
      return new SqlDatabase(knex, dialect, deploymentId, options.readConnection && filename !== ":memory:" ? filename : undefined);
    } catch (error) {
      await knex.destroy();
      throw dialect === "postgres" ? cannotConnect(databaseUrl, error) : error;
    }
  }

  /** The transaction in progress in this async context, else the pool. */
  get executor(): Knex {
    return this.current.getStore() ?? this.knex;
  }

  /**
   * The rows of a prepared read. Inside a transaction it runs there, as any query; otherwise
   * on the quickest path: on PostgreSQL, a named statement on a pool connection (parsed once
   * per connection); on a SQLite file opened with `readConnection`, a connection of its own
   * with the statement prepared once; else on the pool.
   */
  async read<P, R>(prepared: PreparedRead<P, R>, parameters: P): Promise<R[]> {
    return (await this.readRows(prepared, prepared.bindings(parameters))) as R[];
  }

  /**
   * Runs a write statement whose text repeats (only its bindings change), in `transaction`
   * when given, else on the quickest path: on PostgreSQL a named statement on a pool
   * connection, on SQLite a statement prepared once on the pool's connection. Never joins the
   * transaction of the async context: a caller that wants one passes it.
   */
  async write(prepared: PreparedWrite, bindings: Knex.RawBinding[], transaction?: Knex.Transaction): Promise<void> {
    if (transaction) {
      await transaction.raw(prepared.knexSql, bindings);
      return;
    }
    for (const listener of this.statementListeners) listener(prepared.nativeSql);
    const pool = this.knex.client as KnexClientPool;
    const connection = await pool.acquireConnection();
    try {
      if (this.dialect === "postgres") {
        await connection.query({ ...(prepared.statementName === undefined ? {} : { name: prepared.statementName }), text: prepared.nativeSql, values: bindings });
      } else if (prepared.statementName === undefined) {
        await new Promise<void>((resolve, reject) => connection.run(prepared.nativeSql, bindings, (error: Error | null) => (error ? reject(error) : resolve())));
      } else {
        await this.sqliteWrites.run(connection, prepared.nativeSql, bindings);
      }
    } finally {
      await pool.releaseConnection(connection);
    }
  }

  /**
   * Calls `listener` with the SQL of every statement this database runs from now on — knex's
   * queries and prepared reads alike (which bypass knex) — until the returned function is
   * called. For tests and benchmarks that count a request's statements.
   */
  onStatement(listener: (sql: string) => void): () => void {
    if (this.statementListeners.size === 0) this.knex.on("query", this.forwardKnexQuery);
    this.statementListeners.add(listener);
    return () => {
      this.statementListeners.delete(listener);
      if (this.statementListeners.size === 0) this.knex.off("query", this.forwardKnexQuery);
    };
  }

  private async readRows(prepared: PreparedRead<unknown, unknown>, bindings: Knex.RawBinding[]): Promise<unknown[]> {
    const transaction = this.current.getStore();
    if (transaction) return rowsOf(await transaction.raw(prepared.knexSql, bindings));
    for (const listener of this.statementListeners) listener(prepared.nativeSql);
    if (this.dialect === "postgres") {
      const pool = this.knex.client as KnexClientPool;
      const connection = await pool.acquireConnection();
      try {
        return (await connection.query({ name: prepared.statementName, text: prepared.nativeSql, values: bindings })).rows;
      } finally {
        await pool.releaseConnection(connection);
      }
    }
    if (this.readerFile) return (await this.openSqliteReader(this.readerFile)).all(prepared.nativeSql, bindings);
    return rowsOf(await this.knex.raw(prepared.knexSql, bindings));
  }

  /**
   * Runs `work` in a transaction (or joins the one in progress). A transaction the database
   * aborted because another connection got in first (SQLite busy, PostgreSQL serialization
   * failure or deadlock) is run again, a bounded number of times.
   */
  async transaction<T>(work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    const ongoing = this.current.getStore();
    if (ongoing) return work(ongoing);
    this.openTransactions += 1;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.knex.transaction((trx) => this.current.run(trx, () => work(trx)));
        } catch (error) {
          if (!isTransientConflict(error) || attempt >= TRANSACTION_ATTEMPTS) throw error;
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
        }
      }
    } finally {
      // While a store is enabled, Node (20) runs a hook on every promise the process makes;
      // between transactions there is nothing to propagate. The next `run` enables it again.
      this.openTransactions -= 1;
      if (this.openTransactions === 0) this.current.disable();
    }
  }

  /** The pool's connections now; all zero once closed. */
  poolStats(): PoolStats {
    const pool = (this.knex.client as { pool?: TarnPool | null }).pool;
    if (!pool) return { inUse: 0, idle: 0, pending: 0 };
    return { inUse: pool.numUsed(), idle: pool.numFree(), pending: pool.numPendingAcquires() };
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
    const reader = this.sqliteReader;
    this.sqliteReader = undefined;
    await reader?.then((connection) => connection.close()).catch(() => undefined);
    await this.sqliteWrites.finalizeAll();
    await this.knex.destroy();
  }

  /** The read connection, opened on first use; a failed open is tried again next time. */
  private openSqliteReader(filename: string): Promise<SqliteReadConnection> {
    if (this.closed) throw new Error("The database is closed.");
    if (!this.sqliteReader) {
      const opening = SqliteReadConnection.open(filename);
      this.sqliteReader = opening;
      opening.catch(() => {
        if (this.sqliteReader === opening) this.sqliteReader = undefined;
      });
    }
    return this.sqliteReader;
  }
}

/**
 * Before SQLite opens `filename`: missing directories are created 0700 and a missing database
 * file 0600, since SQLite would create it 0644 (its -wal, -shm and -journal files then take the
 * database file's mode; SQLite sets it whatever the umask). The file holds every password and
 * token hash. A database (or one of those files) of ours left wider by an older zs is tightened
 * to owner-only. An existing directory is not changed here: only zs's data directory is
 * known to be zs's alone.
 */
async function prepareSqliteFile(filename: string): Promise<void> {
  await mkdir(path.dirname(filename), { recursive: true, mode: 0o700 });
  await ensureOwnerOnlyFile(filename);
  for (const suffix of ["-wal", "-shm", "-journal"]) await tightenToOwnerOnly(`${filename}${suffix}`);
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

/** The rows of a `knex.raw` result: an array on SQLite, the pg result's `rows` on PostgreSQL. */
function rowsOf(result: unknown): unknown[] {
  return Array.isArray(result) ? result : (result as { rows: unknown[] }).rows;
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
