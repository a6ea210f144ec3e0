import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import pg from "pg";
import { request } from "./support/http-client.js";
import { SERVER_BIN, startServerProcess, type ServerProcess } from "./support/server-process.js";
import { ADMIN_PASSWORD, TestServer } from "./support/test-server.js";

const execFileAsync = promisify(execFile);
const postgresUrl = process.env.ZS_TEST_POSTGRES_URL || undefined;
const describePostgres = postgresUrl ? describe : describe.skip;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The status of `GET /api/v1/current-user` with `token`. */
const currentUser = async (url: string, token: string) => (await request(url, "GET", "/api/v1/current-user", { token })).status;

/** Asks until `url` refuses `token`; how long that took (ms), or `Infinity` after `limitMs`. */
async function refusedAfter(url: string, token: string, limitMs = 3000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < limitMs) {
    if ((await currentUser(url, token)) === 401) return Date.now() - started;
    await sleep(20);
  }
  return Infinity;
}

async function login(url: string, username: string, password: string): Promise<string> {
  const result = await request(url, "POST", "/api/v1/login", { body: { username, password } });
  if (result.status !== 200) throw new Error(`login as ${username} failed: ${result.status}`);
  return result.json.access_token as string;
}

/** A fresh database on the test PostgreSQL, and an admin connection to it. */
async function createPostgresDatabase(adminUrl: string) {
  const name = `zs_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const inside = new pg.Client({ connectionString: url.toString() });
  await inside.connect();
  return {
    name,
    url: url.toString(),
    /** Runs SQL in the test database. */
    query: (sql: string, values: unknown[] = []) => inside.query(sql, values),
    /** Runs SQL on the admin connection (database-level statements). */
    admin: (sql: string) => admin.query(sql),
    async drop() {
      await inside.end();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

describePostgres("the authentication cache of two instances on one PostgreSQL", () => {
  let db: Awaited<ReturnType<typeof createPostgresDatabase>>;
  const dataDirs: string[] = [];
  let a: ServerProcess;
  let b: ServerProcess;
  let adminToken: string;

  const start = async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "zs-auth-cache-"));
    dataDirs.push(dataDir);
    return startServerProcess({
      ZS_DATA_DIR: dataDir,
      ZS_DATABASE_URL: db.url,
      ZS_ENCRYPTION_KEY: encryptionKey,
      ZS_ADMIN_PASSWORD: ADMIN_PASSWORD,
      ZS_LOG_LEVEL: "info",
    });
  };
  const encryptionKey = randomBytes(32).toString("base64");

  /** The backend of B's revocation listener, found by its application name. */
  const listenerOf = async (server: ServerProcess) =>
    (await db.query("select pid, query from pg_stat_activity where application_name = $1", [`zs-auth-listener-${server.child.pid}`])).rows as { pid: number; query: string }[];

  const waitUntilListening = async (server: ServerProcess) => {
    for (let i = 0; i < 200; i++) {
      if ((await listenerOf(server)).some((row) => /^LISTEN/i.test(row.query))) return;
      await sleep(50);
    }
    throw new Error("the instance does not listen for revocations");
  };

  /** Removes a session or key without the trigger's notice: only a cache still answers for it. */
  const removeSilently = async (token: string, server: ServerProcess) => {
    expect(await currentUser(server.url, token)).toBe(200);
    await db.query("begin");
    // Triggers off for this transaction (superuser): no NOTIFY.
    await db.query("set local session_replication_role = replica");
    await db.query("delete from credentials where token_hash = $1", [createHash("sha256").update(token).digest("hex")]);
    await db.query("commit");
  };

  const newUser = async (name: string) => {
    const password = `pw-${randomBytes(9).toString("hex")}`;
    const created = await request(a.url, "POST", "/api/v1/users", { token: adminToken, body: { name, password } });
    expect(created.status).toBe(201);
    return password;
  };

  beforeAll(async () => {
    db = await createPostgresDatabase(postgresUrl!);
    a = await start();
    b = await start();
    await Promise.all([waitUntilListening(a), waitUntilListening(b)]);
    adminToken = await login(a.url, "admin", ADMIN_PASSWORD);
  }, 60_000);

  afterAll(async () => {
    for (const server of [a, b]) {
      server?.child.kill("SIGTERM");
      await server?.exited;
    }
    await db?.admin("select 1").catch(() => undefined);
    await db?.drop();
    for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
  }, 30_000);

  it("a session logged out through A is refused by A at once and by B within 1 s", async () => {
    const token = await login(a.url, "admin", ADMIN_PASSWORD);
    // Warm both caches.
    for (let i = 0; i < 2; i++) expect([await currentUser(a.url, token), await currentUser(b.url, token)]).toEqual([200, 200]);
    expect((await request(a.url, "POST", "/api/v1/logout", { token })).status).toBe(204);
    expect(await currentUser(a.url, token)).toBe(401);
    expect(await refusedAfter(b.url, token)).toBeLessThan(1000);
  });

  it("an API key deleted through A is refused by A at once and by B within 1 s", async () => {
    const created = await request(a.url, "POST", "/api/v1/api-keys", { token: adminToken, body: { name: `key-${randomBytes(3).toString("hex")}` } });
    expect(created.status).toBe(201);
    const key = created.json.key as string;
    for (let i = 0; i < 2; i++) expect([await currentUser(a.url, key), await currentUser(b.url, key)]).toEqual([200, 200]);
    expect((await request(a.url, "DELETE", `/api/v1/api-keys/${created.json.id}`, { token: adminToken })).status).toBe(204);
    expect(await currentUser(a.url, key)).toBe(401);
    expect(await refusedAfter(b.url, key)).toBeLessThan(1000);
  });

  it("a user deleted through A is refused by A at once and by B within 1 s", async () => {
    const name = `leaver-${randomBytes(3).toString("hex")}`;
    const token = await login(a.url, name, await newUser(name));
    for (let i = 0; i < 2; i++) expect([await currentUser(a.url, token), await currentUser(b.url, token)]).toEqual([200, 200]);
    expect((await request(a.url, "DELETE", `/api/v1/users/${name}`, { token: adminToken })).status).toBe(204);
    expect(await currentUser(a.url, token)).toBe(401);
    expect(await refusedAfter(b.url, token)).toBeLessThan(1000);
  });

  it("an admin demoted through A loses admin rights on A at once and on B within 1 s", async () => {
    const name = `demoted-${randomBytes(3).toString("hex")}`;
    const password = await newUser(name);
    expect((await request(a.url, "PATCH", `/api/v1/users/${name}`, { token: adminToken, body: { is_admin: true } })).status).toBe(200);
    const token = await login(a.url, name, password);
    const listUsers = async (url: string) => (await request(url, "GET", "/api/v1/users", { token })).status;
    for (let i = 0; i < 2; i++) expect([await listUsers(a.url), await listUsers(b.url)]).toEqual([200, 200]);
    expect((await request(a.url, "PATCH", `/api/v1/users/${name}`, { token: adminToken, body: { is_admin: false } })).status).toBe(200);
    expect(await listUsers(a.url)).toBe(403);
    const started = Date.now();
    while ((await listUsers(b.url)) !== 403 && Date.now() - started < 3000) await sleep(20);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("with its LISTEN connection killed, B refuses what was revoked meanwhile (cache bypassed) and caches again once listening", async () => {
    const probe = await login(a.url, "admin", ADMIN_PASSWORD);
    const revoked = await login(a.url, "admin", ADMIN_PASSWORD);
    const kept = await login(a.url, "admin", ADMIN_PASSWORD);
    // B caches: a session removed behind every instance's back is still answered from its cache.
    await removeSilently(probe, b);
    expect(await currentUser(b.url, probe)).toBe(200);
    for (const token of [revoked, kept]) expect(await currentUser(b.url, token)).toBe(200);

    // No new connection may reach the database (superusers included): B cannot listen again yet.
    await db.admin(`alter database ${db.name} allow_connections false`);
    try {
      const [listener] = await listenerOf(b);
      expect(listener).toBeDefined();
      await db.query("select pg_terminate_backend($1)", [listener!.pid]);
      for (let i = 0; i < 100 && (await listenerOf(b)).length > 0; i++) await sleep(20);
      await sleep(100);
      // Revoked through A while B hears nothing: B no longer trusts its cache.
      expect((await request(a.url, "POST", "/api/v1/logout", { token: revoked })).status).toBe(204);
      expect(await currentUser(b.url, revoked)).toBe(401);
      expect(await currentUser(b.url, probe)).toBe(401);
      expect(await currentUser(b.url, kept)).toBe(200);
    } finally {
      await db.admin(`alter database ${db.name} allow_connections true`);
    }
    // The log is written in batches: wait for the line rather than for a flush.
    for (let i = 0; i < 100 && !b.stderr().includes("lost the connection listening for revocations"); i++) await sleep(50);
    expect(b.stderr()).toContain("lost the connection listening for revocations");

    await waitUntilListening(b);
    const second = await login(a.url, "admin", ADMIN_PASSWORD);
    await removeSilently(second, b);
    expect(await currentUser(b.url, second)).toBe(200);
    // And hears revocations again.
    expect(await currentUser(b.url, kept)).toBe(200);
    expect((await request(a.url, "POST", "/api/v1/logout", { token: kept })).status).toBe(204);
    expect(await refusedAfter(b.url, kept)).toBeLessThan(1000);
  }, 30_000);

  it("50 concurrent merges of one secret spread over both instances lose no key", async () => {
    const name = `merged-${randomBytes(3).toString("hex")}`;
    expect((await request(a.url, "POST", "/api/v1/secrets", { token: adminToken, body: { name, values: { start: "0" } } })).status).toBe(201);
    const statuses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        request(i % 2 === 0 ? a.url : b.url, "PATCH", `/api/v1/secrets/${name}`, { token: adminToken, body: { values: { [`k${i}`]: `v${i}` } } }).then(
          (result) => result.status,
        ),
      ),
    );
    expect(statuses).toEqual(Array(50).fill(200));
    const read = await request(b.url, "GET", `/api/v1/secrets/${name}`, { token: adminToken });
    expect(Object.keys(read.json.values).sort()).toEqual(["start", ...Array.from({ length: 50 }, (_, i) => `k${i}`)].sort());
  }, 30_000);

  it("no token appears in either instance's output", () => {
    expect(a.stderr() + a.stdout() + b.stderr() + b.stdout()).not.toContain(adminToken);
  });
});

describe.each([
  ["SQLite", () => Promise.resolve(undefined)],
  ...(postgresUrl ? [["PostgreSQL", async () => createPostgresDatabase(postgresUrl)] as const] : []),
] as [string, () => Promise<Awaited<ReturnType<typeof createPostgresDatabase>> | undefined>][])(
  "database reads per authenticated GET on %s",
  (_label, createDatabase) => {
    let db: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
    let server: TestServer;
    beforeAll(async () => {
      db = await createDatabase();
      server = await TestServer.start({ databaseUrl: db?.url, env: { ZS_AUDIT: "off" } });
    });
    afterAll(async () => {
      await server?.stop();
      await db?.drop();
    });

    it("with a warm cache, a GET of a secret is one database read", async () => {
      const token = await server.login("admin", ADMIN_PASSWORD);
      expect((await server.call("POST", "/api/v1/secrets", { token, body: { name: "counted", values: { k: "v" } } })).status).toBe(201);
      for (let i = 0; i < 2; i++) expect((await server.call("GET", "/api/v1/secrets/counted", { token })).status).toBe(200);
      const statements: string[] = [];
      const stop = server.running.services.database.onStatement((sql) => statements.push(sql));
      const started = Date.now();
      try {
        for (let i = 0; i < 20; i++) expect((await server.call("GET", "/api/v1/secrets/counted", { token })).status).toBe(200);
      } finally {
        stop();
      }
      const seconds = (Date.now() - started) / 1000;
      // SQLite's revocation epoch is read by a timer once a second, not by requests.
      const epochChecks = statements.filter((sql) => sql.includes("auth_revocation"));
      const requestReads = statements.filter((sql) => !sql.includes("auth_revocation"));
      expect(epochChecks.length).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
      expect(requestReads).toHaveLength(20);
      expect(requestReads.every((sql) => /^\s*select/i.test(sql))).toBe(true);
      expect(server.running.services.authCache.stats).toMatchObject({ hits: expect.any(Number), size: 1 });
      expect(server.running.services.authCache.stats.hits).toBeGreaterThanOrEqual(20);
    });
  },
);

describe("the authentication cache on SQLite", () => {
  let server: TestServer;
  let dataDir: string;
  const encryptionKey = randomBytes(32).toString("base64");
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "zs-auth-cache-sqlite-"));
    server = await TestServer.start({ databaseUrl: `sqlite:${path.join(dataDir, "zs.db")}`, env: { ZS_ENCRYPTION_KEY: encryptionKey } });
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("a revocation by another process (zs-server reset-admin on the same file) is seen within 1 s", async () => {
    const token = await server.login("admin", ADMIN_PASSWORD);
    for (let i = 0; i < 3; i++) expect(await currentUser(server.url, token)).toBe(200);
    const hitsBefore = server.running.services.authCache.stats.hits;
    expect(await currentUser(server.url, token)).toBe(200);
    // Answered from the cache, which the other process cannot reach.
    expect(server.running.services.authCache.stats.hits).toBe(hitsBefore + 1);

    await execFileAsync(process.execPath, [SERVER_BIN, "reset-admin"], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ZS_DATABASE_URL: `sqlite:${path.join(dataDir, "zs.db")}`, ZS_DATA_DIR: dataDir, ZS_ENCRYPTION_KEY: encryptionKey, ZS_ADMIN_PASSWORD: "rescue-password-9" },
    });
    expect(await refusedAfter(server.url, token)).toBeLessThan(1000);
  }, 30_000);

  it("a logout is refused at once by the server that made it", async () => {
    const token = await server.login("admin", "rescue-password-9");
    for (let i = 0; i < 2; i++) expect(await currentUser(server.url, token)).toBe(200);
    expect((await server.call("POST", "/api/v1/logout", { token })).status).toBe(204);
    expect(await currentUser(server.url, token)).toBe(401);
  });
});

describe("authentication cache settings", () => {
  it.each([
    ["ZS_AUTH_CACHE_TTL", "soon"],
    ["ZS_AUTH_CACHE_TTL", "-1"],
    ["ZS_AUTH_CACHE_SIZE", "lots"],
    ["ZS_AUTH_CACHE_SIZE", "0"],
  ])("%s=%s: the server does not start, says what the setting takes, and creates nothing", async (setting, value) => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "zs-auth-cache-config-"));
    try {
      const started = startServerProcess({ ZS_DATA_DIR: dataDir, [setting]: value });
      await expect(started).rejects.toThrow(`${setting} must be`);
      expect(await readdir(dataDir)).toEqual([]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
