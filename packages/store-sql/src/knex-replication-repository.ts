import type { ReplicationRepository, SecretVersion, ValuesWrite } from "@zs/core";
import type { SqlDatabase } from "./sql-database.js";

/** The knex `ReplicationRepository`: what the backup repair and the copy commands read and clear. */
export class KnexReplicationRepository implements ReplicationRepository {
  constructor(protected readonly database: SqlDatabase) {}

  async secretVersions(afterId: string | undefined, limit: number): Promise<SecretVersion[]> {
    const query = this.database.executor("secrets").orderBy("id").limit(limit).select("id", "version");
    if (afterId !== undefined) query.where("id", ">", afterId);
    return (await query).map(toSecretVersion);
  }

  async pendingBackupWrites(limit: number): Promise<SecretVersion[]> {
    return (await this.database.executor("secrets").where({ backup_pending: true }).orderBy("id").limit(limit).select("id", "version")).map(toSecretVersion);
  }

  async pendingBackupDeletes(limit: number): Promise<string[]> {
    return (await this.database.executor("backup_pending_deletes").orderBy("marked").limit(limit).pluck("secret_id")) as string[];
  }

  async countBackupPending(): Promise<number> {
    const executor = this.database.executor;
    const [row] = await executor.select({
      writes: executor("secrets").where({ backup_pending: true }).count("*"),
      deletes: executor("backup_pending_deletes").count("*"),
    });
    return Number(row.writes) + Number(row.deletes);
  }

  async clearBackupPending(secretId: string, version: number): Promise<void> {
    await this.database.executor("secrets").where({ id: secretId, version }).update({ backup_pending: false });
  }

  async clearBackupDelete(secretId: string): Promise<void> {
    await this.database.executor("backup_pending_deletes").where({ secret_id: secretId }).delete();
  }

  async valuesWrites(secretId: string, newest: number): Promise<ValuesWrite[]> {
    const rows: { version: number | string; backend_version: string | null }[] = await this.database
      .executor("secret_history")
      .where({ secret_id: secretId, values_written: true, values_moved: false })
      .orderBy("version", "desc")
      .limit(newest)
      .select("version", "backend_version");
    return rows.reverse().map((row) => ({ version: Number(row.version), ...(row.backend_version === null ? {} : { backendVersion: row.backend_version }) }));
  }

  async recordBackendVersions(secretId: string, versions: readonly ValuesWrite[]): Promise<void> {
    await this.database.transaction(async (trx) => {
      for (const { version, backendVersion } of versions) {
        await trx("secret_history").where({ secret_id: secretId, version }).update({ backend_version: backendVersion ?? null });
      }
    });
  }
}

function toSecretVersion(row: { id: string; version: number | string }): SecretVersion {
  return { id: row.id, version: Number(row.version) };
}
