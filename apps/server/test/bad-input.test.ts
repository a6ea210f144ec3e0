import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ADMIN_PASSWORD, TestServer } from "./support/test-server.js";

// Malformed requests of every kind: each gets the right 4xx JSON error, nothing changes, and
// the server keeps answering. No input yields a 5xx.

type Case = {
  label: string;
  method: string;
  path: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  status: number;
  code: string;
  /** Something the message must say, so the client knows what to fix. */
  mentions?: string;
};

const json = { "content-type": "application/json" };
const longName = "n".repeat(256);

const CASES: Case[] = [
  // Bodies that are not JSON objects
  { label: "invalid JSON", method: "POST", path: "/api/v1/secrets", rawBody: "{not json", headers: json, status: 400, code: "VALIDATION_ERROR", mentions: "JSON" },
  { label: "truncated JSON", method: "POST", path: "/api/v1/secrets", rawBody: '{"name": "a", "values": {', headers: json, status: 400, code: "VALIDATION_ERROR" },
  { label: "a JSON array", method: "POST", path: "/api/v1/secrets", body: [1, 2], status: 400, code: "VALIDATION_ERROR" },
  { label: "a JSON string", method: "POST", path: "/api/v1/secrets", rawBody: '"db"', headers: json, status: 400, code: "VALIDATION_ERROR" },
  { label: "JSON null", method: "POST", path: "/api/v1/secrets", rawBody: "null", headers: json, status: 400, code: "VALIDATION_ERROR" },
  { label: "no body", method: "POST", path: "/api/v1/secrets", status: 400, code: "VALIDATION_ERROR" },
  { label: "a form body", method: "POST", path: "/api/v1/secrets", rawBody: "name=db", headers: { "content-type": "application/x-www-form-urlencoded" }, status: 400, code: "VALIDATION_ERROR", mentions: "application/json" },
  { label: "text/plain", method: "POST", path: "/api/v1/workspaces", rawBody: '{"name":"x"}', headers: { "content-type": "text/plain" }, status: 400, code: "VALIDATION_ERROR" },
  { label: "a body over 1 MiB", method: "POST", path: "/api/v1/secrets", rawBody: JSON.stringify({ name: "big", values: { k: "x".repeat(1_100_000) } }), headers: json, status: 413, code: "REQUEST_TOO_LARGE" },
  { label: "an unsupported charset", method: "POST", path: "/api/v1/secrets", rawBody: "{}", headers: { "content-type": "application/json; charset=latin-9" }, status: 400, code: "VALIDATION_ERROR" },
  // Wrong types and unknown fields
  { label: "name a number", method: "POST", path: "/api/v1/secrets", body: { name: 42, values: {} }, status: 400, code: "VALIDATION_ERROR", mentions: "name" },
  { label: "values an array", method: "POST", path: "/api/v1/secrets", body: { name: "a", values: ["x"] }, status: 400, code: "VALIDATION_ERROR", mentions: "values" },
  { label: "a value a number", method: "POST", path: "/api/v1/secrets", body: { name: "a", values: { k: 1 } }, status: 400, code: "VALIDATION_ERROR", mentions: "values.k" },
  { label: "a value null on create", method: "POST", path: "/api/v1/secrets", body: { name: "a", values: { k: null } }, status: 400, code: "VALIDATION_ERROR" },
  { label: "an unknown field", method: "POST", path: "/api/v1/secrets", body: { name: "a", values: {}, colour: "red" }, status: 400, code: "VALIDATION_ERROR", mentions: "colour" },
  { label: "scope not an allowed value", method: "POST", path: "/api/v1/secrets", body: { name: "a", values: {}, scope: "global" }, status: 400, code: "VALIDATION_ERROR", mentions: "scope" },
  { label: "is_admin a string", method: "POST", path: "/api/v1/users", body: { name: "u1", password: "long-enough-1", is_admin: "yes" }, status: 400, code: "VALIDATION_ERROR", mentions: "is_admin" },
  { label: "a short password", method: "POST", path: "/api/v1/users", body: { name: "u2", password: "short" }, status: 400, code: "VALIDATION_ERROR", mentions: "password" },
  { label: "login without a password", method: "POST", path: "/api/v1/login", body: { username: "admin" }, status: 400, code: "VALIDATION_ERROR", mentions: "password" },
  // A public route refuses unknown fields without naming them (security.md "Input").
  { label: "login with an unknown field", method: "POST", path: "/api/v1/login", body: { username: "admin", password: "x", otp: "1" }, status: 400, code: "VALIDATION_ERROR", mentions: "unknown fields are not allowed" },
  { label: "PATCH a value of a wrong type", method: "PATCH", path: "/api/v1/secrets/target", body: { values: { k: 5 } }, status: 400, code: "VALIDATION_ERROR" },
  { label: "PATCH with nothing to change", method: "PATCH", path: "/api/v1/secrets/target", body: {}, status: 400, code: "VALIDATION_ERROR", mentions: "Nothing to update" },
  { label: "PATCH expectedVersion in the body", method: "PATCH", path: "/api/v1/secrets/target", body: { expectedVersion: 1, name: "t2" }, status: 400, code: "VALIDATION_ERROR" },
  { label: "a malformed If-Match", method: "PATCH", path: "/api/v1/secrets/target", body: { name: "t3" }, headers: { "if-match": "one" }, status: 400, code: "VALIDATION_ERROR", mentions: "If-Match" },
  { label: "PUT values without values", method: "PUT", path: "/api/v1/secrets/target/values", body: { k: "v" }, status: 400, code: "VALIDATION_ERROR" },
  // Names, keys, sizes
  { label: "an empty name", method: "POST", path: "/api/v1/secrets", body: { name: "", values: {} }, status: 400, code: "VALIDATION_ERROR", mentions: "name" },
  { label: "a name of 256 characters", method: "POST", path: "/api/v1/secrets", body: { name: longName, values: {} }, status: 400, code: "VALIDATION_ERROR", mentions: "name" },
  { label: "a name with a dot", method: "POST", path: "/api/v1/secrets", body: { name: "db.prod", values: {} }, status: 400, code: "VALIDATION_ERROR" },
  { label: "a name that is a UUID", method: "POST", path: "/api/v1/secrets", body: { name: "123e4567-e89b-42d3-a456-426614174000", values: {} }, status: 400, code: "VALIDATION_ERROR" },
  { label: "a name with braces", method: "POST", path: "/api/v1/secrets", body: { name: "{{x}}", values: {} }, status: 400, code: "VALIDATION_ERROR" },
  { label: "a name with a NUL byte", method: "POST", path: "/api/v1/secrets", body: { name: "a\u0000b", values: {} }, status: 400, code: "VALIDATION_ERROR" },
  { label: "a unicode name", method: "POST", path: "/api/v1/secrets", body: { name: "clé", values: {} }, status: 400, code: "VALIDATION_ERROR" },
  { label: "a key starting with a digit", method: "POST", path: "/api/v1/secrets", body: { name: "a", values: { "12abc": "v" } }, status: 400, code: "VALIDATION_ERROR", mentions: "12abc" },
  { label: "a key with a space", method: "POST", path: "/api/v1/secrets", body: { name: "a", values: { "abc d": "v" } }, status: 400, code: "VALIDATION_ERROR" },
  { label: "an empty key", method: "POST", path: "/api/v1/secrets", body: { name: "a", values: { "": "v" } }, status: 400, code: "VALIDATION_ERROR" },
  { label: "a key __proto__", method: "POST", path: "/api/v1/secrets", rawBody: '{"name":"a","values":{"__proto__":"v"}}', headers: json, status: 400, code: "VALIDATION_ERROR" },
  { label: "1,001 keys", method: "POST", path: "/api/v1/secrets", body: { name: "a", values: Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, "v"])) }, status: 413, code: "SECRET_TOO_LARGE" },
  { label: "a secret of 65,537 bytes", method: "POST", path: "/api/v1/secrets", body: { name: "a", values: { k: "x".repeat(65_536) } }, status: 413, code: "SECRET_TOO_LARGE" },
  { label: "a workspace name with a slash", method: "POST", path: "/api/v1/workspaces", body: { name: "a/b" }, status: 400, code: "VALIDATION_ERROR" },
  { label: "an API key without a name", method: "POST", path: "/api/v1/api-keys", body: {}, status: 400, code: "VALIDATION_ERROR", mentions: "name" },
  // List queries
  { label: "a filter with % and _", method: "GET", path: "/api/v1/secrets?name=contains:%25_%25", status: 200, code: "" },
  { label: "a filter with quotes and SQL", method: "GET", path: `/api/v1/secrets?name=${encodeURIComponent("x' OR '1'='1")}`, status: 200, code: "" },
  { label: "a filter with a SQL comment", method: "GET", path: `/api/v1/secrets?name=${encodeURIComponent("startswith:a'; drop table secrets; --")}`, status: 200, code: "" },
  { label: "a filter with a NUL byte", method: "GET", path: "/api/v1/secrets?name=a%00b", status: 400, code: "INVALID_FILTER" },
  { label: "an unknown filter field", method: "GET", path: "/api/v1/secrets?colour=red", status: 400, code: "INVALID_FILTER", mentions: "colour" },
  { label: "an operator a date does not have", method: "GET", path: "/api/v1/secrets?created=contains:2026", status: 400, code: "INVALID_FILTER" },
  { label: "a bad date", method: "GET", path: "/api/v1/secrets?created=gte:2026-13-45", status: 400, code: "INVALID_FILTER" },
  { label: "an unknown sort field", method: "GET", path: "/api/v1/secrets?sort_by=password", status: 400, code: "INVALID_FILTER", mentions: "name, created, updated, scope" },
  { label: "an unknown sort direction", method: "GET", path: "/api/v1/secrets?sort_by=up:name", status: 400, code: "INVALID_FILTER" },
  { label: "logical_operator xor", method: "GET", path: "/api/v1/secrets?logical_operator=xor", status: 400, code: "INVALID_FILTER", mentions: "and" },
  { label: "page 0", method: "GET", path: "/api/v1/secrets?page=0", status: 400, code: "INVALID_FILTER", mentions: "page" },
  { label: "a negative page", method: "GET", path: "/api/v1/secrets?page=-1", status: 400, code: "INVALID_FILTER", mentions: "page" },
  { label: "a non-numeric page", method: "GET", path: "/api/v1/secrets?page=two", status: 400, code: "INVALID_FILTER", mentions: "page" },
  { label: "a huge page", method: "GET", path: "/api/v1/secrets?page=99999999999999999999", status: 400, code: "INVALID_FILTER" },
  { label: "a page past the last", method: "GET", path: "/api/v1/secrets?page=999999", status: 400, code: "PAGE_OUT_OF_RANGE" },
  { label: "size 0", method: "GET", path: "/api/v1/secrets?size=0", status: 400, code: "INVALID_FILTER", mentions: "size" },
  { label: "size 1001", method: "GET", path: "/api/v1/secrets?size=1001", status: 400, code: "INVALID_FILTER", mentions: "1000" },
  { label: "a fractional size", method: "GET", path: "/api/v1/secrets?size=1.5", status: 400, code: "INVALID_FILTER" },
  { label: "a repeated parameter", method: "GET", path: "/api/v1/secrets?name=a&name=b", status: 400, code: "INVALID_FILTER" },
  // Components, stacks, references
  { label: "a component configuration that is an array", method: "POST", path: "/api/v1/components", body: { name: "c1", type: "t", flavor: "f", configuration: ["x"] }, status: 400, code: "VALIDATION_ERROR", mentions: "configuration" },
  { label: "a component attribute a number", method: "POST", path: "/api/v1/components", body: { name: "c1", type: "t", flavor: "f", configuration: { k: 1 } }, status: 400, code: "VALIDATION_ERROR", mentions: "configuration.k" },
  { label: "a component attribute null on create", method: "POST", path: "/api/v1/components", body: { name: "c1", type: "t", flavor: "f", configuration: { k: null } }, status: 400, code: "VALIDATION_ERROR", mentions: "configuration.k" },
  { label: "a component attribute __proto__", method: "POST", path: "/api/v1/components", rawBody: '{"name":"c1","type":"t","flavor":"f","configuration":{"__proto__":"v"}}', headers: json, status: 400, code: "VALIDATION_ERROR" },
  { label: "a component without a type", method: "POST", path: "/api/v1/components", body: { name: "c1", flavor: "f" }, status: 400, code: "VALIDATION_ERROR", mentions: "type" },
  { label: "a component with an unknown field", method: "POST", path: "/api/v1/components", body: { name: "c1", type: "t", flavor: "f", secret: "x" }, status: 400, code: "VALIDATION_ERROR", mentions: "'secret'" },
  { label: "a component named by a reference", method: "POST", path: "/api/v1/components", body: { name: "{{target.k}}", type: "t", flavor: "f" }, status: 400, code: "VALIDATION_ERROR", mentions: "name" },
  { label: "a malformed reference in an attribute", method: "POST", path: "/api/v1/components", body: { name: "c1", type: "t", flavor: "f", configuration: { k: "{{target . k}}" } }, status: 400, code: "INVALID_REFERENCE", mentions: "'k'" },
  { label: "PATCH a component with an unknown field", method: "PATCH", path: "/api/v1/components/target-component", body: { name: "renamed" }, status: 400, code: "VALIDATION_ERROR", mentions: "'name'" },
  { label: "PATCH a component attribute of a wrong type", method: "PATCH", path: "/api/v1/components/target-component", body: { configuration: { k: false } }, status: 400, code: "VALIDATION_ERROR", mentions: "configuration.k" },
  { label: "a component path that is a reference", method: "GET", path: `/api/v1/components/${encodeURIComponent("{{target.k}}")}`, status: 400, code: "VALIDATION_ERROR", mentions: "component name" },
  { label: "an unknown component list parameter", method: "GET", path: "/api/v1/components?type=t", status: 400, code: "VALIDATION_ERROR", mentions: "'type'" },
  { label: "a repeated workspace parameter", method: "GET", path: "/api/v1/stacks?workspace=a&workspace=b", status: 400, code: "VALIDATION_ERROR", mentions: "workspace" },
  { label: "stack components a string", method: "POST", path: "/api/v1/stacks", body: { name: "s1", components: "target-component" }, status: 400, code: "VALIDATION_ERROR", mentions: "components" },
  { label: "a stack component name with a dot", method: "POST", path: "/api/v1/stacks", body: { name: "s1", components: ["a.b"] }, status: 400, code: "VALIDATION_ERROR", mentions: "components.0" },
  { label: "a lower-case validation level", method: "GET", path: "/api/v1/stacks/target-stack/validation?level=none", status: 400, code: "VALIDATION_ERROR", mentions: "NONE, SECRET_EXISTS, SECRET_AND_KEY_EXISTS" },
  { label: "resolve references a string", method: "POST", path: "/api/v1/references/resolve", body: { references: "{{target.k}}" }, status: 400, code: "VALIDATION_ERROR", mentions: "references" },
  { label: "resolve references holding a number", method: "POST", path: "/api/v1/references/resolve", body: { references: ["{{target.k}}", 7] }, status: 400, code: "VALIDATION_ERROR", mentions: "references.1" },
  { label: "resolve an empty references list", method: "POST", path: "/api/v1/references/resolve", body: { references: [] }, status: 400, code: "VALIDATION_ERROR", mentions: "references" },
  { label: "resolve with an unknown field", method: "POST", path: "/api/v1/references/resolve", body: { stack: "target-stack", level: "NONE" }, status: 400, code: "VALIDATION_ERROR", mentions: "'level'" },
  { label: "resolve 1,001 references", method: "POST", path: "/api/v1/references/resolve", body: { references: Array.from({ length: 1001 }, () => "{{target.k}}") }, status: 400, code: "LIMIT_EXCEEDED", mentions: "at most 1,000" },
  { label: "resolve a text holding 1,001 references", method: "POST", path: "/api/v1/references/resolve", body: { references: ["{{target.k}}".repeat(1001)] }, status: 400, code: "LIMIT_EXCEEDED", mentions: "1,001 references" },
  { label: "resolve 1,001 texts without references", method: "POST", path: "/api/v1/references/resolve", body: { references: Array.from({ length: 1001 }, () => "plain") }, status: 400, code: "LIMIT_EXCEEDED", mentions: "1,001 texts" },
  { label: "resolve a stack named by a number", method: "POST", path: "/api/v1/references/resolve", body: { stack: 7 }, status: 400, code: "VALIDATION_ERROR", mentions: "stack" },
  // Lookups and paths
  { label: "a lookup scope not allowed", method: "GET", path: "/api/v1/secrets/target?scope=team", status: 400, code: "VALIDATION_ERROR", mentions: "scope" },
  { label: "an unknown lookup parameter", method: "GET", path: "/api/v1/secrets/target?version=1", status: 400, code: "VALIDATION_ERROR", mentions: "version" },
  { label: "a missing secret with odd characters", method: "GET", path: `/api/v1/secrets/${encodeURIComponent("%' or 1=1 --")}`, status: 404, code: "SECRET_NOT_FOUND" },
  { label: "a badly encoded path", method: "GET", path: "/api/v1/secrets/%E0%A4%A", status: 400, code: "VALIDATION_ERROR" },
  { label: "cascade not a boolean", method: "DELETE", path: "/api/v1/users/nobody?cascade=yes", status: 400, code: "VALIDATION_ERROR", mentions: "cascade" },
  { label: "an unknown route", method: "GET", path: "/api/v1/secretz", status: 404, code: "NOT_FOUND" },
  { label: "an unsupported method on a known path", method: "PUT", path: "/api/v1/secrets", body: {}, status: 405, code: "METHOD_NOT_ALLOWED" },
];

describe("malformed requests", () => {
  let server: TestServer;
  let admin: string;
  let snapshot: string;

  /** Every secret, component and stack, as listed. */
  const everything = async () =>
    (await Promise.all(["/api/v1/secrets?workspace=*&size=1000", "/api/v1/components", "/api/v1/stacks"].map(async (path) => (await server.call("GET", path, { token: admin })).text))).join("\n");

  beforeAll(async () => {
    server = await TestServer.start();
    admin = await server.login("admin", ADMIN_PASSWORD);
    await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "target", values: { k: "target-value-1" } } });
    await server.call("POST", "/api/v1/components", { token: admin, body: { name: "target-component", type: "t", flavor: "f", configuration: { k: "{{target.k}}" } } });
    await server.call("POST", "/api/v1/stacks", { token: admin, body: { name: "target-stack", components: ["target-component"] } });
    snapshot = await everything();
  });
  afterAll(async () => {
    expect(server.leakedIntoLogs()).toEqual([]);
    await server.stop();
  });

  it(`covers at least 40 cases (${CASES.length})`, () => {
    expect(CASES.filter((c) => c.status >= 400).length).toBeGreaterThanOrEqual(40);
  });

  it.each(CASES)("$label → $status $code", async ({ method, path, body, rawBody, headers, status, code, mentions }) => {
    const result = await server.call(method, path, { token: admin, body, rawBody, headers });
    expect({ status: result.status, code: result.json?.error?.code ?? "" }).toEqual({ status, code });
    if (status >= 400) {
      expect(result.headers.get("content-type")).toMatch(/^application\/json/);
      expect(typeof result.json.error.message).toBe("string");
    }
    if (mentions) expect(result.json.error.message).toContain(mentions);
  });

  it("nothing changed and the server still answers", async () => {
    expect(await everything()).toBe(snapshot);
    expect((await server.call("GET", "/api/v1/secrets/target", { token: admin })).json.values).toEqual({ k: "target-value-1" });
    expect((await server.call("GET", "/health")).status).toBe(200);
    expect(server.logs).not.toMatch(/"status":5\d\d/);
  });
});
