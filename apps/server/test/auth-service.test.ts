import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { KeyRing, SecretsService, type Caller } from "@zs/core";
import { KnexCredentialRepository, KnexMetadataRepository, SqlDatabase, SqlValuesStore } from "@zs/store-sql";
import { AuthService, SESSION_LIFETIME_MS } from "../src/auth/auth-service.js";
import { createSqliteDatabase, randomKeys, type TestDatabase } from "../../../packages/store-sql/test/support/test-databases.js";

// Time-dependent rules of sessions, with a clock the test moves, over a real SQLite database.
describe("AuthService sessions over time", () => {
  let db: TestDatabase;
  let database: SqlDatabase;
  let credentials: KnexCredentialRepository;
  let auth: AuthService;
  let now = Date.parse("2026-11-28T00:00:00Z");
  let admin: Caller;

  beforeAll(async () => {
    db = await createSqliteDatabase();
    database = await SqlDatabase.open(db.url);
    const secrets = new SecretsService(new KnexMetadataRepository(database), await SqlValuesStore.open(database, new KeyRing(randomKeys())));
    credentials = new KnexCredentialRepository(database);
    auth = new AuthService(credentials, secrets, () => now);
    await auth.bootstrapAdmin("admin", "admin-password-1");
    const user = (await credentials.findUserWithPassword("admin"))!.user;
    admin = { userId: user.id, userName: user.name, isAdmin: true, workspace: "default" };
  });
  afterAll(async () => {
    await database.close();
    await db.drop();
  });

  it("a session token works until 24 h have passed, then is UNAUTHENTICATED; purging removes it", async () => {
    const { token, expiresInSeconds } = await auth.login("admin", "admin-password-1");
    expect(expiresInSeconds).toBe(SESSION_LIFETIME_MS / 1000);
    now += SESSION_LIFETIME_MS - 1;
    expect((await auth.authenticate(token)).user.name).toBe("admin");
    now += 1;
    await expect(auth.authenticate(token)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    expect(await auth.purgeExpired()).toBeGreaterThanOrEqual(1);
    expect(await credentials.listCredentials(admin.userId, "session")).toEqual([]);
  });

  it("API keys never expire; their last use is recorded at most once a minute", async () => {
    const key = await auth.createApiKey(admin, "long-lived");
    now += 365 * 24 * 60 * 60 * 1000;
    await auth.authenticate(key.key);
    const first = (await auth.listApiKeys(admin)).find((k) => k.id === key.id)!.lastUsed;
    expect(first).toBe(new Date(now).toISOString());
    now += 30_000;
    await auth.authenticate(key.key);
    expect((await auth.listApiKeys(admin)).find((k) => k.id === key.id)!.lastUsed).toBe(first);
    now += 31_000;
    await auth.authenticate(key.key);
    expect((await auth.listApiKeys(admin)).find((k) => k.id === key.id)!.lastUsed).toBe(new Date(now).toISOString());
  });

  it("only hashes are stored: the token appears nowhere in the credentials table", async () => {
    const { token } = await auth.login("admin", "admin-password-1");
    const rows = await database.knex("credentials").select("*");
    expect(JSON.stringify(rows)).not.toContain(token);
    const users = await database.knex("users").select("password_hash");
    expect(JSON.stringify(users)).not.toContain("admin-password-1");
    expect(users[0].password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
  });

  it("the first admin is created once; a second bootstrap does nothing", async () => {
    expect(await auth.bootstrapAdmin("admin", undefined)).toEqual({ created: false });
    expect(await auth.bootstrapAdmin("someone-else", "whatever-password")).toEqual({ created: false });
  });
});
