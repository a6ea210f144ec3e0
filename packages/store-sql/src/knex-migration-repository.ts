import type { CopiedSecret, MigrationCounts, MigrationRepository, MigrationRow, SecretVersion } from "@zs/core";
import type { Knex } from "knex";
import { VALUES_STORE_RECORD } from "./knex-metadata-repository.js";
import { KnexReplicationRepository } from "./knex-replication-repository.js";
import { isUniqueViolation } from "./sql-database.js";

interface MigrationRecord {
  id: string;
  source_type: string;
  target_type: string;
  target_settings: string;
  status: MigrationRow["status"];
  started: number | string;
  finished: number | string | null;
  secrets: number | string | null;
}

/** The knex `MigrationRepository`: migrations, their per-secret progress and the values store record. */
export class KnexMigrationRepository extends KnexReplicationRepository implements MigrationRepository {
  async readValuesStoreRecord(): Promise<string | undefined> {
    return this.database.getMeta(VALUES_STORE_RECORD);
  }

  async adoptValuesStoreRecord(text: string): Promise<string> {
    await this.database.setMeta(VALUES_STORE_RECORD, text, { onlyIfAbsent: true });
    return (await this.database.getMeta(VALUES_STORE_RECORD))!;
  }

  /** Replaces the record outright (a database without secrets following its configuration). */
  async replaceValuesStoreRecord(text: string): Promise<void> {
    await this.database.setMeta(VALUES_STORE_RECORD, text);
  }

  async insertMigration(row: MigrationRow): Promise<"inserted" | "running"> {
    try {
      // Copies recorded by a run that went on after its migration was aborted.
      await this.database
        .executor("values_migration_progress")
        .whereNotIn("migration_id", this.database.executor("values_migrations").where({ status: "running" }).select("id"))
        .delete();
      await this.database.executor("values_migrations").insert({
        id: row.id,
        source_type: row.sourceType,
        target_type: row.targetType,
        target_settings: JSON.stringify(row.targetSettings),
        status: row.status,
        started: row.started,
      });
      return "inserted";
    } catch (error) {
      if (isUniqueViolation(error)) return "running";
      throw error;
    }
  }

  async runningMigration(): Promise<MigrationRow | undefined> {
    const record: MigrationRecord | undefined = await this.database.executor("values_migrations").where({ status: "running" }).first();
    return record && toMigrationRow(record);
  }

  async latestMigration(): Promise<MigrationRow | undefined> {
    const record: MigrationRecord | undefined = await this.database.executor("values_migrations").orderBy("started", "desc").first();
    return record && toMigrationRow(record);
  }

  async staleSecrets(migrationId: string, afterId: string | undefined, limit: number): Promise<SecretVersion[]> {
    const query = this.stale(migrationId).orderBy("s.id").limit(limit).select("s.id", "s.version");
    if (afterId !== undefined) query.where("s.id", ">", afterId);
    return (await query).map((row: { id: string; version: number | string }) => ({ id: row.id, version: Number(row.version) }));
  }

  async removedSecrets(migrationId: string, limit: number): Promise<string[]> {
    return (await this.removed(migrationId).limit(limit).pluck("p.secret_id")) as string[];
  }

  async recordCopied(migrationId: string, secrets: readonly CopiedSecret[]): Promise<void> {
    if (secrets.length === 0) return;
    await this.database.transaction(async (trx) => {
      await trx("values_migration_progress")
        .insert(secrets.map((secret) => ({ migration_id: migrationId, secret_id: secret.id, version: secret.version })))
        .onConflict(["migration_id", "secret_id"])
        .merge(["version"]);
      // A secret copied again replaces what its earlier copy wrote.
      await trx("values_migration_versions")
        .where({ migration_id: migrationId })
        .whereIn("secret_id", secrets.map((secret) => secret.id))
        .delete();
      const written = secrets.flatMap((secret) =>
        (secret.writtenVersions ?? []).map(({ version, backendVersion }) => ({ migration_id: migrationId, secret_id: secret.id, version, backend_version: backendVersion! })),
      );
      if (written.length > 0) await trx("values_migration_versions").insert(written);
    });
  }

  async forgetCopied(migrationId: string, secretId: string): Promise<void> {
    await this.database.transaction(async (trx) => {
      await trx("values_migration_progress").where({ migration_id: migrationId, secret_id: secretId }).delete();
      await trx("values_migration_versions").where({ migration_id: migrationId, secret_id: secretId }).delete();
    });
  }

  async counts(migrationId: string): Promise<MigrationCounts> {
    const executor = this.database.executor;
    const [row] = await executor.select({
      total: executor("secrets").count("*"),
      done: executor("secrets as s")
        .join("values_migration_progress as p", (join) => join.on("p.secret_id", "s.id").andOn("p.version", "s.version"))
        .where("p.migration_id", migrationId)
        .count("*"),
    });
    return { total: Number(row.total), done: Number(row.done) };
  }

  holdingWriters<T>(work: () => Promise<T>): Promise<T> {
    return this.database.transaction(async (trx) => {
      // Exclusive: every writer holds the record shared until it commits. SQLite has one writer
      // at a time: a first write takes that place at once, before anything is read.
      const record = trx("zs_meta").where({ key: VALUES_STORE_RECORD });
      await (this.database.dialect === "postgres" ? record.first("value").forUpdate() : record.update({ value: trx.ref("value") }));
      return work();
    });
  }

  async isRunning(migrationId: string): Promise<boolean> {
    return (await this.database.executor("values_migrations").where({ id: migrationId, status: "running" }).first("id")) !== undefined;
  }

  async completeMigration(migrationId: string, record: string, finished: number, options: { forgetKeptVersions?: boolean } = {}): Promise<void> {
    await this.database.transaction(async (trx) => {
      if (options.forgetKeptVersions) {
        await trx("secret_history").where({ values_written: true, values_moved: false }).update({ backend_version: null, values_moved: true });
      }
      // What the copies wrote into the target, each under the version that wrote it, stays readable.
      await trx("secret_history")
        .update({
          backend_version: trx("values_migration_versions as w")
            .where("w.migration_id", migrationId)
            .whereRaw("w.secret_id = secret_history.secret_id and w.version = secret_history.version")
            .select("w.backend_version"),
          values_moved: false,
        })
        .whereExists(
          trx("values_migration_versions as w")
            .where("w.migration_id", migrationId)
            .whereRaw("w.secret_id = secret_history.secret_id and w.version = secret_history.version")
            .select(trx.raw("1")),
        );
      if (options.forgetKeptVersions) {
        // Whichever side the sql store was on, the versions it kept that history no longer names
        // are unreachable: drop them, so that they never take the place of newer ones within the retention.
        await trx("secret_value_versions as v")
          .whereNotExists(
            trx("secret_history as h")
              .whereRaw("h.secret_id = v.secret_id and h.backend_version = cast(v.version as text) || ':' || v.write_id")
              .select(trx.raw("1")),
          )
          .delete();
      }
      const copied = await countCopied(trx, migrationId);
      await trx("zs_meta").insert({ key: VALUES_STORE_RECORD, value: record }).onConflict("key").merge();
      await trx("values_migrations").where({ id: migrationId }).update({ status: "completed", finished, secrets: copied });
      await trx("values_migration_progress").where({ migration_id: migrationId }).delete();
      await trx("values_migration_versions").where({ migration_id: migrationId }).delete();
    });
  }

  async abortMigration(migrationId: string, finished: number): Promise<void> {
    await this.database.transaction(async (trx) => {
      const copied = await countCopied(trx, migrationId);
      await trx("values_migrations").where({ id: migrationId, status: "running" }).update({ status: "aborted", finished, secrets: copied });
      await trx("values_migration_progress").where({ migration_id: migrationId }).delete();
      await trx("values_migration_versions").where({ migration_id: migrationId }).delete();
    });
  }

  /** Secrets without a copy at their current version. */
  private stale(migrationId: string): Knex.QueryBuilder {
    const db = this.database.executor;
    return db("secrets as s")
      .leftJoin("values_migration_progress as p", (join) => join.on("p.secret_id", "s.id").andOn("p.migration_id", db.raw("?", [migrationId])))
      .where((where) => where.whereNull("p.secret_id").orWhereRaw("p.version <> s.version"));
  }

  /** Copies of secrets deleted since. */
  private removed(migrationId: string): Knex.QueryBuilder {
    const db = this.database.executor;
    return db("values_migration_progress as p")
      .where("p.migration_id", migrationId)
      .whereNotExists(db("secrets as s").whereRaw("s.id = p.secret_id").select(db.raw("1")));
  }
}

async function countCopied(db: Knex, migrationId: string): Promise<number> {
  const [row] = await db("values_migration_progress").where({ migration_id: migrationId }).count({ copied: "*" });
  return Number(row?.copied ?? 0);
}

function toMigrationRow(record: MigrationRecord): MigrationRow {
  return {
    id: record.id,
    sourceType: record.source_type,
    targetType: record.target_type,
    targetSettings: JSON.parse(record.target_settings) as Record<string, string>,
    status: record.status,
    started: Number(record.started),
    finished: record.finished === null ? undefined : Number(record.finished),
    secrets: record.secrets === null ? undefined : Number(record.secrets),
  };
}
