import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdir, symlink } from "node:fs/promises";
import path from "node:path";
import { createPostgresDatabase, createSqliteDatabase, postgresUrl, type TestDatabase } from "../../../packages/store-sql/test/support/test-databases.js";
import type { ServerUnderTest } from "./support/server-under-test.js";
import { SpawnedTestServer } from "./support/spawned-test-server.js";
import { ADMIN_PASSWORD, TestServer } from "./support/test-server.js";

/** Values that no history answer, error or log line may show. */
const FIXTURE = "http-history-fixture-5d2a";
const value = (n: number) => `${FIXTURE}-${n}`;

const databases: [string, () => Promise<TestDatabase>][] = [
  ["SQLite", createSqliteDatabase],
  ...(postgresUrl ? [["PostgreSQL", createPostgresDatabase] as [string, () => Promise<TestDatabase>]] : []),
];

describe.each(databases)("versions, history and rollback over HTTP on %s (sql store)", (_label, createDatabase) => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: string;
  let erin: string;
  let secretId: string;

  beforeAll(async () => {
    database = await createDatabase();
    server = await TestServer.start({ databaseUrl: database.url });
    admin = await server.login("admin", ADMIN_PASSWORD);
    erin = await server.createUser(admin, "erin");
    const created = await server.call("POST", "/api/v1/secrets", { token: erin, body: { name: "db", values: { password: value(1), user: "app" } } });
    secretId = created.json.id;
    for (let n = 2; n <= 12; n++) {
      const updated = await server.call("PATCH", "/api/v1/secrets/db", { token: erin, body: { values: { password: value(n) } } });
      expect(updated.status).toBe(200);
    }
  });
  afterAll(async () => {
    expect(server.leakedIntoLogs()).toEqual([]);
    expect(server.logs).not.toContain(FIXTURE);
    await server.stop();
    await database.drop();
  });

  it("GET …/versions lists the history newest first, paged like lists, key names only", async () => {
    const first = await server.call("GET", "/api/v1/secrets/db/versions?size=5", { token: erin });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ index: 1, max_size: 5, total_pages: 3, total: 12 });
    expect(first.json.items.map((entry: { version: number }) => entry.version)).toEqual([12, 11, 10, 9, 8]);
    expect(first.json.items[0]).toEqual({
      version: 12,
      time: expect.any(String),
      actor: "erin",
      action: "merge",
      keys_added: [],
      keys_removed: [],
      keys_changed: ["password"],
    });
    const last = await server.call("GET", `/api/v1/secrets/${secretId}/versions?page=3&size=5`, { token: erin });
    expect(last.json.items).toEqual([expect.objectContaining({ version: 2 }), expect.objectContaining({ version: 1, action: "create", keys_added: ["password", "user"] })]);
    expect(first.text + last.text).not.toContain(FIXTURE);
  });

  it("GET …/versions/{n} answers the values of version n, uncached; the 10 earlier versions are kept", async () => {
    for (let n = 2; n <= 12; n++) {
      const version = await server.call("GET", `/api/v1/secrets/db/versions/${n}`, { token: erin });
      expect(version.status).toBe(200);
      expect(version.json).toEqual({ id: secretId, name: "db", version: n, current_version: 12, keys: ["password", "user"], values: { password: value(n), user: "app" } });
      expect(version.headers.get("cache-control")).toBe("no-store");
    }
    const pruned = await server.call("GET", "/api/v1/secrets/db/versions/1", { token: erin });
    expect(pruned.status).toBe(409);
    expect(pruned.json.error).toMatchObject({ code: "HISTORY_UNAVAILABLE", message: expect.stringMatching(/pruned/) });
  });

  it("POST …/rollback writes version n's values as a new version, honouring If-Match", async () => {
    const stale = await server.call("POST", "/api/v1/secrets/db/rollback", { token: erin, body: { version: 5 }, headers: { "If-Match": '"11"' } });
    expect(stale.status).toBe(412);
    expect(stale.json.error.code).toBe("VERSION_MISMATCH");
    const rolled = await server.call("POST", "/api/v1/secrets/db/rollback", { token: erin, body: { version: 5 }, headers: { "If-Match": '"12"' } });
    expect(rolled.status).toBe(200);
    expect(rolled.json).toMatchObject({ name: "db", version: 13, values: { password: value(5), user: "app" } });
    expect(rolled.headers.get("etag")).toBe('"13"');
    const entry = (await server.call("GET", "/api/v1/secrets/db/versions?size=1", { token: erin })).json.items[0];
    expect(entry).toMatchObject({ version: 13, action: "rollback", restored_version: 5, keys_changed: ["password"] });
  });

  it("bad input: clear errors, nothing changed", async () => {
    const before = await server.call("GET", "/api/v1/secrets/db/versions?size=100", { token: erin });
    const current = await server.call("GET", "/api/v1/secrets/db", { token: erin });
    const cases: [string, string, unknown, number, string][] = [
      ["POST", "/api/v1/secrets/db/rollback", { version: 99 }, 404, "NOT_FOUND"],
      ["POST", "/api/v1/secrets/db/rollback", { version: 1 }, 409, "HISTORY_UNAVAILABLE"],
      ["POST", "/api/v1/secrets/db/rollback", { version: 13 }, 400, "VALIDATION_ERROR"],
      ["POST", "/api/v1/secrets/db/rollback", { version: 0 }, 400, "VALIDATION_ERROR"],
      ["POST", "/api/v1/secrets/db/rollback", { version: "3" }, 400, "VALIDATION_ERROR"],
      ["POST", "/api/v1/secrets/db/rollback", { version: 2.5 }, 400, "VALIDATION_ERROR"],
      ["POST", "/api/v1/secrets/db/rollback", {}, 400, "VALIDATION_ERROR"],
      ["POST", "/api/v1/secrets/db/rollback", { version: 3, values: { password: "x" } }, 400, "VALIDATION_ERROR"],
      ["GET", "/api/v1/secrets/db/versions/0", undefined, 400, "VALIDATION_ERROR"],
      ["GET", "/api/v1/secrets/db/versions/-1", undefined, 400, "VALIDATION_ERROR"],
      ["GET", "/api/v1/secrets/db/versions/abc", undefined, 400, "VALIDATION_ERROR"],
      ["GET", "/api/v1/secrets/db/versions/1.5", undefined, 400, "VALIDATION_ERROR"],
      ["GET", "/api/v1/secrets/db/versions/14", undefined, 404, "NOT_FOUND"],
      ["GET", "/api/v1/secrets/db/versions?page=0", undefined, 400, "VALIDATION_ERROR"],
      ["GET", "/api/v1/secrets/db/versions?page=9", undefined, 400, "PAGE_OUT_OF_RANGE"],
      ["GET", "/api/v1/secrets/db/versions?size=1001", undefined, 400, "VALIDATION_ERROR"],
      ["GET", "/api/v1/secrets/db/versions?sort=desc", undefined, 400, "VALIDATION_ERROR"],
      ["GET", "/api/v1/secrets/nothing-here/versions", undefined, 404, "SECRET_NOT_FOUND"],
    ];
    for (const [method, url, body, status, code] of cases) {
      const result = await server.call(method, url, { token: erin, body });
      expect({ url, body, status: result.status, code: result.json.error.code }).toEqual({ url, body, status, code });
      expect(result.json.error.message).not.toContain(FIXTURE);
    }
    expect((await server.call("GET", "/api/v1/secrets/db/versions?size=100", { token: erin })).json).toEqual(before.json);
    expect((await server.call("GET", "/api/v1/secrets/db", { token: erin })).json).toEqual(current.json);
  });

  it("the history of another user's private secret is 404, admins included, and nothing changes", async () => {
    const created = await server.call("POST", "/api/v1/secrets", { token: erin, body: { name: "erins", scope: "user", values: { k: value(100) } } });
    await server.call("PATCH", "/api/v1/secrets/erins", { token: erin, body: { values: { k: value(101) } } });
    const id = created.json.id;
    for (const [method, url, body] of [
      ["GET", `/api/v1/secrets/${id}/versions`, undefined],
      ["GET", `/api/v1/secrets/${id}/versions/1`, undefined],
      ["POST", `/api/v1/secrets/${id}/rollback`, { version: 1 }],
      ["GET", "/api/v1/secrets/erins/versions", undefined],
    ] as const) {
      const result = await server.call(method, url, { token: admin, body });
      expect(result.status).toBe(404);
      expect(result.json.error.code).toBe("SECRET_NOT_FOUND");
    }
    const mine = await server.call("GET", "/api/v1/secrets/erins", { token: erin });
    expect(mine.json).toMatchObject({ version: 2, values: { k: value(101) } });
  });

  it("the OpenAPI document describes the three routes with their error codes", async () => {
    const document = (await server.call("GET", "/openapi.json")).json;
    expect(Object.keys(document.paths["/api/v1/secrets/{nameOrId}/versions"])).toEqual(["get"]);
    expect(document.paths["/api/v1/secrets/{nameOrId}/versions/{version}"].get.responses["409"].description).toContain("HISTORY_UNAVAILABLE");
    const rollback = document.paths["/api/v1/secrets/{nameOrId}/rollback"].post;
    expect(rollback.requestBody.content["application/json"].schema.properties.version).toMatchObject({ type: "integer", minimum: 1 });
    expect(rollback.responses["412"].description).toContain("VERSION_MISMATCH");
  });

  it("the history tables hold no value", async () => {
    const opened = await import("@zs/store-sql").then(({ SqlDatabase }) => SqlDatabase.open(database.url));
    try {
      expect(JSON.stringify(await opened.knex("secret_history").select("*"))).not.toContain(FIXTURE);
      expect(JSON.stringify(await opened.knex("secret_value_versions").select("*"))).not.toContain(FIXTURE);
    } finally {
      await opened.close();
    }
  });
});

describe("versions over HTTP with the custom store example (no versioned capability)", () => {
  const EXAMPLE_DIR = path.resolve(__dirname, "..", "..", "..", "examples", "custom-store");
  let server: ServerUnderTest & { stop(): Promise<void>; logs: string };
  let token: string;

  beforeAll(async () => {
    server = await SpawnedTestServer.start({
      prepare: async (configDir) => {
        await mkdir(path.join(configDir, "node_modules", "@zs-examples"), { recursive: true });
        await symlink(EXAMPLE_DIR, path.join(configDir, "node_modules", "@zs-examples", "file-store"), "dir");
      },
      env: { ZS_SECRETS_STORE_TYPE: "@zs-examples/file-store", ZS_SECRETS_STORE_DIRECTORY: "values" },
    });
    token = await server.login("admin", ADMIN_PASSWORD);
  });
  afterAll(async () => {
    expect(server.leakedIntoLogs()).toEqual([]);
    await server.stop();
  });

  it("keeps every history entry but answers 409 HISTORY_UNAVAILABLE for earlier values, changing nothing", async () => {
    await server.call("POST", "/api/v1/secrets", { token, body: { name: "filed", values: { k: value(1) } } });
    await server.call("PATCH", "/api/v1/secrets/filed", { token, body: { values: { k: value(2) } } });
    const history = await server.call("GET", "/api/v1/secrets/filed/versions", { token });
    expect(history.json.items.map((entry: { action: string }) => entry.action)).toEqual(["merge", "create"]);
    const old = await server.call("GET", "/api/v1/secrets/filed/versions/1", { token });
    expect(old.status).toBe(409);
    expect(old.json.error).toMatchObject({ code: "HISTORY_UNAVAILABLE", message: expect.stringMatching(/'file' values store keeps no earlier values/) });
    const rollback = await server.call("POST", "/api/v1/secrets/filed/rollback", { token, body: { version: 1 } });
    expect(rollback.status).toBe(409);
    expect((await server.call("GET", "/api/v1/secrets/filed", { token })).json).toMatchObject({ version: 2, values: { k: value(2) } });
    // The current version's values are readable on any store.
    expect((await server.call("GET", "/api/v1/secrets/filed/versions/2", { token })).json.values).toEqual({ k: value(2) });
  });
});

describe("ZS_HISTORY_MAX_VERSIONS over HTTP", () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await TestServer.start({ env: { ZS_HISTORY_MAX_VERSIONS: "2" } });
    admin = await server.login("admin", ADMIN_PASSWORD);
  });
  afterAll(async () => {
    expect(server.leakedIntoLogs()).toEqual([]);
    await server.stop();
  });

  it("keeps that many earlier value versions; older ones answer HISTORY_UNAVAILABLE while their entries stay", async () => {
    await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "short", values: { k: value(1) } } });
    for (let n = 2; n <= 5; n++) await server.call("PATCH", "/api/v1/secrets/short", { token: admin, body: { values: { k: value(n) } } });
    expect((await server.call("GET", "/api/v1/secrets/short/versions", { token: admin })).json.total).toBe(5);
    for (const n of [3, 4, 5]) expect((await server.call("GET", `/api/v1/secrets/short/versions/${n}`, { token: admin })).json.values).toEqual({ k: value(n) });
    for (const n of [1, 2]) {
      const pruned = await server.call("GET", `/api/v1/secrets/short/versions/${n}`, { token: admin });
      expect(pruned.status).toBe(409);
      expect(pruned.json.error.message).toContain("zs keeps the last 2 earlier value versions of each secret (ZS_HISTORY_MAX_VERSIONS)");
    }
  });
});
