import { createHash, randomUUID } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import { AuthCache, type CachedAuthentication } from "../src/auth/auth-cache.js";

const hashOf = (text: string) => createHash("sha256").update(text).digest("hex");

function entryFor(userId: string, options: Partial<CachedAuthentication> = {}): CachedAuthentication {
  return {
    user: { id: userId, name: `user-${userId.slice(0, 8)}`, isAdmin: false, created: new Date(0).toISOString() },
    credentialId: randomUUID(),
    kind: "session",
    expires: null,
    lastUsed: null,
    ...options,
  };
}

describe("AuthCache", () => {
  it("answers what was stored under a token hash, and counts hits and misses", () => {
    const cache = new AuthCache({ ttlMs: 30_000, size: 10 });
    const hash = hashOf("token-a");
    expect(cache.get(hash)).toBeUndefined();
    const entry = entryFor(randomUUID());
    cache.store(hash, entry, cache.generation);
    expect(cache.get(hash)).toBe(entry);
    expect(cache.stats).toEqual({ hits: 1, misses: 1, evictions: 0, revoked: 0, size: 1 });
  });

  it("an entry is never answered past its token's expiry", () => {
    let now = 1_000_000;
    const cache = new AuthCache({ ttlMs: 30_000, size: 10, now: () => now });
    const hash = hashOf("token-b");
    cache.store(hash, entryFor(randomUUID(), { expires: now + 1_000 }), cache.generation);
    expect(cache.get(hash)).toBeDefined();
    now += 1_000;
    expect(cache.get(hash)).toBeUndefined();
  });

  it("a token already expired is not kept", () => {
    const cache = new AuthCache({ ttlMs: 30_000, size: 10, now: () => 5_000 });
    cache.store(hashOf("token-c"), entryFor(randomUUID(), { expires: 5_000 }), cache.generation);
    expect(cache.stats.size).toBe(0);
  });

  it("a lookup that raced a revocation does not put the revoked token back", () => {
    const cache = new AuthCache({ ttlMs: 30_000, size: 10 });
    const hash = hashOf("token-d");
    const before = cache.generation;
    cache.revokeToken(hash);
    cache.store(hash, entryFor(randomUUID()), before);
    expect(cache.get(hash)).toBeUndefined();
  });

  it("a revocation notice names a token hash or a user id; each evicts only its entries", () => {
    const cache = new AuthCache({ ttlMs: 30_000, size: 10 });
    const [alice, bob] = [randomUUID(), randomUUID()];
    const hashes = ["a1", "a2", "b1"].map(hashOf);
    cache.store(hashes[0]!, entryFor(alice), cache.generation);
    cache.store(hashes[1]!, entryFor(alice), cache.generation);
    cache.store(hashes[2]!, entryFor(bob), cache.generation);
    cache.revoke(hashes[0]!);
    expect(cache.get(hashes[0]!)).toBeUndefined();
    expect(cache.get(hashes[1]!)).toBeDefined();
    cache.revoke(alice);
    expect(cache.get(hashes[1]!)).toBeUndefined();
    expect(cache.get(hashes[2]!)).toBeDefined();
    expect(cache.stats.revoked).toBe(2);
  });

  it("holds at most `size` entries, dropping the least recently used", () => {
    const cache = new AuthCache({ ttlMs: 30_000, size: 2 });
    const [first, second, third] = ["1", "2", "3"].map(hashOf);
    cache.store(first!, entryFor(randomUUID()), cache.generation);
    cache.store(second!, entryFor(randomUUID()), cache.generation);
    cache.get(first!);
    cache.store(third!, entryFor(randomUUID()), cache.generation);
    expect(cache.get(second!)).toBeUndefined();
    expect(cache.get(first!)).toBeDefined();
    expect(cache.stats).toMatchObject({ evictions: 1, size: 2 });
  });

  it("while suspended it is empty, answers nothing and keeps nothing; resumed, it does not keep lookups begun before", () => {
    const cache = new AuthCache({ ttlMs: 30_000, size: 10 });
    const hash = hashOf("token-e");
    cache.store(hash, entryFor(randomUUID()), cache.generation);
    cache.suspend();
    expect(cache.get(hash)).toBeUndefined();
    const during = cache.generation;
    cache.store(hash, entryFor(randomUUID()), during);
    expect(cache.stats.size).toBe(0);
    cache.resume();
    cache.store(hash, entryFor(randomUUID()), during);
    expect(cache.get(hash)).toBeUndefined();
    cache.store(hash, entryFor(randomUUID()), cache.generation);
    expect(cache.get(hash)).toBeDefined();
  });

  it("ZS_AUTH_CACHE_TTL=0 turns it off: nothing is kept", () => {
    const cache = new AuthCache({ ttlMs: 0, size: 10 });
    const hash = hashOf("token-f");
    cache.store(hash, entryFor(randomUUID()), cache.generation);
    expect(cache.enabled).toBe(false);
    expect(cache.get(hash)).toBeUndefined();
  });
});
