import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { SqlDatabase } from "@zs/store-sql";
import { describeSecretCrud } from "./support/secret-crud-suite.js";
import { ADMIN_PASSWORD, TestServer } from "./support/test-server.js";

describeSecretCrud("the sql store (the default)", () => TestServer.start());

describe("users and workspaces over HTTP", () => {
  let server: TestServer;
  let admin: string;
  let erin: string;

  beforeAll(async () => {
    server = await TestServer.start();
    admin = await server.login("admin", ADMIN_PASSWORD);
    erin = await server.createUser(admin, "erin");
  });
  afterAll(async () => {
    expect(server.leakedIntoLogs()).toEqual([]);
    await server.stop();
  });

  it("admins list and create users; others get 403", async () => {
    const users = await server.call("GET", "/api/v1/users", { token: admin });
    expect(users.json.map((user: { name: string }) => user.name).sort()).toEqual(["admin", "erin"]);
    expect(users.json[0]).toEqual({ id: expect.any(String), name: expect.any(String), is_admin: expect.any(Boolean), created: expect.any(String) });
    expect(users.text).not.toContain("password");
    for (const [method, path, body] of [
      ["GET", "/api/v1/users", undefined],
      ["POST", "/api/v1/users", { name: "mallory", password: "mallory-password" }],
      ["DELETE", "/api/v1/users/admin", undefined],
      ["POST", "/api/v1/workspaces", { name: "erins" }],
      ["DELETE", "/api/v1/workspaces/default", undefined],
    ] as const) {
      const result = await server.call(method, path, { token: erin, body });
      expect(result.status).toBe(403);
      expect(result.json.error.code).toBe("FORBIDDEN");
    }
  });

  it("a duplicate user is 409 USER_EXISTS; an unknown one 404 USER_NOT_FOUND", async () => {
    const duplicate = await server.call("POST", "/api/v1/users", { token: admin, body: { name: "erin", password: "another-password" } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.json.error.code).toBe("USER_EXISTS");
    const missing = await server.call("DELETE", "/api/v1/users/nobody", { token: admin });
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe("USER_NOT_FOUND");
  });

  it("deleting a user who owns secrets is 409 USER_OWNS_SECRETS unless cascade=true", async () => {
    const frank = await server.createUser(admin, "frank");
    await server.call("POST", "/api/v1/secrets", { token: frank, body: { name: "franks", scope: "user", values: { k: "frank-value-1" } } });
    const refused = await server.call("DELETE", "/api/v1/users/frank", { token: admin });
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe("USER_OWNS_SECRETS");
    expect((await server.call("DELETE", "/api/v1/users/frank?cascade=true", { token: admin })).status).toBe(204);
    expect((await server.call("GET", "/api/v1/users", { token: admin })).json.map((user: { name: string }) => user.name)).not.toContain("frank");
  });

  it("workspaces: create 201, list, duplicate 409, delete 204 with its secrets, unknown 404, default kept", async () => {
    const created = await server.call("POST", "/api/v1/workspaces", { token: admin, body: { name: "team-a" } });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ id: expect.any(String), name: "team-a", created: expect.any(String) });
    expect((await server.call("GET", "/api/v1/workspaces", { token: erin })).json.map((w: { name: string }) => w.name)).toEqual(["default", "team-a"]);
    expect((await server.call("POST", "/api/v1/workspaces", { token: admin, body: { name: "team-a" } })).json.error.code).toBe("WORKSPACE_EXISTS");
    await server.call("POST", "/api/v1/secrets", { token: erin, body: { name: "in-team-a", workspace: "team-a", values: { k: "team-a-value" } } });
    expect((await server.call("DELETE", "/api/v1/workspaces/team-a", { token: admin })).status).toBe(204);
    expect((await server.call("GET", "/api/v1/secrets?workspace=*&name=in-team-a", { token: erin })).json.total).toBe(0);
    const unknown = await server.call("DELETE", "/api/v1/workspaces/team-a", { token: admin });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe("WORKSPACE_NOT_FOUND");
    const secretInUnknown = await server.call("POST", "/api/v1/secrets", { token: erin, body: { name: "s", workspace: "team-a", values: { k: "v-unknown-ws" } } });
    expect(secretInUnknown.json.error.code).toBe("WORKSPACE_NOT_FOUND");
    expect((await server.call("DELETE", "/api/v1/workspaces/default", { token: admin })).status).toBe(400);
  });

  it("health answers without authentication; the OpenAPI document lists every route", async () => {
    const health = await server.call("GET", "/health");
    expect(health.status).toBe(200);
    expect(health.json).toEqual({ status: "ok", version: "test" });
    const openapi = await server.call("GET", "/openapi.json");
    expect(openapi.json.openapi).toBe("3.1.0");
    expect(Object.keys(openapi.json.paths)).toEqual(
      expect.arrayContaining(["/api/v1/login", "/api/v1/secrets", "/api/v1/secrets/{nameOrId}", "/api/v1/secrets/{nameOrId}/values", "/api/v1/users/{name}", "/api/v1/api-keys/{id}", "/api/v1/workspaces/{name}"]),
    );
    const create = openapi.json.paths["/api/v1/secrets"].post.requestBody.content["application/json"].schema;
    expect(create.required).toEqual(expect.arrayContaining(["name", "values"]));
    expect(create.additionalProperties).toBe(false);
    const list = openapi.json.paths["/api/v1/secrets"].get.parameters.map((p: { name: string }) => p.name);
    expect(list).toEqual(expect.arrayContaining(["name", "sort_by", "logical_operator", "page", "size"]));
  });

  it("every response carries the security headers and no X-Powered-By", async () => {
    for (const result of [await server.call("GET", "/health"), await server.call("GET", "/api/v1/nope", { token: admin })]) {
      expect(result.headers.get("x-content-type-options")).toBe("nosniff");
      expect(result.headers.get("x-powered-by")).toBeNull();
    }
  });
});

describe("a server with the values store disabled", () => {
  it("answers secrets routes with 501 SECRETS_STORE_DISABLED and still manages users", async () => {
    const server = await TestServer.start({ env: { ZS_SECRETS_STORE_TYPE: "none" } });
    try {
      const admin = await server.login("admin", ADMIN_PASSWORD);
      const result = await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "x", values: { k: "v-disabled" } } });
      expect(result.status).toBe(501);
      expect(result.json.error.code).toBe("SECRETS_STORE_DISABLED");
      expect((await server.call("GET", "/api/v1/users", { token: admin })).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});

describe("an id prefix over HTTP", () => {
  let server: TestServer;
  let database: SqlDatabase;
  let dir: string;
  let admin: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "zs-ambiguous-"));
    const databaseUrl = `sqlite:${path.join(dir, "zs.db")}`;
    server = await TestServer.start({ databaseUrl });
    admin = await server.login("admin", ADMIN_PASSWORD);
    // Random ids almost never share 8 characters: two rows with chosen ids, written beside the server.
    database = await SqlDatabase.open(databaseUrl);
    const workspace = await database.knex("workspaces").where({ name: "default" }).first("id");
    const owner = await database.knex("users").where({ name: "admin" }).first("id");
    const row = (id: string, name: string) => ({ id, workspace_id: workspace.id, owner_id: owner.id, name, scope: "workspace", keys: "[]", version: 1, created: 1, updated: 1 });
    await database.knex("secrets").insert([row("abcdef12-1111-4000-8000-000000000001", "twin-a"), row("abcdef12-2222-4000-8000-000000000002", "twin-b")]);
  });
  afterAll(async () => {
    await database.close();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("matching two secrets is 409 SECRET_AMBIGUOUS naming both, and changes nothing; a longer prefix finds the one", async () => {
    for (const [method, path] of [
      ["GET", "/api/v1/secrets/abcdef12"],
      ["PATCH", "/api/v1/secrets/abcdef12-"],
      ["DELETE", "/api/v1/secrets/ABCDEF12"],
    ] as const) {
      const ambiguous = await server.call(method, path, { token: admin, body: method === "PATCH" ? { name: "renamed" } : undefined });
      expect(ambiguous.status).toBe(409);
      expect(ambiguous.json.error.code).toBe("SECRET_AMBIGUOUS");
      expect(ambiguous.json.error.message).toContain("abcdef12-1111-4000-8000-000000000001");
      expect(ambiguous.json.error.message).toContain("abcdef12-2222-4000-8000-000000000002");
    }
    const names = async () => (await server.call("GET", "/api/v1/secrets?name=startswith:twin-", { token: admin })).json.items.map((s: { name: string }) => s.name);
    expect(await names()).toEqual(["twin-a", "twin-b"]);
    expect((await server.call("DELETE", "/api/v1/secrets/abcdef12-2", { token: admin })).status).toBe(200);
    expect(await names()).toEqual(["twin-a"]);
  });
});
