import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { HttpResult } from "./support/http-client.js";
import { ADMIN_PASSWORD, TestServer } from "./support/test-server.js";

// http-api.md "Components, stacks, references": every route, the errors each can answer
// with, and the promises of references.md — stored verbatim, described verbatim, resolved
// only on request, for the caller only, never logged.

const ROUTES: [method: string, path: string, body?: unknown][] = [
  ["POST", "/api/v1/components", { name: "c", type: "t", flavor: "f" }],
  ["GET", "/api/v1/components"],
  ["GET", "/api/v1/components/c"],
  ["PATCH", "/api/v1/components/c", { type: "t" }],
  ["DELETE", "/api/v1/components/c"],
  ["POST", "/api/v1/stacks", { name: "s", components: ["c"] }],
  ["GET", "/api/v1/stacks"],
  ["GET", "/api/v1/stacks/s"],
  ["DELETE", "/api/v1/stacks/s"],
  ["GET", "/api/v1/stacks/s/validation"],
  ["POST", "/api/v1/references/resolve", { references: ["{{a.b}}"] }],
];

/** The error a response carries, with its status. */
function errorOf(result: HttpResult): { status: number; code: string; message: string } {
  return { status: result.status, code: result.json?.error?.code, message: result.json?.error?.message };
}

describe("components, stacks and references over HTTP", () => {
  let server: TestServer;
  let admin: string;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    server = await TestServer.start();
    admin = await server.login("admin", ADMIN_PASSWORD);
    alice = await server.createUser(admin, "alice");
    bob = await server.createUser(admin, "bob");
    await server.call("POST", "/api/v1/workspaces", { token: admin, body: { name: "team" } });
  });
  afterAll(async () => {
    expect(server.leakedIntoLogs()).toEqual([]);
    await server.stop();
  });

  const call = (token: string, method: string, path: string, body?: unknown) => server.call(method, path, { token, body });
  const secret = (token: string, name: string, values: Record<string, string>, extra: Record<string, string> = {}) =>
    call(token, "POST", "/api/v1/secrets", { name, values, ...extra });
  const component = (token: string, name: string, configuration: Record<string, string> = {}, extra: Record<string, string> = {}) =>
    call(token, "POST", "/api/v1/components", { name, type: "experiment-tracker", flavor: "mlflow", configuration, ...extra });
  const resolve = (token: string, body: unknown) => call(token, "POST", "/api/v1/references/resolve", body);

  it.each(ROUTES.map(([method, path, body]) => ({ method, path, body })))("$method $path without a token is 401 UNAUTHENTICATED", async ({ method, path, body }) => {
    const result = await server.call(method, path, { body });
    expect(errorOf(result)).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
  });

  it("the OpenAPI document describes every route", async () => {
    const paths = (await server.call("GET", "/openapi.json")).json.paths;
    for (const [method, path] of ROUTES) {
      const documented = path.replace(/\/(c|s)(?=\/|$)/, "/{name}");
      expect(paths[documented]?.[method.toLowerCase()]).toBeDefined();
    }
    const validation = paths["/api/v1/stacks/{name}/validation"].get.parameters.find((p: { name: string }) => p.name === "level");
    expect(validation.schema.enum).toEqual(["NONE", "SECRET_EXISTS", "SECRET_AND_KEY_EXISTS"]);
    const create = paths["/api/v1/components"].post.requestBody.content["application/json"].schema;
    expect(create.required).toEqual(expect.arrayContaining(["name", "type", "flavor"]));
    expect(create.additionalProperties).toBe(false);
  });

  describe("components", () => {
    it("POST registers a component: 201, references verbatim; the same name again is 409 COMPONENT_EXISTS", async () => {
      const configuration = { tracking_uri: "https://{{ml.user}}@ml.example", password: "{{ ml.password }}", literal: "\\{{not.resolved}}" };
      const created = await component(alice, "tracker", configuration);
      expect(created.status).toBe(201);
      expect(created.json).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: "tracker",
        type: "experiment-tracker",
        flavor: "mlflow",
        workspace: "default",
        user: "alice",
        configuration,
        created: expect.stringMatching(/Z$/),
        updated: created.json.created,
      });
      expect(errorOf(await component(bob, "tracker"))).toEqual({
        status: 409,
        code: "COMPONENT_EXISTS",
        message: "A component named 'tracker' already exists in workspace 'default'.",
      });
      expect((await component(bob, "tracker", {}, { workspace: "team" })).status).toBe(201);
    });

    it("a component name that is a reference is 400 VALIDATION_ERROR, and nothing is stored", async () => {
      for (const name of ["{{ml.password}}", "{{ ml.user }}"]) {
        expect(errorOf(await component(alice, name))).toEqual({
          status: 400,
          code: "VALIDATION_ERROR",
          message: "Invalid component: name: must be 1-255 characters of A-Z a-z 0-9 _ - and not a UUID.",
        });
      }
      const names = (await call(alice, "GET", "/api/v1/components")).json.map((c: { name: string }) => c.name);
      expect(names.some((name: string) => name.includes("{"))).toBe(false);
    });

    it("a malformed reference in an attribute is 400 INVALID_REFERENCE naming the attribute, and nothing is stored", async () => {
      expect(errorOf(await component(alice, "broken", { ok: "{{ml.user}}", url: "x{{ml . password}}" }))).toEqual({
        status: 400,
        code: "INVALID_REFERENCE",
        message: "Attribute 'url' of component 'broken' holds a malformed reference '{{ml . password}}': write {{secret_name.key}}, or \\{{ for a literal '{{'.",
      });
      expect(errorOf(await call(alice, "GET", "/api/v1/components/broken"))).toMatchObject({ status: 404, code: "NOT_FOUND" });
    });

    it("an invalid attribute name or type is 400 VALIDATION_ERROR naming the field", async () => {
      expect(errorOf(await component(alice, "bad-attr", { "1st": "v" }))).toMatchObject({ status: 400, code: "VALIDATION_ERROR", message: expect.stringContaining("configuration") });
      expect(errorOf(await call(alice, "POST", "/api/v1/components", { name: "bad-type", type: "a b", flavor: "f" }))).toMatchObject({
        status: 400,
        message: expect.stringContaining("type:"),
      });
    });

    it("a missing workspace is 404 WORKSPACE_NOT_FOUND", async () => {
      expect(errorOf(await component(alice, "elsewhere", {}, { workspace: "nowhere" }))).toEqual({ status: 404, code: "WORKSPACE_NOT_FOUND", message: "No workspace named 'nowhere'." });
    });

    it("GET lists a workspace's components by name and describes one, references verbatim", async () => {
      await component(alice, "lister-b", { password: "{{ml.password}}" });
      await component(alice, "lister-a", {}, { workspace: "team" });
      const listed = await call(alice, "GET", "/api/v1/components");
      expect(listed.status).toBe(200);
      const names: string[] = listed.json.map((c: { name: string }) => c.name);
      expect(names).toEqual([...names].sort());
      expect(listed.json.find((c: { name: string }) => c.name === "lister-b").configuration).toEqual({ password: "{{ml.password}}" });
      expect((await call(alice, "GET", "/api/v1/components?workspace=team")).json.map((c: { name: string }) => c.name)).toEqual(["lister-a", "tracker"]);
      // A workspace that does not exist is a mistake, not an empty list.
      const nowhere = await call(alice, "GET", "/api/v1/components?workspace=nowhere");
      expect(nowhere.status).toBe(404);
      expect(nowhere.json).toEqual({ error: { code: "WORKSPACE_NOT_FOUND", message: "No workspace named 'nowhere'." } });
      const described = await call(bob, "GET", "/api/v1/components/lister-b");
      expect(described.json).toMatchObject({ name: "lister-b", user: "alice", configuration: { password: "{{ml.password}}" } });
      expect(described.headers.get("cache-control")).toBeNull();
    });

    it("a missing component is 404 NOT_FOUND naming it and the workspace, on GET, PATCH and DELETE", async () => {
      for (const [method, body] of [["GET"], ["PATCH", { type: "t" }], ["DELETE"]] as const) {
        expect(errorOf(await call(alice, method, "/api/v1/components/ghost?workspace=team", body))).toEqual({
          status: 404,
          code: "NOT_FOUND",
          message: "No component named 'ghost' in workspace 'team'.",
        });
      }
    });

    it("PATCH merges the configuration (null removes an attribute) and changes type and flavor", async () => {
      await component(alice, "patched", { keep: "k", drop: "d", change: "old" });
      const patched = await call(alice, "PATCH", "/api/v1/components/patched", { flavor: "wandb", configuration: { drop: null, change: "{{ml.user}}", added: "a" } });
      expect(patched.status).toBe(200);
      expect(patched.json).toMatchObject({ type: "experiment-tracker", flavor: "wandb", configuration: { keep: "k", change: "{{ml.user}}", added: "a" } });
      expect(patched.json.configuration).not.toHaveProperty("drop");
      expect(patched.json.updated > patched.json.created).toBe(true);
      expect((await call(alice, "GET", "/api/v1/components/patched")).json).toEqual(patched.json);
    });

    it("PATCH with nothing to change is 400 VALIDATION_ERROR; with a malformed reference 400 INVALID_REFERENCE", async () => {
      await component(alice, "patch-errors", { a: "1" });
      expect(errorOf(await call(alice, "PATCH", "/api/v1/components/patch-errors", {}))).toEqual({
        status: 400,
        code: "VALIDATION_ERROR",
        message: "Nothing to update: give a type, a flavor or configuration attributes.",
      });
      expect(errorOf(await call(alice, "PATCH", "/api/v1/components/patch-errors", { configuration: { a: "{{nodot}}" } }))).toMatchObject({
        status: 400,
        code: "INVALID_REFERENCE",
        message: expect.stringContaining("Attribute 'a' of component 'patch-errors'"),
      });
      expect((await call(alice, "GET", "/api/v1/components/patch-errors")).json.configuration).toEqual({ a: "1" });
    });

    it("DELETE is 204; a component a stack holds is 409 COMPONENT_IN_USE naming the stack", async () => {
      await component(alice, "held");
      await call(alice, "POST", "/api/v1/stacks", { name: "holder", components: ["held"] });
      expect(errorOf(await call(alice, "DELETE", "/api/v1/components/held"))).toEqual({
        status: 409,
        code: "COMPONENT_IN_USE",
        message: "Component 'held' is in stack 'holder'; delete that stack first.",
      });
      expect((await call(alice, "DELETE", "/api/v1/stacks/holder")).status).toBe(204);
      expect((await call(alice, "DELETE", "/api/v1/components/held")).status).toBe(204);
      expect((await call(alice, "GET", "/api/v1/components/held")).status).toBe(404);
    });
  });

  describe("stacks", () => {
    beforeAll(async () => {
      await component(alice, "first");
      await component(alice, "second");
    });

    it("POST registers a stack in the order given: 201; the same name again is 409 STACK_EXISTS", async () => {
      const created = await call(alice, "POST", "/api/v1/stacks", { name: "ordered", components: ["second", "first"] });
      expect(created.status).toBe(201);
      expect(created.json).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: "ordered",
        workspace: "default",
        user: "alice",
        components: ["second", "first"],
        created: expect.any(String),
        updated: expect.any(String),
      });
      expect(errorOf(await call(bob, "POST", "/api/v1/stacks", { name: "ordered", components: ["first"] }))).toEqual({
        status: 409,
        code: "STACK_EXISTS",
        message: "A stack named 'ordered' already exists in workspace 'default'.",
      });
    });

    it("unknown components are 404 NOT_FOUND naming every one; a missing workspace 404 WORKSPACE_NOT_FOUND", async () => {
      expect(errorOf(await call(alice, "POST", "/api/v1/stacks", { name: "ghostly", components: ["first", "ghost", "phantom"] }))).toEqual({
        status: 404,
        code: "NOT_FOUND",
        message: "No components named 'ghost', 'phantom' in workspace 'default'; register them first.",
      });
      expect(errorOf(await call(alice, "POST", "/api/v1/stacks", { name: "far", components: ["first"], workspace: "nowhere" }))).toMatchObject({
        status: 404,
        code: "WORKSPACE_NOT_FOUND",
      });
    });

    it("no components, or one listed twice, is 400 VALIDATION_ERROR", async () => {
      expect(errorOf(await call(alice, "POST", "/api/v1/stacks", { name: "empty", components: [] }))).toMatchObject({
        status: 400,
        code: "VALIDATION_ERROR",
        message: expect.stringContaining("a stack needs at least one component"),
      });
      expect(errorOf(await call(alice, "POST", "/api/v1/stacks", { name: "twice", components: ["first", "first"] }))).toMatchObject({
        status: 400,
        message: expect.stringContaining("component 'first' is listed more than once"),
      });
    });

    it("GET lists and describes stacks; DELETE is 204 and keeps the components; a missing stack is 404 NOT_FOUND", async () => {
      await call(alice, "POST", "/api/v1/stacks", { name: "doomed", components: ["first"] });
      const listed = await call(bob, "GET", "/api/v1/stacks");
      expect(listed.json.map((s: { name: string }) => s.name)).toEqual(expect.arrayContaining(["doomed", "ordered"]));
      expect((await call(bob, "GET", "/api/v1/stacks/ordered")).json.components).toEqual(["second", "first"]);
      expect((await call(bob, "GET", "/api/v1/stacks?workspace=team")).json).toEqual([]);
      expect((await call(alice, "DELETE", "/api/v1/stacks/doomed")).status).toBe(204);
      for (const method of ["GET", "DELETE"]) {
        expect(errorOf(await call(alice, method, "/api/v1/stacks/doomed"))).toEqual({ status: 404, code: "NOT_FOUND", message: "No stack named 'doomed' in workspace 'default'." });
      }
      expect((await call(alice, "GET", "/api/v1/components/first")).status).toBe(200);
    });
  });

  describe("validation", () => {
    beforeAll(async () => {
      await secret(alice, "vs", { present: "validation-value-1" });
      await component(alice, "validated", { a: "{{vs.present}}", b: "{{vs.absent}}", c: "x={{vnone.k}}" });
      await call(alice, "POST", "/api/v1/stacks", { name: "vstack", components: ["validated"] });
    });

    const keyMissing = { component: "validated", attribute: "b", secret: "vs", key: "absent", problem: "key_missing" };
    const secretMissing = { component: "validated", attribute: "c", secret: "vnone", key: "k", problem: "secret_missing" };

    it("without a level uses the server's ZS_SECRET_VALIDATION_LEVEL (SECRET_AND_KEY_EXISTS by default), listing every missing reference", async () => {
      const result = await call(alice, "GET", "/api/v1/stacks/vstack/validation");
      expect(result.status).toBe(200);
      expect(result.json).toEqual({ level: "SECRET_AND_KEY_EXISTS", valid: false, missing: [keyMissing, secretMissing] });
    });

    it("SECRET_EXISTS ignores missing keys; NONE checks nothing", async () => {
      expect((await call(alice, "GET", "/api/v1/stacks/vstack/validation?level=SECRET_EXISTS")).json).toEqual({ level: "SECRET_EXISTS", valid: false, missing: [secretMissing] });
      expect((await call(alice, "GET", "/api/v1/stacks/vstack/validation?level=NONE")).json).toEqual({ level: "NONE", valid: true, missing: [] });
      await secret(alice, "vnone", { k: "validation-value-2" });
      expect((await call(alice, "GET", "/api/v1/stacks/vstack/validation?level=SECRET_EXISTS")).json).toEqual({ level: "SECRET_EXISTS", valid: true, missing: [] });
      expect((await call(alice, "GET", "/api/v1/stacks/vstack/validation?level=SECRET_AND_KEY_EXISTS")).json.missing).toEqual([keyMissing]);
    });

    it("an invalid level is 400 VALIDATION_ERROR naming the three allowed", async () => {
      expect(errorOf(await call(alice, "GET", "/api/v1/stacks/vstack/validation?level=LOOSE"))).toEqual({
        status: 400,
        code: "VALIDATION_ERROR",
        message: "Invalid validation level: 'LOOSE' is not a validation level; use one of NONE, SECRET_EXISTS, SECRET_AND_KEY_EXISTS.",
      });
    });

    it("a missing stack is 404 NOT_FOUND", async () => {
      expect(errorOf(await call(alice, "GET", "/api/v1/stacks/ghost/validation?level=NONE"))).toMatchObject({ status: 404, code: "NOT_FOUND" });
    });

    it("another user's user-scoped secret does not count: to the caller it does not exist", async () => {
      await secret(bob, "bobs-own", { k: "bobs-own-value-1" }, { scope: "user" });
      await component(bob, "wants-bobs", { a: "{{bobs-own.k}}" });
      await call(bob, "POST", "/api/v1/stacks", { name: "bobs-stack", components: ["wants-bobs"] });
      expect((await call(bob, "GET", "/api/v1/stacks/bobs-stack/validation")).json.valid).toBe(true);
      expect((await call(alice, "GET", "/api/v1/stacks/bobs-stack/validation")).json.missing).toEqual([
        { component: "wants-bobs", attribute: "a", secret: "bobs-own", key: "k", problem: "secret_missing" },
      ]);
    });
  });

  describe("resolution", () => {
    beforeAll(async () => {
      await secret(alice, "ml", { user: "ml-user-value", password: "ml-password-value" });
      await secret(alice, "aws", { key: "aws-key-value", secret: "aws-secret-value" });
      await component(alice, "resolved-tracker", { uri: "https://{{ml.user}}:{{ml.password}}@ml", user: "{{ml.user}}", plain: "\\{{kept}}" });
      await component(alice, "resolved-store", { key: "{{aws.key}}", again: "{{ml.password}}" });
      await call(alice, "POST", "/api/v1/stacks", { name: "resolved-stack", components: ["resolved-store", "resolved-tracker"] });
    });

    it("{references} answers the texts resolved, in order, never cached", async () => {
      const result = await resolve(bob, { references: ["{{ml.password}}", "{{ aws.key }}", "postgres://{{ml.user}}@h/{{aws.secret}} \\{{ml.user}}", "plain"] });
      expect(result.status).toBe(200);
      expect(result.json).toEqual({ values: ["ml-password-value", "aws-key-value", "postgres://ml-user-value@h/aws-secret-value {{ml.user}}", "plain"] });
      expect(result.headers.get("cache-control")).toBe("no-store");
    });

    it("{component} answers the component with its configuration resolved; the stored one keeps its references", async () => {
      const result = await resolve(alice, { component: "resolved-tracker" });
      expect(result.status).toBe(200);
      expect(result.headers.get("cache-control")).toBe("no-store");
      expect(result.json.component).toMatchObject({
        name: "resolved-tracker",
        configuration: { uri: "https://ml-user-value:ml-password-value@ml", user: "ml-user-value", plain: "{{kept}}" },
      });
      expect((await call(alice, "GET", "/api/v1/components/resolved-tracker")).json.configuration.user).toBe("{{ml.user}}");
    });

    it("{stack} answers its components in order, configurations resolved", async () => {
      const result = await resolve(alice, { stack: "resolved-stack" });
      expect(result.status).toBe(200);
      expect(result.headers.get("cache-control")).toBe("no-store");
      expect(result.json.components.map((c: { name: string; configuration: unknown }) => [c.name, c.configuration])).toEqual([
        ["resolved-store", { key: "aws-key-value", again: "ml-password-value" }],
        ["resolved-tracker", { uri: "https://ml-user-value:ml-password-value@ml", user: "ml-user-value", plain: "{{kept}}" }],
      ]);
    });

    it("{workspace} resolves in that workspace", async () => {
      await secret(alice, "ml", { user: "team-user-value" }, { workspace: "team" });
      expect((await resolve(alice, { references: ["{{ml.user}}"], workspace: "team" })).json).toEqual({ values: ["team-user-value"] });
    });

    it("a missing key is 404 SECRET_KEY_NOT_FOUND naming the secret, the key and the keys it has", async () => {
      expect(errorOf(await resolve(alice, { references: ["{{ml.token}}"] }))).toEqual({
        status: 404,
        code: "SECRET_KEY_NOT_FOUND",
        message: "Secret 'ml' has no key 'token' ({{ml.token}}, wanted by the text); its keys are: password, user.",
      });
      await component(alice, "wants-token", { token: "{{ml.token}}" });
      const viaComponent = await resolve(alice, { component: "wants-token" });
      expect(errorOf(viaComponent)).toMatchObject({ status: 404, code: "SECRET_KEY_NOT_FOUND", message: expect.stringContaining("component 'wants-token' attribute 'token'") });
      expect(viaComponent.json.error.details).toEqual({ secret: "ml", key: "token", available_keys: ["password", "user"] });
    });

    it("a missing secret is 404 SECRET_NOT_FOUND; with several texts the message says which", async () => {
      expect(errorOf(await resolve(alice, { references: ["{{ml.user}}", "{{ghost.k}}"] }))).toEqual({
        status: 404,
        code: "SECRET_NOT_FOUND",
        message: "No secret named 'ghost' in workspace 'default' (wanted by text 2).",
      });
    });

    it("a malformed reference is 400 INVALID_REFERENCE", async () => {
      expect(errorOf(await resolve(alice, { references: ["{{ml . user}}"] }))).toMatchObject({ status: 400, code: "INVALID_REFERENCE", message: expect.stringContaining("'{{ml . user}}'") });
    });

    it("a missing component or stack is 404 NOT_FOUND", async () => {
      expect(errorOf(await resolve(alice, { component: "ghost" }))).toEqual({ status: 404, code: "NOT_FOUND", message: "No component named 'ghost' in workspace 'default'." });
      expect(errorOf(await resolve(alice, { stack: "ghost" }))).toEqual({ status: 404, code: "NOT_FOUND", message: "No stack named 'ghost' in workspace 'default'." });
    });

    it.each([
      ["nothing to resolve", {}],
      ["two forms at once", { stack: "resolved-stack", component: "resolved-tracker" }],
      ["all three", { references: ["{{ml.user}}"], stack: "resolved-stack", component: "resolved-tracker" }],
    ])("%s is 400 VALIDATION_ERROR asking for exactly one", async (_label, body) => {
      expect(errorOf(await resolve(alice, body))).toEqual({
        status: 400,
        code: "VALIDATION_ERROR",
        message: "Invalid resolve request: give exactly one of references, stack or component.",
      });
    });

    it("the caller's own user-scoped secret comes first; another user's is never used", async () => {
      await secret(admin, "shared", { k: "shared-workspace-value" });
      await secret(alice, "shared", { k: "shared-alice-value" }, { scope: "user" });
      await secret(bob, "shared", { k: "shared-bob-value" }, { scope: "user" });
      await component(admin, "wants-shared", { k: "{{shared.k}}" });
      const valueFor = async (token: string) => (await resolve(token, { references: ["{{shared.k}}"] })).json.values[0];
      expect(await valueFor(alice)).toBe("shared-alice-value");
      expect(await valueFor(bob)).toBe("shared-bob-value");
      expect(await valueFor(admin)).toBe("shared-workspace-value");
      expect((await resolve(admin, { component: "wants-shared" })).json.component.configuration).toEqual({ k: "shared-workspace-value" });
      expect((await resolve(alice, { component: "wants-shared" })).json.component.configuration).toEqual({ k: "shared-alice-value" });
      await secret(bob, "bob-only", { k: "bob-only-value-1" }, { scope: "user" });
      for (const token of [alice, admin]) {
        expect(errorOf(await resolve(token, { references: ["{{bob-only.k}}"] }))).toMatchObject({ status: 404, code: "SECRET_NOT_FOUND" });
      }
    });

    it("more than 1,000 references: 400 LIMIT_EXCEEDED for texts, a component, a stack and a validation, and no secret is looked up", async () => {
      const many = (n: number) => Array.from({ length: n }, () => "{{ml.user}}").join(",");
      await component(alice, "over-the-limit", { a: many(600), b: many(401) });
      await component(alice, "half-the-limit", { a: many(501) });
      await call(alice, "POST", "/api/v1/stacks", { name: "over-the-limit-stack", components: ["half-the-limit", "resolved-tracker", "over-the-limit"] });
      // The server's own secrets service, counted and passed through.
      const secrets = server.running.services.secrets;
      const [findSecret, getSecret] = [secrets.findSecret, secrets.getSecret];
      let lookups = 0;
      secrets.findSecret = (...args) => (lookups++, findSecret.apply(secrets, args));
      secrets.getSecret = (...args) => (lookups++, getSecret.apply(secrets, args));
      try {
        const refused = [
          await resolve(alice, { references: [many(1001)] }),
          await resolve(alice, { references: [many(500), many(501)] }),
          await resolve(alice, { component: "over-the-limit" }),
          await resolve(alice, { stack: "over-the-limit-stack" }),
          await call(alice, "GET", "/api/v1/stacks/over-the-limit-stack/validation"),
        ];
        for (const result of refused) {
          expect(errorOf(result)).toMatchObject({ status: 400, code: "LIMIT_EXCEEDED", message: expect.stringContaining("at most 1,000") });
        }
        expect(lookups).toBe(0);
        expect((await resolve(alice, { references: [many(1000)] })).json.values[0]).toBe(Array.from({ length: 1000 }, () => "ml-user-value").join(","));
        expect(lookups).toBe(2);
      } finally {
        // The counting functions were own properties over the class's methods.
        delete (secrets as Partial<typeof secrets>).findSecret;
        delete (secrets as Partial<typeof secrets>).getSecret;
      }
    });

    it("resolved values appear in no log line, and describing or listing never shows them", async () => {
      const resolvedValues = ["ml-user-value", "ml-password-value", "aws-key-value", "aws-secret-value", "shared-alice-value", "shared-bob-value"];
      for (const value of resolvedValues) server.sensitive.add(value);
      await resolve(alice, { stack: "resolved-stack" });
      expect(resolvedValues.filter((value) => server.logs.includes(value))).toEqual([]);
      const requestLines = server.logs.split("\n").filter((line) => line.includes('"route":"/api/v1/references/resolve"'));
      expect(requestLines.length).toBeGreaterThan(5);
      const described = [
        await call(alice, "GET", "/api/v1/components"),
        await call(alice, "GET", "/api/v1/components/resolved-tracker"),
        await call(alice, "GET", "/api/v1/stacks/resolved-stack"),
        await call(alice, "GET", "/api/v1/stacks"),
      ];
      for (const result of described) {
        expect(result.status).toBe(200);
        expect(resolvedValues.filter((value) => result.text.includes(value))).toEqual([]);
      }
      expect(described[0]!.json.find((c: { name: string }) => c.name === "resolved-tracker").configuration).toEqual({
        uri: "https://{{ml.user}}:{{ml.password}}@ml",
        user: "{{ml.user}}",
        plain: "\\{{kept}}",
      });
    });
  });
});

describe("a server with ZS_SECRET_VALIDATION_LEVEL=SECRET_EXISTS", () => {
  it("validates at that level when the request names none", async () => {
    const server = await TestServer.start({ env: { ZS_SECRET_VALIDATION_LEVEL: "SECRET_EXISTS" } });
    try {
      const admin = await server.login("admin", ADMIN_PASSWORD);
      await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "s", values: { other: "level-value-1" } } });
      await server.call("POST", "/api/v1/components", { token: admin, body: { name: "c", type: "t", flavor: "f", configuration: { a: "{{s.k}}" } } });
      await server.call("POST", "/api/v1/stacks", { token: admin, body: { name: "st", components: ["c"] } });
      expect((await server.call("GET", "/api/v1/stacks/st/validation", { token: admin })).json).toEqual({ level: "SECRET_EXISTS", valid: true, missing: [] });
      expect((await server.call("GET", "/api/v1/stacks/st/validation?level=SECRET_AND_KEY_EXISTS", { token: admin })).json.valid).toBe(false);
      expect(server.leakedIntoLogs()).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});
