import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { parseDatePeriod } from "@zs/core";
import { startVaultEmulator, type VaultEmulator } from "@zs/emulators";
import fc from "fast-check";
import type { HttpResult } from "./support/http-client.js";
import { schemaArbitrary, type JsonSchema } from "./support/json-schema-arbitrary.js";
import { ADMIN_PASSWORD, TestServer } from "./support/test-server.js";

const run = promisify(execFile);
const resolvePackage = createRequire(__filename).resolve;
/** A package's own binary, run with this Node (no PATH, no npx). */
function binary(pkg: string, bin: string): string {
  return path.join(path.dirname(resolvePackage(`${pkg}/package.json`)), bin);
}

/** Logins, user creation and password changes are drawn too: cheap hashes keep them fast. */
const CHEAP_HASHES = { N: 2 ** 10, r: 8, p: 1 };
const METHODS = ["get", "put", "post", "patch", "delete"] as const;
const CAMEL_CASE = /^[a-z][a-zA-Z0-9]*$/;

interface Parameter {
  name: string;
  in: "path" | "query";
  required: boolean;
  schema: JsonSchema;
}
interface Operation {
  operationId: string;
  parameters: Parameter[];
  requestBody?: { required: boolean; content: { "application/json": { schema: JsonSchema } } };
  responses: Record<string, { headers?: Record<string, unknown>; content?: { "application/json": { schema: { properties?: { error?: unknown } } } } }>;
}
type Paths = Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;

describe("the OpenAPI document is the server's contract", () => {
  let server: TestServer;
  let backup: VaultEmulator;
  let admin: string;
  let document: { servers: unknown; paths: Paths };
  let workDir: string;
  /** Sessions for the positive checks of logout, which revokes the token it presents. */
  const spareSessions: string[] = [];

  beforeAll(async () => {
    // With a backup store, so that backup and restore run for real.
    backup = await startVaultEmulator();
    server = await TestServer.start({
      passwordCost: CHEAP_HASHES,
      env: { ZS_BACKUP_SECRETS_STORE_TYPE: "vault", ZS_BACKUP_SECRETS_STORE_VAULT_ADDR: backup.address, ZS_BACKUP_SECRETS_STORE_VAULT_TOKEN: backup.token },
    });
    server.sensitive.add(backup.token);
    admin = await server.login("admin", ADMIN_PASSWORD);
    for (let i = 0; i < 8; i++) spareSessions.push(await server.login("admin", ADMIN_PASSWORD));
    document = (await server.call("GET", "/openapi.json")).json;
    workDir = await mkdtemp(path.join(os.tmpdir(), "zs-openapi-"));
    await writeFile(path.join(workDir, "openapi.json"), JSON.stringify(document, null, 2));
  });
  afterAll(async () => {
    expect(server.leakedIntoLogs()).toEqual([]);
    await server.stop();
    await backup.close();
    await rm(workDir, { recursive: true, force: true });
  });

  const operations = () =>
    Object.entries(document.paths).flatMap(([pattern, byMethod]) =>
      METHODS.flatMap((method) => (byMethod[method] ? [{ pattern, method, operation: byMethod[method] }] : [])),
    );

  it("every operation has a unique camelCase operationId and lists each error status it can answer with the error schema", () => {
    expect(document.servers).toEqual([expect.objectContaining({ url: "/" })]);
    const ids = operations().map(({ operation }) => operation.operationId);
    expect(ids.length).toBeGreaterThan(40);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(CAMEL_CASE);
    for (const { operation } of operations()) {
      expect(operation.responses.default).toBeUndefined();
      const errors = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400);
      expect(errors.map(([status]) => status)).toContain("500");
      // Health and readiness answer 503 with their own report; every other error status with the error body.
      for (const [status, response] of errors) {
        if (status === "503" && ["getHealth", "getReadiness"].includes(operation.operationId)) continue;
        expect(response.content?.["application/json"].schema.properties?.error).toBeDefined();
      }
    }
    const getSecret = document.paths["/api/v1/secrets/{nameOrId}"]!.get!;
    expect(getSecret.operationId).toBe("getSecret");
    expect(Object.keys(getSecret.responses)).toEqual(expect.arrayContaining(["200", "400", "401", "404", "409", "500", "503"]));
    expect(Object.keys(getSecret.responses["200"]!.headers ?? {})).toEqual(["ETag", "Cache-Control"]);
    expect(Object.keys(document.paths["/api/v1/login"]!.post!.responses["429"]!.headers ?? {})).toEqual(["Retry-After"]);
  });

  it("@redocly/cli lint reports no error and no warning", async () => {
    const lint = await run(process.execPath, [binary("@redocly/cli", "bin/cli.js"), "lint", "openapi.json", "--format=json"], {
      cwd: workDir,
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" },
    }).catch((error: { stdout: string; stderr: string }) => error);
    const report = JSON.parse(lint.stdout) as { totals: { errors: number; warnings: number }; problems: { severity: string; message: string; location: { pointer: string }[] }[] };
    const problems = report.problems.map((problem) => `${problem.severity} ${problem.location[0]?.pointer}: ${problem.message}`);
    expect(problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 60_000);

  it("a client generated by openapi-typescript type-checks against real responses, and the declared headers are the ones sent", async () => {
    const call = (method: string, url: string, body?: unknown, token = admin) => server.call(method, url, { token, body });
    const responses: Record<string, HttpResult> = {};
    responses.login = await server.call("POST", "/api/v1/login", { body: { username: "admin", password: ADMIN_PASSWORD } });
    responses.getCurrentUser = await call("GET", "/api/v1/current-user");
    responses.createApiKey = await call("POST", "/api/v1/api-keys", { name: "contract", expires_in: "30d" });
    responses.listApiKeys = await call("GET", "/api/v1/api-keys");
    responses.createUser = await call("POST", "/api/v1/users", { name: "contract-user", password: "contract-password" });
    responses.listUsers = await call("GET", "/api/v1/users");
    responses.createWorkspace = await call("POST", "/api/v1/workspaces", { name: "contract-ws" });
    responses.listWorkspaces = await call("GET", "/api/v1/workspaces");
    responses.createSecret = await call("POST", "/api/v1/secrets", { name: "db", values: { pw: "contract-value-1", user: "app" } });
    responses.getSecret = await call("GET", "/api/v1/secrets/db");
    responses.updateSecret = await call("PATCH", "/api/v1/secrets/db", { values: { user: null, host: "h" } });
    responses.replaceSecretValues = await call("PUT", "/api/v1/secrets/db/values", { values: { pw: "contract-value-2" } });
    responses.listSecrets = await call("GET", "/api/v1/secrets?sort_by=desc:name");
    responses.listSecretVersions = await call("GET", "/api/v1/secrets/db/versions");
    responses.getSecretVersion = await call("GET", "/api/v1/secrets/db/versions/1");
    responses.rollbackSecret = await call("POST", "/api/v1/secrets/db/rollback", { version: 1 });
    responses.createComponent = await call("POST", "/api/v1/components", { name: "api", type: "service", flavor: "http", configuration: { pw: "{{db.pw}}" } });
    responses.createStack = await call("POST", "/api/v1/stacks", { name: "prod", components: ["api"] });
    responses.validateStack = await call("GET", "/api/v1/stacks/prod/validation?level=SECRET_AND_KEY_EXISTS");
    responses.resolveReferences = await call("POST", "/api/v1/references/resolve", { references: ["{{db.pw}}"] });
    responses.listSecretUsages = await call("GET", "/api/v1/secrets/db/usages");
    responses.deleteSecret = await call("DELETE", "/api/v1/secrets/db?purge=true");
    responses.getServerInfo = await call("GET", "/api/v1/server-info");
    responses.getReadiness = await call("GET", "/health/ready");
    responses.listAuditEvents = await call("GET", "/api/v1/audit?size=2");
    responses.verifyAuditLog = await call("GET", "/api/v1/audit/verify");
    responses.getMigration = await call("GET", "/api/v1/admin/migrations");
    const errors = {
      getSecret: await call("GET", "/api/v1/secrets/missing"),
      createSecret: await call("POST", "/api/v1/secrets", { name: "bad name", values: {} }),
      listSecrets: await call("GET", "/api/v1/secrets?page=99"),
      getCurrentUser: await call("GET", "/api/v1/current-user", undefined, "not-a-token"),
    };

    const operationsById = new Map(operations().map((entry) => [entry.operation.operationId, entry.operation]));
    const checks: string[] = [];
    for (const [id, response] of Object.entries(responses)) {
      const declared = operationsById.get(id)!.responses[String(response.status)];
      expect(`${id} ${response.status} ${declared ? "declared" : "undeclared"}`).toBe(`${id} ${response.status} declared`);
      // What the document says the response carries, and nothing it does not say.
      for (const header of ["ETag", "Cache-Control"]) expect(`${id} ${header}: ${response.headers.has(header)}`).toBe(`${id} ${header}: ${header in (declared!.headers ?? {})}`);
      checks.push(`const ${id}: Json<operations["${id}"], ${response.status}> = ${response.text};`);
    }
    for (const [id, response] of Object.entries(errors)) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      checks.push(`const ${id}Error: Json<operations["${id}"], ${response.status}> = ${response.text};`);
    }
    expect(errors.listSecrets.json.error.details).toEqual({ total_pages: 1 });

    await run(process.execPath, [binary("openapi-typescript", "bin/cli.js"), "openapi.json", "--output", "zs-api.d.ts"], { cwd: workDir });
    await writeFile(
      path.join(workDir, "check.ts"),
      [
        `import type { operations } from "./zs-api.js";`,
        `type Json<O, S extends number> = O extends { responses: { [K in S]: { content: { "application/json": infer T } } } } ? T : never;`,
        ...checks,
        "",
      ].join("\n"),
    );
    const tsc = await run(
      process.execPath,
      [binary("typescript", "bin/tsc"), "--noEmit", "--strict", "--target", "es2022", "--module", "nodenext", "--moduleResolution", "nodenext", "--skipLibCheck", "check.ts"],
      { cwd: workDir },
    ).catch((error: { stdout: string }) => ({ stdout: error.stdout, failed: true }));
    expect(tsc.stdout).toBe("");
  }, 60_000);

  it("a known path asked with a method it does not take is 405 with Allow; an unknown path stays 404", async () => {
    for (const [pattern, byMethod] of Object.entries(document.paths)) {
      const url = pattern.replace(/\{(\w+)\}/g, (_match, name: string) => (name === "version" ? "1" : name === "id" ? "00000000-0000-4000-8000-000000000000" : "x"));
      const allowed = METHODS.filter((method) => byMethod[method]);
      const expectedAllow = allowed.map((method) => method.toUpperCase()).concat(allowed.includes("get") ? ["HEAD"] : []);
      for (const method of METHODS.filter((candidate) => !byMethod[candidate])) {
        const result = await server.call(method.toUpperCase(), url, { token: admin });
        expect(`${method} ${url} ${result.status} ${result.json?.error?.code}`).toBe(`${method} ${url} 405 METHOD_NOT_ALLOWED`);
        expect(result.headers.get("allow")?.split(", ").sort()).toEqual([...expectedAllow].sort());
      }
    }
    const unknown = await server.call("GET", "/api/v1/nothing-here", { token: admin });
    expect([unknown.status, unknown.json.error.code]).toEqual([404, "NOT_FOUND"]);
    expect(unknown.headers.get("allow")).toBeNull();
  });

  it("requests generated from the document are accepted: never a validation error, never a 5xx", async () => {
    // Its `to` names a values store to connect to and move every value into; migrations.test.ts covers it.
    const skipped = new Set(["startMigration"]);
    const problems: string[] = [];
    for (const { pattern, method, operation } of operations()) {
      if (skipped.has(operation.operationId)) continue;
      const parameters = operation.parameters;
      const pathParameters = Object.fromEntries(parameters.filter((p) => p.in === "path").map((p) => [p.name, schemaArbitrary(p.schema)]));
      const queryParameters = Object.fromEntries(parameters.filter((p) => p.in === "query").map((p) => [p.name, schemaArbitrary(p.schema)]));
      const request = fc.record({
        path: fc.record(pathParameters),
        query: fc.record(queryParameters, { requiredKeys: parameters.filter((p) => p.in === "query" && p.required).map((p) => p.name) }),
        body: operation.requestBody ? schemaArbitrary(operation.requestBody.content["application/json"].schema) : fc.constant(undefined),
      });
      const failure = await fc.check(
        fc.asyncProperty(request, async ({ path: values, query, body }) => {
          // The one rule across parameters that JSON Schema cannot state (the document says it in words).
          const { since, until } = query as { since?: string; until?: string };
          if (since !== undefined && until !== undefined) fc.pre(parseDatePeriod(since)!.start < parseDatePeriod(until)!.start);
          const url =
            pattern.replace(/\{(\w+)\}/g, (_match, name: string) => encodeURIComponent(String(values[name]))) +
            (Object.keys(query).length ? `?${new URLSearchParams(query as Record<string, string>)}` : "");
          const token = operation.operationId === "logout" ? spareSessions.pop() : admin;
          const result = await server.call(method.toUpperCase(), url, { token, body });
          const refused = result.status >= 500 || (result.status === 400 && ["VALIDATION_ERROR", "INVALID_FILTER"].includes(result.json?.error?.code));
          const undeclared = !(String(result.status) in operation.responses);
          if (refused || undeclared) {
            throw new Error(`${operation.operationId}: ${method.toUpperCase()} ${url} ${JSON.stringify(body)} → ${result.status}${undeclared ? " (undeclared)" : ""} ${result.text}`);
          }
        }),
        { numRuns: operation.operationId === "logout" ? 4 : 8 },
      );
      if (failure.failed) problems.push(String((failure.errorInstance as Error | undefined)?.message ?? failure.counterexample));
    }
    expect(problems).toEqual([]);
  }, 120_000);
});
