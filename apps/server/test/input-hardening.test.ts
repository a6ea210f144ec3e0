import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import http from "node:http";
import { ADMIN_PASSWORD, TestServer } from "./support/test-server.js";

// security.md "Authentication and access" and "Input", over HTTP: each attack gets its clear
// error and changes nothing.

const json = { "content-type": "application/json" };

describe("input hardening over HTTP", () => {
  let server: TestServer;
  let admin: string;
  let erin: string;
  let frank: string;

  beforeAll(async () => {
    server = await TestServer.start();
    admin = await server.login("admin", ADMIN_PASSWORD);
    erin = await server.createUser(admin, "erin");
    frank = await server.createUser(admin, "frank");
    for (const name of ["team-a", "team-b"]) {
      expect((await server.call("POST", "/api/v1/workspaces", { token: admin, body: { name } })).status).toBe(201);
    }
  });
  afterAll(async () => {
    expect(server.leakedIntoLogs()).toEqual([]);
    await server.stop();
  });

  /** Creates a secret as `token`; the created secret. */
  async function create(token: string, body: Record<string, unknown>): Promise<{ id: string; name: string; version: number; values: Record<string, string> }> {
    const created = await server.call("POST", "/api/v1/secrets", { token, body });
    expect(created.status).toBe(201);
    return created.json;
  }

  describe("a lookup by id or id prefix is confined to the request's workspace", () => {
    it("GET, PATCH, PUT and DELETE /secrets/<id or prefix of a secret in team-b>?workspace=team-a are 404 SECRET_NOT_FOUND and change nothing", async () => {
      const secret = await create(erin, { name: "confined", workspace: "team-b", values: { k: "confined-value-1" } });
      for (const key of [secret.id, secret.id.slice(0, 8)]) {
        for (const query of ["?workspace=team-a", "", "?workspace=default&scope=workspace"]) {
          const path = `/api/v1/secrets/${key}${query}`;
          for (const [method, suffix, body] of [
            ["GET", "", undefined],
            ["PATCH", "", { values: { k: "overwritten-value-1" } }],
            ["PATCH", "", { scope: "user" }],
            ["PUT", "/values", { values: { k: "replaced-value-1" } }],
            ["DELETE", "", undefined],
          ] as const) {
            const target = suffix ? path.replace(query, "") + suffix + query : path;
            const result = await server.call(method, target, { token: admin, body });
            expect({ method, target, status: result.status, code: result.json?.error?.code }).toEqual({ method, target, status: 404, code: "SECRET_NOT_FOUND" });
          }
        }
      }
      const kept = await server.call("GET", `/api/v1/secrets/${secret.id}?workspace=team-b`, { token: erin });
      expect(kept.status).toBe(200);
      expect(kept.json).toEqual(secret);
    });

    it("workspace=* finds it by id and id prefix; the workspace it is in finds it too", async () => {
      const secret = await create(erin, { name: "findable", workspace: "team-b", values: { k: "findable-value-1" } });
      for (const path of [`/api/v1/secrets/${secret.id}?workspace=*`, `/api/v1/secrets/${secret.id.slice(0, 10)}?workspace=%2A`, `/api/v1/secrets/${secret.id}?workspace=team-b`]) {
        const found = await server.call("GET", path, { token: frank });
        expect({ path, status: found.status, id: found.json.id }).toEqual({ path, status: 200, id: secret.id });
      }
      expect((await server.call("DELETE", `/api/v1/secrets/${secret.id}?workspace=*`, { token: frank })).status).toBe(200);
    });
  });

  describe("only a secret's creator or an admin may change its scope", () => {
    it("another user's PATCH {scope: user} on a shared secret is 403 FORBIDDEN; the secret is unchanged and still visible to its creator", async () => {
      const secret = await create(erin, { name: "shared-scope", values: { k: "shared-scope-value-1" } });
      for (const body of [{ scope: "user" }, { scope: "user", values: { k: "stolen-value-1" } }]) {
        const refused = await server.call("PATCH", `/api/v1/secrets/${secret.name}`, { token: frank, body });
        expect(refused.status).toBe(403);
        expect(refused.json.error.code).toBe("FORBIDDEN");
        expect(refused.json.error.message).toContain("Only the creator");
      }
      const kept = await server.call("GET", `/api/v1/secrets/${secret.id}`, { token: erin });
      expect(kept.json).toEqual(secret);
      expect((await server.call("GET", `/api/v1/secrets/${secret.id}`, { token: admin })).status).toBe(200);
    });

    it("the creator and an admin may change the scope; a change to user scope makes the caller the owner", async () => {
      const mine = await create(erin, { name: "own-scope", values: { k: "own-scope-value-1" } });
      const byCreator = await server.call("PATCH", `/api/v1/secrets/${mine.id}`, { token: erin, body: { scope: "user" } });
      expect(byCreator.json).toMatchObject({ scope: "user", user: "erin", version: 2 });
      const shared = await create(erin, { name: "admin-scope", values: { k: "admin-scope-value-1" } });
      const byAdmin = await server.call("PATCH", `/api/v1/secrets/${shared.id}`, { token: admin, body: { scope: "user" } });
      expect(byAdmin.json).toMatchObject({ scope: "user", user: "admin", version: 2 });
      expect((await server.call("GET", `/api/v1/secrets/${shared.id}`, { token: erin })).status).toBe(404);
    });
  });

  describe("validation errors are capped, and public routes do not echo unknown fields", () => {
    it("a body with 1,500 bad keys gets a short 400 listing 20 problems and '… and 1480 more'; nothing is written", async () => {
      const values = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`${i}bad`, "v"]));
      const result = await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "many-bad-keys", values } });
      expect(result.status).toBe(400);
      expect(result.json.error.code).toBe("VALIDATION_ERROR");
      expect(result.json.error.message).toMatch(/… and 1480 more\.$/);
      expect(result.text.length).toBeLessThan(10_000);
      expect((await server.call("GET", "/api/v1/secrets/many-bad-keys", { token: admin })).status).toBe(404);
    });

    it("an 840 KB body of 45,000 keys is 413 SECRET_TOO_LARGE before any key is checked; nothing is written", async () => {
      const values = Object.fromEntries(Array.from({ length: 45_000 }, (_, i) => [`${i}bad key`, "v"]));
      const result = await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "huge-bad-keys", values } });
      expect(result.status).toBe(413);
      expect(result.json.error).toEqual({ code: "SECRET_TOO_LARGE", message: "A secret holds at most 1000 keys; these values have 45000." });
      expect((await server.call("GET", "/api/v1/secrets/huge-bad-keys", { token: admin })).status).toBe(404);
    });

    it("POST /login with unknown fields or query parameters is 400 without naming them", async () => {
      for (const [path, body] of [
        ["/api/v1/login", { username: "admin", password: ADMIN_PASSWORD, probe_field_x1: "1", other_field_y2: 2 }],
        ["/api/v1/login?probe_param_z3=1", { username: "admin", password: ADMIN_PASSWORD }],
      ] as const) {
        const result = await server.call("POST", path, { body });
        expect(result.status).toBe(400);
        expect(result.json.error.code).toBe("VALIDATION_ERROR");
        expect(result.json.error.message).toContain("unknown fields are not allowed");
        expect(result.text).not.toMatch(/probe_|other_field/);
      }
    });

    it("authenticated routes still name unknown fields", async () => {
      const result = await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "a", values: {}, colour_q7: "red" } });
      expect(result.status).toBe(400);
      expect(result.json.error.message).toContain("'colour_q7'");
    });
  });

  describe("authentication happens before the body is read or parsed", () => {
    it.each([
      ["invalid JSON", "{not json"],
      ["a body over 1 MiB", JSON.stringify({ name: "big", values: { k: "x".repeat(1_100_000) } })],
      ["a body of a wrong shape", JSON.stringify([1, 2, 3])],
    ])("an unauthenticated POST with %s is 401, not 400 or 413", async (_label, rawBody) => {
      for (const token of [undefined, "not-a-real-token-000000000000000000000000"]) {
        const result = await server.call("POST", "/api/v1/secrets", { rawBody, headers: json, token });
        expect({ status: result.status, code: result.json?.error?.code }).toEqual({ status: 401, code: "UNAUTHENTICATED" });
      }
    });

    it("an unauthenticated request announcing a 100 MB body is answered 401 without waiting for the body", async () => {
      const url = new URL(server.url);
      const status = await new Promise<number>((resolve, reject) => {
        const outgoing = http.request(
          { host: url.hostname, port: url.port, method: "POST", path: "/api/v1/secrets", headers: { ...json, "content-length": String(100_000_000) } },
          (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
            outgoing.destroy();
          },
        );
        outgoing.on("error", (error) => (error.message.includes("socket hang up") ? undefined : reject(error)));
        outgoing.flushHeaders();
        setTimeout(() => reject(new Error("no answer within 5 s: the server waited for the body")), 5000).unref();
      });
      expect(status).toBe(401);
    });
  });

  describe("If-Match compares strongly; a version that cannot match is 412", () => {
    it.each([['W/"1"'], ['"0"'], ['"abc"'], ['"-1"'], ['"01"'], ['"1.0"'], ['W/"1", "7"'], ['"8", "9"']])(
      "If-Match: %s is 412 VERSION_MISMATCH and nothing changes",
      async (ifMatch) => {
        const secret = await create(erin, { name: `etag-${Math.random().toString(36).slice(2, 10)}`, values: { k: "etag-value-1" } });
        const result = await server.call("PATCH", `/api/v1/secrets/${secret.id}`, { token: erin, body: { values: { k: "etag-value-2" } }, headers: { "if-match": ifMatch } });
        expect({ status: result.status, code: result.json?.error?.code }).toEqual({ status: 412, code: "VERSION_MISMATCH" });
        expect((await server.call("GET", `/api/v1/secrets/${secret.id}`, { token: erin })).json).toEqual(secret);
      },
    );

    it('If-Match: "1" on version 1, *, and a list naming the current version all update', async () => {
      const secret = await create(erin, { name: "etag-ok", values: { k: "etag-ok-value-1" } });
      for (const [ifMatch, version] of [['"1"', 2], ["*", 3], ['"9", W/"4", "3"', 4]] as const) {
        const result = await server.call("PATCH", `/api/v1/secrets/${secret.id}`, { token: erin, body: { values: { n: `etag-ok-value-${version}` } }, headers: { "if-match": ifMatch } });
        expect({ ifMatch, status: result.status, version: result.json.version }).toEqual({ ifMatch, status: 200, version });
        expect(result.headers.get("etag")).toBe(`"${version}"`);
      }
    });

    it("an If-Match that cannot match on a missing secret is 404; a header that is no entity tag is 400", async () => {
      const missing = await server.call("PATCH", "/api/v1/secrets/no-such-secret", { token: erin, body: { values: { k: "x-value-1" } }, headers: { "if-match": '"abc"' } });
      expect(missing.status).toBe(404);
      const malformed = await server.call("PATCH", "/api/v1/secrets/no-such-secret", { token: erin, body: { values: { k: "x-value-1" } }, headers: { "if-match": "one" } });
      expect({ status: malformed.status, code: malformed.json.error.code }).toEqual({ status: 400, code: "VALIDATION_ERROR" });
      expect(malformed.json.error.message).toContain("If-Match");
    });
  });

  describe("date offsets and Unicode", () => {
    it("a created/updated filter with offset +99:99 or +14:30 is 400 INVALID_FILTER naming the rule", async () => {
      for (const query of ["created=gte:2026-01-01T00:00:00%2B99:99", "updated=lt:2026-01-01T00:00:00-14:30", "created=2026-01-01%2014:00:00%2B14:01"]) {
        const result = await server.call("GET", `/api/v1/secrets?${query}`, { token: erin });
        expect({ query, status: result.status, code: result.json.error.code }).toEqual({ query, status: 400, code: "INVALID_FILTER" });
        expect(result.json.error.message).toContain("within -14:00 and +14:00");
      }
      expect((await server.call("GET", "/api/v1/secrets?created=gte:2026-01-01T00:00:00%2B14:00", { token: erin })).status).toBe(200);
    });

    it("a value with a lone surrogate is 400 VALIDATION_ERROR naming the key on create, update and replace; nothing is written", async () => {
      const secret = await create(erin, { name: "unicode-kept", values: { k: "unicode-kept-value-1" } });
      const bad = "\ud800";
      for (const [method, path, body] of [
        ["POST", "/api/v1/secrets", { name: "unicode-bad", values: { lone_key: bad } }],
        ["PATCH", `/api/v1/secrets/${secret.id}`, { values: { lone_key: `x${bad}` } }],
        ["PUT", `/api/v1/secrets/${secret.id}/values`, { values: { lone_key: `\udc00y` } }],
        ["POST", "/api/v1/components", { name: "unicode-component", type: "t", flavor: "f", configuration: { lone_key: bad } }],
      ] as const) {
        const result = await server.call(method, path, { token: erin, body });
        expect({ method, path, status: result.status, code: result.json.error.code }).toEqual({ method, path, status: 400, code: "VALIDATION_ERROR" });
        expect(result.json.error.message).toContain("lone_key: must be valid Unicode");
      }
      expect((await server.call("GET", `/api/v1/secrets/${secret.id}`, { token: erin })).json).toEqual(secret);
      expect((await server.call("GET", "/api/v1/secrets/unicode-bad", { token: erin })).status).toBe(404);
      expect((await server.call("GET", "/api/v1/components/unicode-component", { token: erin })).status).toBe(404);
    });
  });
});
