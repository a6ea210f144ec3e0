import type { User } from "./account-schema.js";

/** A session token from a login, or a long-lived API key. */
export type CredentialKind = "session" | "api_key";

/** A stored credential: only the SHA-256 of its token is kept, never the token. */
export interface CredentialRow {
  id: string;
  userId: string;
  kind: CredentialKind;
  /** The API key's name; `null` for sessions. */
  name: string | null;
  /** Hex SHA-256 of the token. */
  tokenHash: string;
  /** Epoch milliseconds. */
  created: number;
  /** Epoch milliseconds; `null` never expires. */
  expires: number | null;
  lastUsed: number | null;
}

/** Passwords and credentials of users (`@zs/store-sql`); the server owns their semantics. */
export interface CredentialRepository {
  /** The user of that name and their password hash (`null`: no password set). */
  findUserWithPassword(name: string): Promise<{ user: User; passwordHash: string | null } | undefined>;
  setPasswordHash(userId: string, passwordHash: string): Promise<void>;
  /** How many users exist (the server creates its first admin when there are none). */
  countUsers(): Promise<number>;
  insertCredential(row: CredentialRow): Promise<void>;
  /** The credential with that token hash and its user, in one query. */
  findCredential(tokenHash: string): Promise<{ credential: CredentialRow; user: User } | undefined>;
  listCredentials(userId: string, kind: CredentialKind): Promise<CredentialRow[]>;
  /** Deletes the user's credential; `false` when they have none with that id. */
  deleteCredential(userId: string, id: string): Promise<boolean>;
  /** Deletes the user's sessions but `exceptId` (the one a request presents); how many. */
  deleteSessions(userId: string, exceptId?: string): Promise<number>;
  /** Records a use; callers throttle how often. */
  touchCredential(id: string, when: number): Promise<void>;
  /** Removes credentials whose expiry is at or before `now`; how many. */
  deleteExpiredCredentials(now: number): Promise<number>;
}
