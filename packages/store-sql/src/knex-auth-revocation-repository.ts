import type { SqlDatabase } from "./sql-database.js";

/**
 * The SQLite revocation epoch (migration `008_auth_revocation`): moved by the database's
 * triggers whenever a credential is deleted or a user deleted, demoted or given a new
 * password, by whichever process. A server polls it to forget cached authentications that
 * another process on the same file revoked. PostgreSQL announces revocations with
 * `NOTIFY zs_auth` instead and has no epoch.
 */
export class KnexAuthRevocationRepository {
  constructor(private readonly database: SqlDatabase) {}

  /** Whether this database keeps an epoch (SQLite) rather than notifying (PostgreSQL). */
  get hasEpoch(): boolean {
    return this.database.dialect === "sqlite";
  }

  /** The current epoch: any change means some access was revoked since it was last read. */
  async readEpoch(): Promise<number> {
    const row = await this.database.knex("auth_revocation").where({ id: 1 }).first("epoch");
    return Number(row?.epoch ?? 0);
  }
}
