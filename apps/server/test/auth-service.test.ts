import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { KeyRing, SecretsService, type Caller } from "@zs/core";
import { KnexCredentialRepository, KnexLoginCounterRepository, KnexMetadataRepository, SqlDatabase, SqlValuesStore } from "@zs/store-sql";
import { AuthService, SESSION_LIFETIME_MS, type Authenticated } from "../src/auth/auth-service.js";
import { DEFAULT_LOGIN_LIMITS, LoginThrottle } from "../src/auth/login-throttle.js";
import { hashPassword, type ScryptCost } from "../src/auth/passwords.js";
import { createSqliteDatabase, randomKeys, testDatabases, type TestDatabase } from "../../../packages/store-sql/test/support/test-databases.js";

const ADDRESS = "192.0.2.10";
const CHEAP: ScryptCost = { N: 2 ** 10, r: 8, p: 1 };

/** An AuthService over a real database, with a clock the test moves. */
async function openAuth(db: TestDatabase, clock: { now: number }, passwordCost?: ScryptCost) {
  const database = await SqlDatabase.open(db.url);
  const secrets = new SecretsService(new KnexMetadataRepository(database), await SqlValuesStore.open(database, new KeyRing(randomKeys())));
  const credentials = new KnexCredentialRepository(database);
  const now = () => clock.now;
  const throttle = new LoginThrottle(new KnexLoginCounterRepository(database), DEFAULT_LOGIN_LIMITS, now);
  const auth = new AuthService(credentials, secrets, { throttle, now, passwordCost });
  return { database, secrets, credentials, auth };
}

// Time-dependent rules of sessions, with a clock the test moves, over a real SQLite database.
describe("AuthService sessions over time", () => {
  let db: TestDatabase;
  let opened: Awaited<ReturnType<typeof openAuth>>;
  const clock = { now: Date.parse("2026-11-28T00:00:00Z") };
  let admin: Caller;
  let session: Authenticated;

  beforeAll(async () => {
    db = await createSqliteDatabase();
    opened = await openAuth(db, clock);
    await opened.auth.bootstrapAdmin("admin", "admin-password-1");
    const user = (await opened.credentials.findUserWithPassword("admin"))!.user;
    admin = { userId: user.id, userName: user.name, isAdmin: true, workspace: "default" };
    session = await opened.auth.authenticate((await opened.auth.login("admin", "admin-password-1", ADDRESS)).token);
  });
  afterAll(async () => {
    await opened.database.close();
    await db.drop();
  });

  it("a session token works until 24 h have passed, then is UNAUTHENTICATED; purging removes it", async () => {
    const { token, expiresInSeconds } = await opened.auth.login("admin", "admin-password-1", ADDRESS);
    expect(expiresInSeconds).toBe(SESSION_LIFETIME_MS / 1000);
    clock.now += SESSION_LIFETIME_MS - 1;
    expect((await opened.auth.authenticate(token)).user.name).toBe("admin");
    clock.now += 1;
    await expect(opened.auth.authenticate(token)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    expect(await opened.auth.purgeExpired()).toBeGreaterThanOrEqual(1);
    expect(await opened.credentials.listCredentials(admin.userId, "session")).toEqual([]);
    session = await opened.auth.authenticate((await opened.auth.login("admin", "admin-password-1", ADDRESS)).token);
  });

  it("API keys without a lifetime never expire; their last use is recorded at most once a minute", async () => {
    const key = await opened.auth.createApiKey(admin, session, "long-lived");
    expect(key.expires).toBeNull();
    clock.now += 365 * 24 * 60 * 60 * 1000;
    await opened.auth.authenticate(key.key);
    const first = (await opened.auth.listApiKeys(admin)).find((k) => k.id === key.id)!.lastUsed;
    expect(first).toBe(new Date(clock.now).toISOString());
    clock.now += 30_000;
    await opened.auth.authenticate(key.key);
    expect((await opened.auth.listApiKeys(admin)).find((k) => k.id === key.id)!.lastUsed).toBe(first);
    clock.now += 31_000;
    await opened.auth.authenticate(key.key);
    expect((await opened.auth.listApiKeys(admin)).find((k) => k.id === key.id)!.lastUsed).toBe(new Date(clock.now).toISOString());
    session = await opened.auth.authenticate((await opened.auth.login("admin", "admin-password-1", ADDRESS)).token);
  });

  it("an API key with a lifetime is refused from its expiry on, and purged", async () => {
    const lifetime = 90 * 24 * 60 * 60 * 1000;
    const key = await opened.auth.createApiKey(admin, session, "ninety-days", lifetime);
    expect(key.expires).toBe(new Date(clock.now + lifetime).toISOString());
    clock.now += lifetime - 1;
    expect((await opened.auth.authenticate(key.key)).kind).toBe("api_key");
    clock.now += 1;
    await expect(opened.auth.authenticate(key.key)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    await opened.auth.purgeExpired();
    expect((await opened.auth.listApiKeys(admin)).map((k) => k.id)).not.toContain(key.id);
    session = await opened.auth.authenticate((await opened.auth.login("admin", "admin-password-1", ADDRESS)).token);
  });

  it("an API key can neither create nor delete API keys", async () => {
    const key = await opened.auth.createApiKey(admin, session, "automation");
    const asKey = await opened.auth.authenticate(key.key);
    await expect(opened.auth.createApiKey(admin, asKey, "minted")).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(opened.auth.deleteApiKey(admin, asKey, key.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await opened.auth.listApiKeys(admin)).map((k) => k.name)).toEqual(expect.arrayContaining(["automation"]));
    expect((await opened.auth.listApiKeys(admin)).map((k) => k.name)).not.toContain("minted");
  });

  it("only hashes are stored: the token appears nowhere, the password hash names OWASP's scrypt cost", async () => {
    const { token } = await opened.auth.login("admin", "admin-password-1", ADDRESS);
    const rows = await opened.database.knex("credentials").select("*");
    expect(JSON.stringify(rows)).not.toContain(token);
    const users = await opened.database.knex("users").select("password_hash");
    expect(JSON.stringify(users)).not.toContain("admin-password-1");
    expect(users[0].password_hash).toMatch(/^scrypt\$131072\$8\$1\$/);
  });

  it("a hash of a lower cost still verifies and is redone at the current cost on that login", async () => {
    const user = await opened.secrets.createUser(admin, { name: "old-hash" });
    await opened.credentials.setPasswordHash(user.id, await hashPassword("old-hash-password", { N: 2 ** 14, r: 8, p: 1 }));
    await opened.auth.login("old-hash", "old-hash-password", ADDRESS);
    const stored = (await opened.credentials.findUserWithPassword("old-hash"))!.passwordHash!;
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$/);
    await expect(opened.auth.login("old-hash", "old-hash-password", ADDRESS)).resolves.toMatchObject({ token: expect.any(String) });
    await expect(opened.auth.login("old-hash", "wrong-password", ADDRESS)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it.each([
    ["a cost of 2^40", "scrypt$1099511627776$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA"],
    ["a cost that is no power of two", "scrypt$100000$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA"],
    ["another scheme", "bcrypt$2b$10$abcdefghijklmnopqrstuv"],
    ["too few fields", "scrypt$131072$8$1$AAAA"],
  ])("a stored hash with %s matches no password and allocates nothing unusual", async (_label, hash) => {
    const name = `odd-${Math.random().toString(36).slice(2, 8)}`;
    const user = await opened.secrets.createUser(admin, { name });
    await opened.credentials.setPasswordHash(user.id, hash);
    await expect(opened.auth.login(name, "any-password-1", ADDRESS)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("the first admin is created once; a second bootstrap does nothing", async () => {
    expect(await opened.auth.bootstrapAdmin("admin", undefined)).toEqual({ created: false });
    expect(await opened.auth.bootstrapAdmin("someone-else", "whatever-password")).toEqual({ created: false });
  });
});

describe.each(testDatabases)("login throttling over time on %s", (_name, createDatabase) => {
  let db: TestDatabase;
  let opened: Awaited<ReturnType<typeof openAuth>>;
  const clock = { now: Date.parse("2026-11-28T00:00:00Z") };
  const PASSWORD = "throttled-password-1";
  const attempt = (name: string, password: string, address = ADDRESS) =>
    opened.auth.login(name, password, address).then(
      () => "ok",
      (error: { code: string; details?: { retryAfterSeconds?: number } }) => (error.code === "RATE_LIMITED" ? `wait ${error.details?.retryAfterSeconds}` : error.code),
    );

  beforeAll(async () => {
    db = await createDatabase();
    // What is counted does not depend on the hashes' cost: a cheap one keeps the many attempts quick.
    opened = await openAuth(db, clock, CHEAP);
    await opened.auth.bootstrapAdmin("admin", "admin-password-1");
    const root: Caller = { userId: "", userName: "root", isAdmin: true, workspace: "default" };
    for (const name of ["erin", "frank"]) {
      const user = await opened.secrets.createUser(root, { name });
      await opened.credentials.setPasswordHash(user.id, await hashPassword(PASSWORD, CHEAP));
    }
  });
  afterAll(async () => {
    await opened.database.close();
    await db.drop();
  });

  it("ten failures are let through, then delays double (30 s, 60 s, …) and the right password waits too, from that address only", async () => {
    for (let i = 0; i < 10; i++) expect(await attempt("erin", "wrong-password")).toBe("UNAUTHENTICATED");
    expect(await attempt("erin", PASSWORD)).toBe("wait 30");
    // Another address is not delayed: nobody can lock erin out.
    expect(await attempt("erin", PASSWORD, "198.51.100.7")).toBe("ok");
    clock.now += 30_000;
    expect(await attempt("erin", "wrong-password")).toBe("UNAUTHENTICATED");
    expect(await attempt("erin", "wrong-password")).toBe("wait 60");
    clock.now += 60_000;
    expect(await attempt("erin", "wrong-password")).toBe("UNAUTHENTICATED");
    expect(await attempt("erin", PASSWORD)).toBe("wait 120");
    clock.now += 120_000;
    // The right password clears erin's count from this address.
    expect(await attempt("erin", PASSWORD)).toBe("ok");
    for (let i = 0; i < 9; i++) expect(await attempt("erin", "wrong-password")).toBe("UNAUTHENTICATED");
    expect(await attempt("erin", PASSWORD)).toBe("ok");
  });

  it("a count with no failure for 15 minutes starts again from zero; stale counters are purged", async () => {
    for (let i = 0; i < 9; i++) expect(await attempt("frank", "wrong-password")).toBe("UNAUTHENTICATED");
    clock.now += 15 * 60 * 1000;
    for (let i = 0; i < 9; i++) expect(await attempt("frank", "wrong-password")).toBe("UNAUTHENTICATED");
    expect(await attempt("frank", PASSWORD)).toBe("ok");
    clock.now += 16 * 60 * 1000;
    await opened.auth.purgeExpired();
    expect(Number((await opened.database.knex("login_counters").count({ count: "*" }))[0]!.count)).toBe(0);
  });

  it("user names are stored only as hashes in the counters", async () => {
    const typedPassword = "my-password-typed-as-a-name";
    expect(await attempt(typedPassword, "x")).toBe("UNAUTHENTICATED");
    expect(JSON.stringify(await opened.database.knex("login_counters").select("*"))).not.toContain(typedPassword);
  });
});
