import { randomBytes, randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { readConfig } from "@zs/core";
import { SqlDatabase } from "@zs/store-sql";
import { createPostgresDatabase, createSqliteDatabase, postgresUrl, type TestDatabase } from "../../../packages/store-sql/test/support/test-databases.js";
import { ADMIN_PASSWORD, TestServer } from "./support/test-server.js";

const databases: [string, () => Promise<TestDatabase>][] = [
  ["SQLite", createSqliteDatabase],
  ...(postgresUrl ? [["PostgreSQL", createPostgresDatabase] as [string, () => Promise<TestDatabase>]] : []),
];

interface WireEvent {
  seq: number;
  id: string;
  action: string;
  outcome: string;
  error_code?: string;
  request_id: string;
  actor: { user_id: string | null; user_name: string | null; via: string | null; api_key_id?: string };
  target: { type: string; id: string | null; name: string | null; workspace: string | null };
  details: Record<string, unknown>;
}

/** Every event, oldest first, through the API. */
async function allEvents(server: TestServer, token: string): Promise<WireEvent[]> {
  const events: WireEvent[] = [];
  for (let after = 0; ; ) {
    const page = await server.call("GET", `/api/v1/audit?after=${after}&size=1000`, { token });
    expect(page.status).toBe(200);
    const items = page.json.items as WireEvent[];
    if (items.length === 0) return events;
    events.push(...items);
    after = items[items.length - 1]!.seq;
  }
}

/** The database itself, to read and edit audit rows as an attacker with database access would. */
async function openDatabase(url: string): Promise<SqlDatabase> {
  return SqlDatabase.open(url);
}

describe.each(databases)("the audit log of a server on %s", (_label, createDatabase) => {
  let db: TestDatabase;
  let dir: string;
  let server: TestServer;
  let admin: string;
  const auditFile = () => path.join(dir, "audit.jsonl");

  beforeAll(async () => {
    db = await createDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), "zs-audit-server-"));
    server = await TestServer.start({ databaseUrl: db.url, env: { ZS_AUDIT_FILE: auditFile() } });
    admin = await server.login("admin", ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await server.stop();
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it("every action records exactly one event with its outcome, and no value, password, token or key appears in the table, the file or the logs", async () => {
    const expected: { requestId: string; action: string; outcome: string; error_code?: string; check?: (event: WireEvent) => void }[] = [];
    const call = async (
      method: string,
      route: string,
      options: { token?: string; body?: unknown },
      action: string,
      outcome: string,
      extra: { error_code?: string; check?: (event: WireEvent) => void; status?: number } = {},
    ) => {
      const requestId = randomUUID();
      const result = await server.call(method, route, { ...options, headers: { "X-Request-Id": requestId } });
      expect(result.headers.get("x-request-id")).toBe(requestId);
      if (extra.status !== undefined) expect(result.status).toBe(extra.status);
      expected.push({ requestId, action, outcome, ...(extra.error_code ? { error_code: extra.error_code } : {}), ...(extra.check ? { check: extra.check } : {}) });
      return result;
    };
    const alicePassword = `alice-password-${randomUUID()}`;
    const bobPassword = `bob-password-${randomUUID()}`;
    server.sensitive.add(alicePassword).add(bobPassword);

    await call("POST", "/api/v1/login", { body: { username: "admin", password: "wrong-password-xyz" } }, "auth.login", "denied", { error_code: "UNAUTHENTICATED", status: 401 });
    await call("POST", "/api/v1/users", { token: admin, body: { name: "alice", password: alicePassword } }, "user.create", "ok", { status: 201 });
    await call("POST", "/api/v1/users", { token: admin, body: { name: "bob", password: bobPassword } }, "user.create", "ok", { status: 201 });
    const aliceLogin = await call("POST", "/api/v1/login", { body: { username: "alice", password: alicePassword } }, "auth.login", "ok", {
      status: 200,
      check: (event) => expect(event.actor).toMatchObject({ user_name: "alice" }),
    });
    const alice = aliceLogin.json.access_token as string;
    const bob = await server.login("bob", bobPassword);
    const key = await call("POST", "/api/v1/api-keys", { token: alice, body: { name: "ci" } }, "api_key.create", "ok", { status: 201 });
    const apiKey = key.json.key as string;

    await call("POST", "/api/v1/secrets", { token: apiKey, body: { name: "db", values: { password: "fixture-db-password-1", user: "fixture-db-user-1" } } }, "secret.create", "ok", {
      status: 201,
      check: (event) => {
        expect(event.actor).toMatchObject({ user_name: "alice", via: "api_key", api_key_id: key.json.id });
        expect(event.details).toMatchObject({ keys: ["password", "user"], version: 1 });
      },
    });
    await call("GET", "/api/v1/secrets/db", { token: alice }, "secret.read", "ok", {
      status: 200,
      check: (event) => expect(event.target).toMatchObject({ type: "secret", name: "db", workspace: "default" }),
    });
    await call("GET", "/api/v1/secrets", { token: alice }, "secret.list", "ok", { status: 200 });
    await call("PATCH", "/api/v1/secrets/db", { token: alice, body: { values: { password: "fixture-db-password-2", user: null } } }, "secret.update", "ok", {
      status: 200,
      check: (event) => expect(event.details).toMatchObject({ keys_set: ["password"], keys_removed: ["user"], version: 2 }),
    });
    await call("GET", "/api/v1/secrets/db/versions", { token: alice }, "secret.history_read", "ok", { status: 200 });
    await call("GET", "/api/v1/secrets/db/versions/1", { token: alice }, "secret.version_read", "ok", {
      status: 200,
      check: (event) => expect(event.details).toMatchObject({ version: 1, keys: ["password", "user"] }),
    });
    await call("POST", "/api/v1/secrets/db/rollback", { token: alice, body: { version: 1 } }, "secret.rollback", "ok", {
      status: 200,
      check: (event) => expect(event.details).toMatchObject({ restored_version: 1, version: 3 }),
    });
    await call("GET", "/api/v1/secrets/mine-not-yet/versions", { token: alice }, "secret.history_read", "error", { status: 404 });
    await call("PATCH", "/api/v1/secrets/db", { token: alice, body: { name: "database" } }, "secret.rename", "ok", { status: 200 });
    await call("PUT", "/api/v1/secrets/database/values", { token: alice, body: { values: { token: "fixture-token-value-3" } } }, "secret.update", "ok", { status: 200 });
    await call("POST", "/api/v1/references/resolve", { token: alice, body: { references: ["{{database.token}}"] } }, "reference.resolve", "ok", {
      status: 200,
      check: (event) => expect(event.details).toEqual({ references: ["database.token"] }),
    });
    await call("POST", "/api/v1/secrets", { token: alice, body: { name: "mine", scope: "user", values: { pin: "fixture-private-pin-4" } } }, "secret.create", "ok", { status: 201 });
    await call("GET", "/api/v1/secrets/mine", { token: bob }, "secret.read", "denied", { status: 404, error_code: "SECRET_NOT_FOUND" });
    await call("GET", "/api/v1/secrets/nothing-here", { token: bob }, "secret.read", "error", { status: 404, error_code: "SECRET_NOT_FOUND" });
    await call("GET", "/api/v1/users", { token: bob }, "http.request", "denied", {
      status: 403,
      error_code: "FORBIDDEN",
      check: (event) => expect(event.target).toMatchObject({ type: "route", name: "GET /api/v1/users" }),
    });
    await call("GET", "/api/v1/secrets", {}, "secret.list", "denied", { status: 401, error_code: "UNAUTHENTICATED" });
    await call("GET", "/api/v1/secrets", { token: "not-a-valid-token-at-all" }, "secret.list", "denied", { status: 401 });
    await call("DELETE", "/api/v1/secrets/database", { token: alice }, "secret.delete", "ok", { status: 200 });
    await call("POST", "/api/v1/secrets/database/recover", { token: alice, body: {} }, "secret.recover", "ok", {
      status: 200,
      check: (event) => expect(event.target).toMatchObject({ type: "secret", name: "database", workspace: "default" }),
    });
    await call("DELETE", "/api/v1/secrets/database?purge=true", { token: alice }, "secret.purge", "ok", { status: 200 });
    await call("POST", "/api/v1/secrets/database/recover", { token: alice, body: {} }, "secret.recover", "error", { status: 404, error_code: "SECRET_NOT_FOUND" });
    await call("POST", "/api/v1/workspaces", { token: admin, body: { name: "staging" } }, "workspace.create", "ok", { status: 201 });
    await call("DELETE", "/api/v1/workspaces/staging", { token: admin }, "workspace.delete", "ok", { status: 204 });
    await call("DELETE", `/api/v1/api-keys/${key.json.id}`, { token: alice }, "api_key.delete", "ok", { status: 204 });
    await call("POST", "/api/v1/logout", { token: alice }, "auth.logout", "ok", { status: 204 });
    await call("DELETE", "/api/v1/users/bob", { token: admin }, "user.delete", "ok", { status: 204 });
    // Reads that are not security-relevant record nothing.
    const unrecorded = randomUUID();
    await server.call("GET", "/api/v1/current-user", { token: admin, headers: { "X-Request-Id": unrecorded } });

    const events = await allEvents(server, admin);
    for (const want of expected) {
      const matching = events.filter((event) => event.request_id === want.requestId);
      expect({ requestId: want.requestId, action: want.action, count: matching.length }).toEqual({ requestId: want.requestId, action: want.action, count: 1 });
      expect(matching[0]).toMatchObject({ action: want.action, outcome: want.outcome, ...(want.error_code ? { error_code: want.error_code } : {}) });
      want.check?.(matching[0]!);
    }
    expect(events.filter((event) => event.request_id === unrecorded)).toEqual([]);

    const verify = await server.call("GET", "/api/v1/audit/verify", { token: admin });
    expect(verify.json).toMatchObject({ valid: true });

    const database = await openDatabase(db.url);
    try {
      const table = JSON.stringify(await database.knex("audit_events").select("*"));
      const file = await readFile(auditFile(), "utf8");
      const leaked = [...server.sensitive].filter((value) => value.length >= 6 && (table.includes(value) || file.includes(value)));
      expect(leaked).toEqual([]);
      expect(file.trim().split("\n").length).toBe(events.length + 1); // + the verify event
    } finally {
      await database.close();
    }
    expect(server.leakedIntoLogs()).toEqual([]);
  });

  it("the sweeper's purges are audited: one secret.purge per expired secret, by nobody, with the reason", async () => {
    const sweepDb = await createDatabase();
    const env = { ZS_ENCRYPTION_KEY: randomBytes(32).toString("base64") };
    const first = await TestServer.start({ databaseUrl: sweepDb.url, env });
    let id: string;
    try {
      const token = await first.login("admin", ADMIN_PASSWORD);
      const created = await first.call("POST", "/api/v1/secrets", { token, body: { name: "expiring", values: { k: "fixture-expiring-value" } } });
      id = created.json.id as string;
      expect((await first.call("DELETE", "/api/v1/secrets/expiring", { token })).status).toBe(200);
      // The recovery window ends: the row says so, as a week later would.
      const database = await openDatabase(sweepDb.url);
      try {
        await database.knex("secrets").where({ id }).update({ purge_after: Date.now() - 1000 });
      } finally {
        await database.close();
      }
    } finally {
      await first.stop();
    }
    // A server sweeps at start.
    const second = await TestServer.start({ databaseUrl: sweepDb.url, env });
    try {
      const token = await second.login("admin", ADMIN_PASSWORD);
      let purges: WireEvent[] = [];
      for (let tries = 0; tries < 100 && purges.length === 0; tries++) {
        purges = (await allEvents(second, token)).filter((event) => event.action === "secret.purge");
        if (purges.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(purges).toHaveLength(1);
      expect(purges[0]).toMatchObject({
        outcome: "ok",
        actor: { user_id: null, user_name: null, via: null },
        target: { type: "secret", id, name: "expiring", workspace: "default" },
        details: { reason: "recovery_window_ended" },
      });
      expect((await second.call("GET", "/api/v1/secrets?deleted=true", { token })).json.items).toEqual([]);
      expect((await second.call("GET", "/api/v1/audit/verify", { token })).json).toMatchObject({ valid: true });
      expect(JSON.stringify(await allEvents(second, token))).not.toContain("fixture-expiring-value");
    } finally {
      await second.stop();
      await sweepDb.drop();
    }
  });

  it("an edited stored event is named by verify", async () => {
    const events = await allEvents(server, admin);
    const victim = events[Math.floor(events.length / 2)]!;
    const database = await openDatabase(db.url);
    const knex = database.knex;
    try {
      await knex("audit_events").where({ seq: victim.seq }).update({ actor_user_name: "mallory" });
      const verify = await server.call("GET", "/api/v1/audit/verify", { token: admin });
      expect(verify.status).toBe(200);
      expect(verify.json).toMatchObject({ valid: false, first_invalid: { seq: victim.seq, id: victim.id, reason: "hash_mismatch" } });
      await knex("audit_events").where({ seq: victim.seq }).update({ actor_user_name: victim.actor.user_name });
      expect((await server.call("GET", "/api/v1/audit/verify", { token: admin })).json).toMatchObject({ valid: true });
    } finally {
      await database.close();
    }
  });

  it("the audit routes refuse bad input with a clear 400, and non-admins with 403", async () => {
    const cases: [string, RegExp][] = [
      ["since=yesterday", /since/],
      ["until=2026-02-30", /until/],
      ["outcome=maybe", /outcome/],
      ["colour=red", /colour/],
      ["page=0", /page/],
      ["size=5000", /size/],
      ["after=-1", /after/],
      ["since=2026-02-01&until=2026-01-01", /before/],
    ];
    for (const [query, message] of cases) {
      const result = await server.call("GET", `/api/v1/audit?${query}`, { token: admin });
      expect({ query, status: result.status, code: result.json.error.code }).toEqual({ query, status: 400, code: "INVALID_FILTER" });
      expect(result.json.error.message).toMatch(message);
    }
    expect((await server.call("GET", "/api/v1/audit?page=999", { token: admin })).json.error.code).toBe("PAGE_OUT_OF_RANGE");
    expect((await server.call("GET", "/api/v1/audit/verify?x=1", { token: admin })).status).toBe(400);
    const openapi = (await server.call("GET", "/openapi.json")).json;
    expect(openapi.paths["/api/v1/audit"].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(
      ["action", "actor", "after", "outcome", "page", "since", "size", "target", "until"],
    );
    expect(openapi.paths["/api/v1/audit/verify"].get.responses["200"]).toBeDefined();
    const carol = await server.createUser(admin, "carol");
    expect((await server.call("GET", "/api/v1/audit", { token: carol })).status).toBe(403);
    expect((await server.call("GET", "/api/v1/audit/verify", { token: carol })).status).toBe(403);
    const denied = await server.call("GET", "/api/v1/audit?actor=carol&outcome=denied&action=audit.*", { token: admin });
    expect(denied.json.items.map((event: WireEvent) => event.action).sort()).toEqual(["audit.verify"]);
    const filtered = await server.call("GET", "/api/v1/audit?actor=carol&outcome=denied&since=2000-01-01&until=2999-01-01", { token: admin });
    expect(filtered.json.total).toBe(2);
  });

  it("with ZS_AUDIT=required and the audit file unwritable, value reads answer AUDIT_UNAVAILABLE and carry no value", async () => {
    const created = await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "guarded", values: { v: "fixture-guarded-value-5" } } });
    expect(created.status).toBe(201);
    await rm(auditFile());
    await mkdir(auditFile());
    try {
      const read = await server.call("GET", "/api/v1/secrets/guarded", { token: admin });
      expect(read.status).toBe(503);
      expect(read.json.error.code).toBe("AUDIT_UNAVAILABLE");
      expect(read.text).not.toContain("fixture-guarded-value-5");
      const resolved = await server.call("POST", "/api/v1/references/resolve", { token: admin, body: { references: ["{{guarded.v}}"] } });
      expect(resolved.status).toBe(503);
      expect(resolved.text).not.toContain("fixture-guarded-value-5");
      // Right after a failed batch, an action is refused before it is carried out.
      const refused = await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "unaudited", values: { v: "x" } } });
      expect(refused.json.error.code).toBe("AUDIT_UNAVAILABLE");
    } finally {
      await rm(auditFile(), { recursive: true });
    }
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const again = await server.call("GET", "/api/v1/secrets/guarded", { token: admin });
    expect(again.status).toBe(200);
    expect((await server.call("GET", "/api/v1/secrets/unaudited", { token: admin })).status).toBe(404);
    expect(server.logs).toMatch(/audit log unavailable/);
    expect(server.leakedIntoLogs()).toEqual([]);
  });
});

(postgresUrl ? describe : describe.skip)("two server instances on one PostgreSQL", () => {
  let db: TestDatabase;
  let servers: TestServer[];

  beforeAll(async () => {
    db = await createPostgresDatabase();
    const env = { ZS_ENCRYPTION_KEY: randomBytes(32).toString("base64") };
    servers = [await TestServer.start({ databaseUrl: db.url, env }), await TestServer.start({ databaseUrl: db.url, env })];
  });
  afterAll(async () => {
    for (const server of servers ?? []) await server.stop();
    await db.drop();
  });

  it("1,000 mixed requests over both write one verifiable chain with exactly one event per action", async () => {
    const tokens = await Promise.all(servers.map((server) => server.login("admin", ADMIN_PASSWORD)));
    const requestIds: string[] = [];
    const send = (i: number) => {
      const server = servers[i % 2]!;
      const token = tokens[i % 2]!;
      const requestId = `mixed-${i}`;
      requestIds.push(requestId);
      const headers = { "X-Request-Id": requestId };
      const name = `s${i % 50}`;
      switch (i % 5) {
        case 0:
          return server.call("POST", "/api/v1/secrets", { token, headers, body: { name: `n${i}`, values: { k: `v${i}` } } });
        case 1:
          return server.call("GET", `/api/v1/secrets/${name}`, { token, headers });
        case 2:
          return server.call("GET", "/api/v1/secrets?size=5", { token, headers });
        case 3:
          return server.call("PATCH", `/api/v1/secrets/${name}`, { token, headers, body: { values: { [`k${i}`]: "x" } } });
        default:
          return server.call("GET", "/api/v1/secrets", { headers });
      }
    };
    for (let i = 0; i < 50; i++) await servers[0]!.call("POST", "/api/v1/secrets", { token: tokens[0], body: { name: `s${i}`, values: { k: "v" } } });
    const statuses: number[] = [];
    for (let start = 0; start < 1000; start += 50) {
      statuses.push(...(await Promise.all(Array.from({ length: 50 }, (_, j) => send(start + j)))).map((result) => result.status));
    }
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    const events = await allEvents(servers[1]!, tokens[1]!);
    const byRequest = new Map<string, number>();
    for (const event of events) byRequest.set(event.request_id, (byRequest.get(event.request_id) ?? 0) + 1);
    expect(requestIds.filter((id) => byRequest.get(id) !== 1)).toEqual([]);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    const verify = await servers[0]!.call("GET", "/api/v1/audit/verify", { token: tokens[0] });
    expect(verify.json).toMatchObject({ valid: true, checked: events.length });
  });
});

describe("the audit modes", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "zs-audit-modes-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("best-effort never fails a request: with the audit file unwritable reads answer, and the losses are logged", async () => {
    await mkdir(path.join(dir, "a-directory"));
    const server = await TestServer.start({ env: { ZS_AUDIT: "best-effort", ZS_AUDIT_FILE: path.join(dir, "a-directory") } });
    try {
      const admin = await server.login("admin", ADMIN_PASSWORD);
      expect((await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "db", values: { p: "fixture-best-effort-value" } } })).status).toBe(201);
      const read = await server.call("GET", "/api/v1/secrets/db", { token: admin });
      expect(read.status).toBe(200);
      expect(read.json.values).toEqual({ p: "fixture-best-effort-value" });
      await server.running.services.audit.recorder.flush();
      expect(server.running.services.audit.recorder.stats.lost).toBeGreaterThanOrEqual(3);
      expect(server.logs).toMatch(/audit events lost/);
      expect(server.leakedIntoLogs()).toEqual([]);
    } finally {
      await server.stop();
    }
  });

  it("off records nothing", async () => {
    const server = await TestServer.start({ env: { ZS_AUDIT: "off" } });
    try {
      const admin = await server.login("admin", ADMIN_PASSWORD);
      await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "db", values: { p: "v" } } });
      await server.call("GET", "/api/v1/secrets/db", { token: admin });
      await server.call("GET", "/api/v1/secrets");
      const page = await server.call("GET", "/api/v1/audit", { token: admin });
      expect(page.json).toMatchObject({ total: 0, items: [] });
      expect((await server.call("GET", "/api/v1/audit/verify", { token: admin })).json).toMatchObject({ valid: true, checked: 0 });
    } finally {
      await server.stop();
    }
  });

  it("ZS_AUDIT settings are checked at start", () => {
    for (const [name, value, message] of [
      ["ZS_AUDIT", "sometimes", /ZS_AUDIT must be one of required, best-effort, off/],
      ["ZS_AUDIT_FLUSH_MS", "soon", /ZS_AUDIT_FLUSH_MS must be a whole number/],
      ["ZS_AUDIT_RETENTION_DAYS", "-1", /ZS_AUDIT_RETENTION_DAYS must be a whole number/],
    ] as const) {
      expect(() => readConfig({ env: { [name]: value } })).toThrow(message);
    }
  });
});
