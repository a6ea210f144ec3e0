import type { CredentialKind, CredentialRepository, CredentialRow, User } from "@zs/core";
import { toUser } from "./knex-metadata-repository.js";
import { prepareRead, type PreparedRead } from "./prepared-read.js";
import type { SqlDatabase } from "./sql-database.js";

interface CredentialRecord {
  id: string;
  user_id: string;
  kind: string;
  name: string | null;
  token_hash: string;
  created: number | string;
  expires: number | string | null;
  last_used: number | string | null;
}

const CREDENTIAL_COLUMNS = ["c.id", "c.user_id", "c.kind", "c.name", "c.token_hash", "c.created", "c.expires", "c.last_used"];

function toCredential(record: CredentialRecord): CredentialRow {
  const optionalNumber = (value: number | string | null) => (value === null ? null : Number(value));
  return {
    id: record.id,
    userId: record.user_id,
    kind: record.kind as CredentialKind,
    name: record.name,
    tokenHash: record.token_hash,
    created: Number(record.created),
    expires: optionalNumber(record.expires),
    lastUsed: optionalNumber(record.last_used),
  };
}

/** The knex `CredentialRepository`: password hashes on `users`, tokens in `credentials`. */
export class KnexCredentialRepository implements CredentialRepository {
  /** Every authenticated request's lookup. */
  private readonly credentialByTokenHash: PreparedRead<{ tokenHash: string }, CredentialRecord & { user_name: string; is_admin: boolean | number; user_created: number | string }>;

  constructor(private readonly database: SqlDatabase) {
    this.credentialByTokenHash = prepareRead((parameter) =>
      database
        .knex({ c: "credentials" })
        .join({ u: "users" }, "u.id", "c.user_id")
        .where("c.token_hash", parameter("tokenHash"))
        .first([...CREDENTIAL_COLUMNS, "u.name as user_name", "u.is_admin", "u.created as user_created"]),
    );
  }

  private get db() {
    return this.database.executor;
  }

  async findUserWithPassword(name: string): Promise<{ user: User; passwordHash: string | null } | undefined> {
    const record = await this.db("users").where({ name }).first("id", "name", "is_admin", "created", "password_hash");
    return record ? { user: toUser(record), passwordHash: record.password_hash ?? null } : undefined;
  }

  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    await this.db("users").where({ id: userId }).update({ password_hash: passwordHash });
  }

  async countUsers(): Promise<number> {
    const row = await this.db("users").count({ count: "*" }).first();
    return Number(row?.count ?? 0);
  }

  async insertCredential(row: CredentialRow): Promise<void> {
    await this.db("credentials").insert({
      id: row.id,
      user_id: row.userId,
      kind: row.kind,
      name: row.name,
      token_hash: row.tokenHash,
      created: row.created,
      expires: row.expires,
      last_used: row.lastUsed,
    });
  }

  async findCredential(tokenHash: string): Promise<{ credential: CredentialRow; user: User } | undefined> {
    const [record] = await this.database.read(this.credentialByTokenHash, { tokenHash });
    if (!record) return undefined;
    return {
      credential: toCredential(record),
      user: toUser({ id: record.user_id, name: record.user_name, is_admin: record.is_admin, created: record.user_created }),
    };
  }

  async listCredentials(userId: string, kind: CredentialKind): Promise<CredentialRow[]> {
    const records = await this.db({ c: "credentials" }).where({ "c.user_id": userId, "c.kind": kind }).orderBy(["c.created", "c.id"]).select(CREDENTIAL_COLUMNS);
    return records.map(toCredential);
  }

  async deleteCredential(userId: string, id: string): Promise<boolean> {
    return (await this.db("credentials").where({ id, user_id: userId }).delete()) > 0;
  }

  async deleteSessions(userId: string, exceptId?: string): Promise<number> {
    const sessions = this.db("credentials").where({ user_id: userId, kind: "session" });
    return (exceptId === undefined ? sessions : sessions.whereNot({ id: exceptId })).delete();
  }

  async touchCredential(id: string, when: number): Promise<void> {
    await this.db("credentials").where({ id }).update({ last_used: when });
  }

  async deleteExpiredCredentials(now: number): Promise<number> {
    return this.db("credentials").where("expires", "<=", now).delete();
  }
}
