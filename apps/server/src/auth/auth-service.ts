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
import type { AuthCache } from "./auth-cache.js";
import type { AdmittedLogin, LoginThrottle } from "./login-throttle.js";
import { PasswordHashingQueue } from "./password-hashing-queue.js";
import { DEFAULT_SCRYPT_COST, checkPassword, generatePassword, hashPassword, type ScryptCost } from "./passwords.js";
import { generateToken, hashToken, looksLikeToken, sameHash } from "./tokens.js";

/** Session tokens live this long (security.md: 24 h by default). */
export const SESSION_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** A credential's last use is written at most this often, not on every request. */
const TOUCH_INTERVAL_MS = 60 * 1000;

export const passwordSchema = z
  .string()
  .min(8, { error: "must be at least 8 characters" })
  .max(1024, { error: "must be at most 1024 characters" });

const DURATION_UNITS_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const MAX_API_KEY_LIFETIME_MS = 3650 * DURATION_UNITS_MS.d;

/** An API key's lifetime: a whole number of minutes, hours or days (`90d`, `12h`, `30m`), at most 10 years; in milliseconds. */
export const apiKeyLifetimeSchema = z
  .string()
  .regex(/^[1-9]\d{0,6}[mhd]$/, { error: "must be a whole number followed by m, h or d, e.g. 90d" })
  .transform((text) => Number(text.slice(0, -1)) * DURATION_UNITS_MS[text.slice(-1) as keyof typeof DURATION_UNITS_MS])
  .refine((ms) => ms <= MAX_API_KEY_LIFETIME_MS, { error: "must be at most 3650d" })
  // The same rule as one pattern, for the OpenAPI document: 1-5256000m, 1-87600h or 1-3650d.
  .meta({
    pattern:
      "^(?:(?:[1-9]\\d{0,5}|[1-4]\\d{6}|5[01]\\d{5}|52[0-4]\\d{4}|525[0-5]\\d{3}|5256000)m|(?:[1-9]\\d{0,3}|[1-7]\\d{4}|8[0-6]\\d{3}|87[0-5]\\d{2}|87600)h|(?:[1-9]\\d{0,2}|[12]\\d{3}|3[0-5]\\d{2}|36[0-4]\\d|3650)d)$",
  });

/** An API key as listed: never the key itself. */
export interface ApiKeyInfo {
  id: string;
  name: string;
  created: string;
  lastUsed: string | null;
  /** `null`: never expires. */
  expires: string | null;
}

/** Who a valid token belongs to, and which kind of credential it is. */
export interface Authenticated {
  user: User;
  credentialId: string;
  kind: CredentialKind;
  /** When the credential stops working (ms since the epoch); null: never. */
  expires: number | null;
}

/** How the service hashes passwords. */
export interface AuthServiceOptions {
  throttle: LoginThrottle;
  /** @default a queue sized for this machine */
  hashing?: PasswordHashingQueue;
  /** New hashes' cost; stored hashes below it are redone at the next login. @default N=2^17, r=8, p=1 */
  passwordCost?: ScryptCost;
  /**
   * Verified tokens kept between requests; every revocation made here evicts from it at once.
   * @default none: every request asks the database
   */
  cache?: AuthCache;
  now?: () => number;
}

const unauthenticated = () => new ZsError("UNAUTHENTICATED", "Missing, invalid, expired or revoked credentials; log in again or use a valid API key.");

function toApiKeyInfo(row: CredentialRow): ApiKeyInfo {
  return {
    id: row.id,
    name: row.name ?? "",
    created: new Date(row.created).toISOString(),
    lastUsed: row.lastUsed === null ? null : new Date(row.lastUsed).toISOString(),
    expires: row.expires === null ? null : new Date(row.expires).toISOString(),
  };
}

/** The server itself, acting with an admin's rights: before any user exists, and in recovery. */
const SERVER_CALLER: Caller = { userId: "", userName: "zs-server", isAdmin: true, workspace: "default" };

const onlySessions = (action: string) =>
  new ZsError("FORBIDDEN", `An API key cannot ${action} API keys; log in with a user name and password (zs connect --username) to do it.`);

/**
 * Passwords, sessions and API keys. Tokens are random, stored only as SHA-256 hashes and
 * compared in constant time; passwords are scrypt hashes with a salt per user, checked only
 * after the login throttle has counted the attempt, and hashed in a bounded queue.
 */
export class AuthService {
  private readonly throttle: LoginThrottle;
  readonly hashing: PasswordHashingQueue;
  private readonly passwordCost: ScryptCost;
  private readonly now: () => number;
  private readonly cache: AuthCache | undefined;

  constructor(
    private readonly credentials: CredentialRepository,
    private readonly secrets: SecretsService,
    options: AuthServiceOptions,
  ) {
    this.throttle = options.throttle;
    this.hashing = options.hashing ?? new PasswordHashingQueue();
    this.passwordCost = options.passwordCost ?? DEFAULT_SCRYPT_COST;
    this.now = options.now ?? Date.now;
    this.cache = options.cache;
  }

  /**
   * A session token for that user name and password, tried from `address`; `UNAUTHENTICATED`
   * otherwise, never saying which was wrong; `RATE_LIMITED` while the throttle delays this
   * user from this address, or when too many passwords are being checked at once.
   */
  async login(name: string, password: string, address: string): Promise<{ token: string; expiresInSeconds: number; user: User }> {
    const user = await this.checkLogin(name, password, address);
    if (!user) throw new ZsError("UNAUTHENTICATED", "Wrong user name or password.");
    const { token } = await this.issue(user.id, "session", null, this.now() + SESSION_LIFETIME_MS);
    return { token, expiresInSeconds: SESSION_LIFETIME_MS / 1000, user };
  }

  /**
   * Changes the caller's own password, given the current one (throttled like a login), and
   * revokes the caller's other sessions; the one presented stays valid.
   */
  async changePassword(authenticated: Authenticated, input: { currentPassword: string; newPassword: string }, address: string): Promise<void> {
    const newPassword = parseInput(passwordSchema, input.newPassword, "new_password");
    const user = await this.checkLogin(authenticated.user.name, input.currentPassword, address);
    if (!user) throw new ZsError("FORBIDDEN", "The current password is wrong.");
    await this.credentials.setPasswordHash(user.id, await this.hashNow(newPassword));
    await this.credentials.deleteSessions(user.id, authenticated.credentialId);
    this.cache?.revokeUser(user.id);
  }

  /** An admin sets another user's password; that user's sessions are revoked (but the one presented). */
  async resetPassword(caller: Caller, authenticated: Authenticated, name: string, newPassword: string): Promise<void> {
    if (!caller.isAdmin) throw new ZsError("FORBIDDEN", "Only admins may set other users' passwords.");
    const password = parseInput(passwordSchema, newPassword, "password");
    const found = await this.credentials.findUserWithPassword(parseInput(nameSchema, name, "user name"));
    if (!found) throw new ZsError("USER_NOT_FOUND", `No user named '${name}'.`);
    await this.credentials.setPasswordHash(found.user.id, await this.hashNow(password));
    await this.credentials.deleteSessions(found.user.id, authenticated.credentialId);
    this.cache?.revokeUser(found.user.id);
  }

  /**
   * The user whose name and password these are, or `undefined`. The attempt is counted by the
   * throttle before the password is hashed, and forgiven when it matched; a hash below the
   * current cost is redone. Takes a place in the hashing queue first, so a flood is refused
   * before any database work.
   */
  private async checkLogin(name: string, password: string, address: string): Promise<User | undefined> {
    const ticket = this.hashing.take();
    let found: { user: User; passwordHash: string | null } | undefined;
    let admitted: AdmittedLogin;
    try {
      admitted = await this.throttle.admit(name, address);
      found = await this.credentials.findUserWithPassword(name);
    } catch (error) {
      ticket.cancel();
      throw error;
    }
    const matched = await ticket.run(async () => {
      const check = await checkPassword(password, found?.passwordHash, this.passwordCost);
      if (!found || !check.matches) return false;
      if (check.outdated) await this.credentials.setPasswordHash(found.user.id, await hashPassword(password, this.passwordCost));
      return true;
    });
    if (!matched) return undefined;
    await admitted.forgive();
    return found!.user;
  }

  /** Hashes a new password in the queue. */
  private hashNow(password: string): Promise<string> {
    return this.hashing.take().run(() => hashPassword(password, this.passwordCost));
  }

  /**
   * The user a bearer token belongs to; `UNAUTHENTICATED` for anything else. From the cache
   * when it holds the token (keyed by the token's hash), else from the database.
   */
  async authenticate(token: string): Promise<Authenticated> {
    if (!looksLikeToken(token)) throw unauthenticated();
    const tokenHash = hashToken(token);
    const cached = this.cache?.get(tokenHash);
    if (cached) {
      await this.touch(cached, this.now());
      return { user: cached.user, credentialId: cached.credentialId, kind: cached.kind, expires: cached.expires };
    }
    const generation = this.cache?.generation ?? 0;
    const found = await this.credentials.findCredential(tokenHash);
    const now = this.now();
    if (!found || !sameHash(found.credential.tokenHash, tokenHash)) throw unauthenticated();
    const { credential, user } = found;
    if (credential.expires !== null && credential.expires <= now) throw unauthenticated();
    const entry = { user, credentialId: credential.id, kind: credential.kind, expires: credential.expires, lastUsed: credential.lastUsed };
    await this.touch(entry, now);
    this.cache?.store(tokenHash, entry, generation);
    return { user, credentialId: credential.id, kind: credential.kind, expires: credential.expires };
  }

  /** Writes a credential's last use, at most once per interval. */
  private async touch(entry: { credentialId: string; lastUsed: number | null }, now: number): Promise<void> {
    if (entry.lastUsed !== null && now - entry.lastUsed <= TOUCH_INTERVAL_MS) return;
    entry.lastUsed = now;
    await this.credentials.touchCredential(entry.credentialId, now);
  }

  /** Revokes the credential a request was made with. */
  async logout(authenticated: Authenticated): Promise<void> {
    await this.credentials.deleteCredential(authenticated.user.id, authenticated.credentialId);
    this.cache?.revokeCredential(authenticated.credentialId);
  }

  /** An admin deletes a user (`SecretsService.deleteUser`); their credentials go with them. */
  async deleteUser(caller: Caller, name: string, options: { cascade: boolean }): Promise<void> {
    await this.secrets.deleteUser(caller, name, options);
    this.cache?.revokeUserNamed(name);
  }

  /** An admin makes a user an admin or not (`SecretsService.setUserAdmin`). */
  async setUserAdmin(caller: Caller, name: string, isAdmin: boolean): Promise<User> {
    const user = await this.secrets.setUserAdmin(caller, name, isAdmin);
    this.cache?.revokeUser(user.id);
    return user;
  }

  /** An admin creates a user with a password. */
  async createUser(caller: Caller, input: { name: string; password: string; isAdmin?: boolean }): Promise<User> {
    const password = parseInput(passwordSchema, input.password, "password");
    const passwordHash = await this.hashNow(password);
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
    const passwordHash = await hashPassword(parseInput(passwordSchema, chosen, "ZS_ADMIN_PASSWORD"), this.passwordCost);
    try {
      const user = await this.secrets.createUser(SERVER_CALLER, { name: parseInput(nameSchema, name, "ZS_ADMIN_USERNAME"), isAdmin: true });
      await this.credentials.setPasswordHash(user.id, passwordHash);
    } catch (error) {
      // Another instance created the first user meanwhile.
      if (hasErrorCode(error, "USER_EXISTS")) return { created: false };
      throw error;
    }
    return password === undefined ? { created: true, generatedPassword: chosen } : { created: true };
  }

  /**
   * Recovery on the server's host (`zs-server reset-admin`), for a server whose admins are
   * all locked out: makes `name` an admin (created if absent) with a new password — the one
   * given, else a generated one, returned to be shown once — revokes that user's sessions and
   * lifts every login delay.
   */
  async resetAdmin(name: string, password: string | undefined): Promise<{ created: boolean; generatedPassword?: string }> {
    const chosen = password ?? generatePassword();
    const passwordHash = await hashPassword(parseInput(passwordSchema, chosen, "ZS_ADMIN_PASSWORD"), this.passwordCost);
    const userName = parseInput(nameSchema, name, "user name");
    const existed = await this.credentials.findUserWithPassword(userName);
    const user = await this.secrets.ensureUser(userName, { isAdmin: true });
    if (!user.isAdmin) await this.secrets.setUserAdmin(SERVER_CALLER, userName, true);
    await this.credentials.setPasswordHash(user.id, passwordHash);
    await this.credentials.deleteSessions(user.id);
    this.cache?.revokeUser(user.id);
    await this.throttle.clear();
    return password === undefined ? { created: !existed, generatedPassword: chosen } : { created: !existed };
  }

  /** A new API key for the caller, expiring after `lifetimeMs` if given: the key is returned only here. A session must ask. */
  async createApiKey(caller: Caller, authenticated: Authenticated, name: string, lifetimeMs?: number): Promise<ApiKeyInfo & { key: string }> {
    if (authenticated.kind !== "session") throw onlySessions("create");
    parseInput(nameSchema, name, "API key name");
    const { token, row } = await this.issue(caller.userId, "api_key", name, lifetimeMs === undefined ? null : this.now() + lifetimeMs);
    return { ...toApiKeyInfo(row), key: token };
  }

  async listApiKeys(caller: Caller): Promise<ApiKeyInfo[]> {
    return (await this.credentials.listCredentials(caller.userId, "api_key")).map(toApiKeyInfo);
  }

  /** Deletes one of the caller's API keys; another user's key does not exist for them. A session must ask. */
  async deleteApiKey(caller: Caller, authenticated: Authenticated, id: string): Promise<void> {
    if (authenticated.kind !== "session") throw onlySessions("delete");
    if (!(await this.credentials.deleteCredential(caller.userId, id))) {
      throw new ZsError("NOT_FOUND", `You have no API key with id '${id}'.`);
    }
    this.cache?.revokeCredential(id);
  }

  /** Removes expired sessions and API keys and login counters that no longer count; returns how many credentials. */
  async purgeExpired(): Promise<number> {
    await this.throttle.purgeStale();
    const purged = await this.credentials.deleteExpiredCredentials(this.now());
    // Cached entries never outlive their token; this only frees their room early.
    this.cache?.purgeExpired();
    return purged;
  }

  private async issue(userId: string, kind: CredentialKind, name: string | null, expires: number | null): Promise<{ token: string; row: CredentialRow }> {
    const token = generateToken(kind);
    const row: CredentialRow = { id: randomUUID(), userId, kind, name, tokenHash: hashToken(token), created: this.now(), expires, lastUsed: null };
    await this.credentials.insertCredential(row);
    return { token, row };
  }
}
