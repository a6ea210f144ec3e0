import { randomUUID } from "node:crypto";
import {
  ZsError,
  hasErrorCode,
  nameSchema,
  parseInput,
  type Caller,
  type CredentialKind,
  type CredentialRepository,
  type CredentialRow,
  type SecretsService,
  type User,
} from "@zs/core";
import * as z from "zod";
import { generatePassword, hashPassword, verifyPassword } from "./passwords.js";
import { generateToken, hashToken, looksLikeToken, sameHash } from "./tokens.js";

/** Session tokens live this long (security.md: 24 h by default). */
export const SESSION_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** A credential's last use is written at most this often, not on every request. */
const TOUCH_INTERVAL_MS = 60 * 1000;

export const passwordSchema = z
  .string()
  .min(8, { error: "must be at least 8 characters" })
  .max(1024, { error: "must be at most 1024 characters" });

/** An API key as listed: never the key itself. */
export interface ApiKeyInfo {
  id: string;
  name: string;
  created: string;
  lastUsed: string | null;
}

/** Who a valid token belongs to. */
export interface Authenticated {
  user: User;
  credentialId: string;
}

const unauthenticated = () => new ZsError("UNAUTHENTICATED", "Missing, invalid, expired or revoked credentials; log in again or use a valid API key.");

function toApiKeyInfo(row: CredentialRow): ApiKeyInfo {
  return {
    id: row.id,
    name: row.name ?? "",
    created: new Date(row.created).toISOString(),
    lastUsed: row.lastUsed === null ? null : new Date(row.lastUsed).toISOString(),
  };
}

/**
 * Passwords, sessions and API keys. Tokens are random, stored only as SHA-256 hashes and
 * compared in constant time; passwords are scrypt hashes with a salt per user.
 */
export class AuthService {
  constructor(
    private readonly credentials: CredentialRepository,
    private readonly secrets: SecretsService,
    private readonly now: () => number = Date.now,
  ) {}

  /** A session token for that user name and password; `UNAUTHENTICATED` otherwise, never saying which was wrong. */
  async login(name: string, password: string): Promise<{ token: string; expiresInSeconds: number }> {
    const found = await this.credentials.findUserWithPassword(name);
    // Always hash, so an unknown name takes as long as a wrong password.
    const valid = await verifyPassword(password, found?.passwordHash);
    if (!found || !valid) throw new ZsError("UNAUTHENTICATED", "Wrong user name or password.");
    const { token } = await this.issue(found.user.id, "session", null, this.now() + SESSION_LIFETIME_MS);
    return { token, expiresInSeconds: SESSION_LIFETIME_MS / 1000 };
  }

  /** The user a bearer token belongs to; `UNAUTHENTICATED` for anything else. */
  async authenticate(token: string): Promise<Authenticated> {
    if (!looksLikeToken(token)) throw unauthenticated();
    const tokenHash = hashToken(token);
    const found = await this.credentials.findCredential(tokenHash);
    const now = this.now();
    if (!found || !sameHash(found.credential.tokenHash, tokenHash)) throw unauthenticated();
    if (found.credential.expires !== null && found.credential.expires <= now) throw unauthenticated();
    if (found.credential.lastUsed === null || now - found.credential.lastUsed > TOUCH_INTERVAL_MS) {
      await this.credentials.touchCredential(found.credential.id, now);
    }
    return { user: found.user, credentialId: found.credential.id };
  }

  /** Revokes the credential a request was made with. */
  async logout(authenticated: Authenticated): Promise<void> {
    await this.credentials.deleteCredential(authenticated.user.id, authenticated.credentialId);
  }

  /** An admin creates a user with a password. */
  async createUser(caller: Caller, input: { name: string; password: string; isAdmin?: boolean }): Promise<User> {
    const password = parseInput(passwordSchema, input.password, "password");
    const passwordHash = await hashPassword(password);
    const user = await this.secrets.createUser(caller, { name: input.name, isAdmin: input.isAdmin ?? false });
    await this.credentials.setPasswordHash(user.id, passwordHash);
    return user;
  }

  /**
   * On a server without users, creates the admin; returns its password when it was generated
   * (to be shown once), `undefined` when given or when users already exist. Several instances
   * starting together create it once.
   */
  async bootstrapAdmin(name: string, password: string | undefined): Promise<{ created: boolean; generatedPassword?: string }> {
    if ((await this.credentials.countUsers()) > 0) return { created: false };
    const chosen = password ?? generatePassword();
    const passwordHash = await hashPassword(parseInput(passwordSchema, chosen, "ZS_ADMIN_PASSWORD"));
    // The server itself acts, with an admin's rights, before any user exists.
    const server: Caller = { userId: "", userName: "zs-server", isAdmin: true, workspace: "default" };
    try {
      const user = await this.secrets.createUser(server, { name: parseInput(nameSchema, name, "ZS_ADMIN_USERNAME"), isAdmin: true });
      await this.credentials.setPasswordHash(user.id, passwordHash);
    } catch (error) {
      // Another instance created the first user meanwhile.
      if (hasErrorCode(error, "USER_EXISTS")) return { created: false };
      throw error;
    }
    return password === undefined ? { created: true, generatedPassword: chosen } : { created: true };
  }

  /** A new API key for the caller: the key is returned only here. */
  async createApiKey(caller: Caller, name: string): Promise<ApiKeyInfo & { key: string }> {
    parseInput(nameSchema, name, "API key name");
    const { token, row } = await this.issue(caller.userId, "api_key", name, null);
    return { ...toApiKeyInfo(row), key: token };
  }

  async listApiKeys(caller: Caller): Promise<ApiKeyInfo[]> {
    return (await this.credentials.listCredentials(caller.userId, "api_key")).map(toApiKeyInfo);
  }

  /** Deletes one of the caller's API keys; another user's key does not exist for them. */
  async deleteApiKey(caller: Caller, id: string): Promise<void> {
    if (!(await this.credentials.deleteCredential(caller.userId, id))) {
      throw new ZsError("NOT_FOUND", `You have no API key with id '${id}'.`);
    }
  }

  /** Removes expired sessions; returns how many. */
  purgeExpired(): Promise<number> {
    return this.credentials.deleteExpiredCredentials(this.now());
  }

  private async issue(userId: string, kind: CredentialKind, name: string | null, expires: number | null): Promise<{ token: string; row: CredentialRow }> {
    const token = generateToken(kind);
    const row: CredentialRow = { id: randomUUID(), userId, kind, name, tokenHash: hashToken(token), created: this.now(), expires, lastUsed: null };
    await this.credentials.insertCredential(row);
    return { token, row };
  }
}
