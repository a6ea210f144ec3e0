import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createPostgresDatabase, postgresUrl, type TestDatabase } from "../../../packages/store-sql/test/support/test-databases.js";
import { ADMIN_PASSWORD, TestServer } from "./support/test-server.js";

type Outcome = { status: number; code?: string; retryAfter: string | null };

/** `count` wrong logins for `username`, all sent at once, spread over `servers`; their statuses. */
async function floodLogins(servers: TestServer[], count: number, username: (i: number) => string): Promise<Outcome[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const result = await servers[i % servers.length]!.call("POST", "/api/v1/login", { body: { username: username(i), password: `wrong-guess-${i}` } });
      return { status: result.status, code: result.json?.error?.code, retryAfter: result.headers.get("retry-after") };
    }),
  );
}

const tally = (outcomes: Outcome[]) => ({
  checked: outcomes.filter((o) => o.status === 401).length,
  limited: outcomes.filter((o) => o.status === 429 && o.code === "RATE_LIMITED").length,
  other: outcomes.filter((o) => o.status !== 401 && o.status !== 429).length,
});

describe("concurrent wrong logins", () => {
  let server: TestServer;

  beforeAll(async () => {
    // Room in the hashing queue for all of them, so only the login throttle can refuse.
    server = await TestServer.start({ hashingLimits: { queueLength: 100 } });
  });
  afterAll(async () => {
    expect(server.leakedIntoLogs()).toEqual([]);
    await server.stop();
  });

  it("60 at once for one user from one address: 10 are checked (401), 50 refused (429); the right password from another address gets in at once", async () => {
    const admin = await server.login("admin", ADMIN_PASSWORD);
    const password = "gina-right-password";
    expect((await server.call("POST", "/api/v1/users", { token: admin, body: { name: "gina", password } })).status).toBe(201);

    expect(tally(await floodLogins([server], 60, () => "gina"))).toEqual({ checked: 10, limited: 50, other: 0 });

    const fromHere = await server.call("POST", "/api/v1/login", { body: { username: "gina", password } });
    expect(fromHere.status).toBe(429);
    expect(Number(fromHere.headers.get("retry-after"))).toBeGreaterThan(0);
    const fromElsewhere = await server.call("POST", "/api/v1/login", { body: { username: "gina", password }, fromAddress: "127.0.0.2" });
    expect(fromElsewhere.status).toBe(200);
    // Admins are not locked out by someone else's guesses either.
    expect(tally(await floodLogins([server], 12, () => "admin")).checked).toBe(10);
    expect((await server.call("POST", "/api/v1/login", { body: { username: "admin", password: ADMIN_PASSWORD }, fromAddress: "127.0.0.3" })).status).toBe(200);
  });
});

describe("a login flood against the password hashing queue", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await TestServer.start({ hashingLimits: { concurrency: 1, queueLength: 3 } });
  });
  afterAll(async () => {
    await server.stop();
  });

  it("40 at once with different names: at most 1 + 3 are hashed, the rest get 429 with Retry-After at once; other requests are served meanwhile", async () => {
    const admin = await server.login("admin", ADMIN_PASSWORD);
    const flood = floodLogins([server], 40, (i) => `nobody-${i}`);
    const during = await server.call("GET", "/api/v1/current-user", { token: admin });
    const outcomes = await flood;
    expect(during.status).toBe(200);
    const { checked, limited, other } = tally(outcomes);
    expect(other).toBe(0);
    expect(checked).toBeLessThanOrEqual(4);
    expect(limited).toBe(40 - checked);
    for (const outcome of outcomes.filter((o) => o.status === 429)) expect(Number(outcome.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(server.running.services.auth.hashing.highWater).toBe(1);
  });

  it("the hashing queue's places are given back: after the flood, logins work again", async () => {
    expect((await server.call("POST", "/api/v1/login", { body: { username: "admin", password: ADMIN_PASSWORD } })).status).toBe(200);
  });
});

const onPostgres = postgresUrl ? describe : describe.skip;

onPostgres("two instances on one PostgreSQL database", () => {
  let database: TestDatabase;
  let servers: TestServer[];

  beforeAll(async () => {
    database = await createPostgresDatabase();
    const shared = { databaseUrl: database.url, env: { ZS_ENCRYPTION_KEY: randomBytes(32).toString("base64") }, hashingLimits: { queueLength: 100 } };
    const first = await TestServer.start(shared);
    servers = [first, await TestServer.start(shared)];
  });
  afterAll(async () => {
    for (const server of servers) await server.stop();
    await database.drop();
  });

  it("count failed logins together: 60 at once spread over both, 10 are checked in all", async () => {
    expect(tally(await floodLogins(servers, 60, () => "admin"))).toEqual({ checked: 10, limited: 50, other: 0 });
    expect((await servers[1]!.call("POST", "/api/v1/login", { body: { username: "admin", password: ADMIN_PASSWORD } })).status).toBe(429);
  });
});
