import type { CredentialKind, User } from "@zs/core";
import { LRUCache } from "lru-cache";

/** What a verified token resolves to, as kept in the cache. */
export interface CachedAuthentication {
  user: User;
  credentialId: string;
  kind: CredentialKind;
  /** The token's own expiry (ms since the epoch); `null`: never. */
  expires: number | null;
  /** When the credential's last use was last written (ms since the epoch); `null`: never. */
  lastUsed: number | null;
}

/** The cache's counters, for a metrics module to read. */
export interface AuthCacheStats {
  /** Lookups answered from the cache. */
  hits: number;
  /** Lookups that went to the database (including every lookup while the cache is off or bypassed). */
  misses: number;
  /** Entries dropped to make room (least recently used first). */
  evictions: number;
  /** Entries dropped because access was revoked or the cache was emptied. */
  revoked: number;
  /** Entries held now. */
  size: number;
}

/** How big and how trusting the cache is. */
export interface AuthCacheOptions {
  /** How long an entry is trusted, in ms; 0 turns the cache off. @default 30000 */
  ttlMs: number;
  /** Most entries kept. @default 10000 */
  size: number;
  now?: () => number;
}

const TOKEN_HASH = /^[0-9a-f]{64}$/;

/**
 * Verified tokens by the SHA-256 of the token (never the token): a bounded LRU whose entries
 * live at most `ttlMs` and never past the token's own expiry (operations.md "Authentication
 * cache and revocation").
 *
 * A database lookup that raced a revocation must not put back what was just revoked: every
 * revocation moves `generation`, and `store` keeps a result only when the generation it was
 * looked up under is still current. While `suspend`ed (the revocation feed is down) the cache
 * is empty and neither answers nor keeps anything.
 */
export class AuthCache {
  private readonly entries: LRUCache<string, CachedAuthentication> | undefined;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private suspended = false;
  private current = 0;
  private readonly counters = { hits: 0, misses: 0, evictions: 0, revoked: 0 };

  constructor(options: AuthCacheOptions) {
    this.ttlMs = options.ttlMs;
    this.now = options.now ?? Date.now;
    if (options.ttlMs > 0) {
      this.entries = new LRUCache<string, CachedAuthentication>({
        max: options.size,
        ttl: options.ttlMs,
        disposeAfter: (_value, _key, reason) => {
          if (reason === "evict") this.counters.evictions += 1;
          else if (reason === "delete") this.counters.revoked += 1;
        },
      });
    }
  }

  /** False with `ZS_AUTH_CACHE_TTL=0`. */
  get enabled(): boolean {
    return this.entries !== undefined;
  }

  /** A snapshot of the counters. */
  get stats(): AuthCacheStats {
    return { ...this.counters, size: this.entries?.size ?? 0 };
  }

  /** Read before a database lookup; hand it to `store` with the lookup's result. */
  get generation(): number {
    return this.current;
  }

  /** The entry of `tokenHash`, unless absent, expired or the cache is off or bypassed. */
  get(tokenHash: string): CachedAuthentication | undefined {
    const found = this.suspended ? undefined : this.entries?.get(tokenHash);
    if (found && (found.expires === null || found.expires > this.now())) {
      this.counters.hits += 1;
      return found;
    }
    this.counters.misses += 1;
    return undefined;
  }

  /** Keeps what the database said about `tokenHash`, unless something was revoked since `generation`. */
  store(tokenHash: string, entry: CachedAuthentication, generation: number): void {
    if (!this.entries || this.suspended || generation !== this.current) return;
    const ttl = entry.expires === null ? this.ttlMs : Math.min(this.ttlMs, entry.expires - this.now());
    if (ttl > 0) this.entries.set(tokenHash, entry, { ttl });
  }

  /** A revocation notice: a token hash (64 hex digits) or a user id. */
  revoke(notice: string): void {
    if (TOKEN_HASH.test(notice)) this.revokeToken(notice);
    else this.revokeMatching((entry) => entry.user.id === notice);
  }

  revokeToken(tokenHash: string): void {
    this.current += 1;
    this.entries?.delete(tokenHash);
  }

  revokeCredential(credentialId: string): void {
    this.revokeMatching((entry) => entry.credentialId === credentialId);
  }

  revokeUser(userId: string): void {
    this.revokeMatching((entry) => entry.user.id === userId);
  }

  /** Users are unique by name: for changes that know the name only (a user deleted). */
  revokeUserNamed(name: string): void {
    this.revokeMatching((entry) => entry.user.name === name);
  }

  /** Forgets everything (another process revoked something, unknown what). */
  clear(): void {
    this.current += 1;
    this.entries?.clear();
  }

  /** Drops the entries whose time is up; they are never answered anyway. */
  purgeExpired(): void {
    this.entries?.purgeStale();
    this.revokeMatching((entry) => entry.expires !== null && entry.expires <= this.now());
  }

  /** Empties the cache and bypasses it until `resume`: revocations may be missed meanwhile. */
  suspend(): void {
    this.suspended = true;
    this.clear();
  }

  /** Caches again, from empty; lookups begun while suspended are not kept. */
  resume(): void {
    this.suspended = false;
    this.clear();
  }

  private revokeMatching(matches: (entry: CachedAuthentication) => boolean): void {
    this.current += 1;
    if (!this.entries) return;
    const doomed: string[] = [];
    for (const [key, entry] of this.entries.entries()) if (matches(entry)) doomed.push(key);
    for (const key of doomed) this.entries.delete(key);
  }
}
