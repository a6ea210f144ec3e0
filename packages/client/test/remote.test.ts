import { mkdtemp, rm, stat, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ADMIN_PASSWORD, TestServer } from "../../../apps/server/test/support/test-server.js";
import { Client, isZsError } from "../src/index.js";

const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

/** An error as a caller sees it: code and message (remote errors also carry the HTTP status). */
async function outcome(promise: Promise<unknown>): Promise<{ code: string; message: string } | "ok"> {
  const error = await failure(promise);
  if (error === undefined) return "ok";
  if (!isZsError(error)) throw error;
  return { code: error.code, message: error.message };
}

let root: string;
let server: TestServer;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "zs-client-remote-"));
  server = await TestServer.start();
});
afterAll(async () => {
  expect(server.leakedIntoLogs()).toEqual([]);
  await server.stop();
  await rm(root, { recursive: true, force: true });
});

/** A client with its own settings and local home under the test's temp dir. */
function clientIn(name: string, extraEnv: Record<string, string> = {}): Client {
  return new Client({ env: { ZS_HOME: path.join(root, name, "home"), XDG_CONFIG_HOME: path.join(root, name, "config"), ...extraEnv } });
}

describe("connect and disconnect", () => {
  it("connect with a password saves a session token in a 0600 file; status says remote; disconnect logs it out", async () => {
    const client = clientIn("connect");
    try {
      const user = await client.connect(`${server.url}/`, { username: "admin", password: ADMIN_PASSWORD });
      expect(user).toMatchObject({ name: "admin", isAdmin: true });
      const file = path.join(root, "connect", "config", "zs", "config.json");
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const saved = JSON.parse(await readFile(file, "utf8"));
      expect(saved.server).toMatchObject({ url: server.url, kind: "session", user: "admin" });
      server.sensitive.add(saved.server.token);
      expect(await client.status()).toEqual({ mode: "remote", server: server.url, user: "admin", workspace: "default", store: { type: "sql", capabilities: expect.any(Object) } });

      expect(await client.disconnect()).toBe(server.url);
      expect((await server.call("GET", "/api/v1/current-user", { token: saved.server.token })).status).toBe(401);
      expect((await client.status()).mode).toBe("local");
      expect(await client.disconnect()).toBeUndefined();
    } finally {
      await client.close();
    }
  });

  it("a wrong password is UNAUTHENTICATED and saves nothing", async () => {
    const client = clientIn("wrong");
    try {
      expect(await outcome(client.connect(server.url, { username: "admin", password: "not-it-at-all" }))).toEqual({ code: "UNAUTHENTICATED", message: "Wrong user name or password." });
      expect((await client.status()).mode).toBe("local");
    } finally {
      await client.close();
    }
  });

  it.each([
    ["not a URL", "127.0.0.1:8237", "is not a URL"],
    ["another scheme", "ftp://127.0.0.1:8237", "must start with http:// or https://"],
    ["credentials in the URL", "http://u:p@127.0.0.1:8237", "must not carry credentials"],
    ["credentials in a URL that does not parse", "http://u:pw-in-bad-url@127.0.0.1:port", "is not a URL"],
  ])("%s is refused with VALIDATION_ERROR, never quoting the credentials", async (_label, url, message) => {
    const client = clientIn("bad-url");
    const error = await failure(client.connect(url, { username: "admin", password: "whatever-1" }));
    expect(isZsError(error) && error.code).toBe("VALIDATION_ERROR");
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain("u:p");
    expect((error as Error).message).not.toContain("pw-in-bad-url");
  });

  it("an unreachable server is BACKEND_UNAVAILABLE naming it", async () => {
    const client = clientIn("unreachable");
    const error = await failure(client.connect("http://127.0.0.1:9", { username: "admin", password: "whatever-1" }));
    expect(isZsError(error) && error.code).toBe("BACKEND_UNAVAILABLE");
    expect((error as Error).message).toContain("Cannot reach the zs server at http://127.0.0.1:9");
  });

  it("ZS_URL with ZS_API_KEY overrides the saved connection; ZS_URL alone is a configuration error", async () => {
    const admin = clientIn("keys");
    await admin.connect(server.url, { username: "admin", password: ADMIN_PASSWORD });
    const key = await admin.createApiKey("from-env");
    server.sensitive.add(key.key);
    expect((await admin.listApiKeys()).map((k) => k.name)).toContain("from-env");
    await admin.close();

    const viaEnv = clientIn("env-only", { ZS_URL: server.url, ZS_API_KEY: key.key });
    expect(await viaEnv.status()).toMatchObject({ mode: "remote", user: "admin" });
    await viaEnv.close();
    const missingKey = clientIn("env-only", { ZS_URL: server.url });
    expect(await outcome(missingKey.status())).toMatchObject({ code: "CONFIGURATION_ERROR" });

    const again = clientIn("keys");
    await again.deleteApiKey(key.id);
    await again.close();
    const revoked = clientIn("env-only", { ZS_URL: server.url, ZS_API_KEY: key.key });
    expect(await outcome(revoked.status())).toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("users and API keys need a server: local mode says so", async () => {
    const local = clientIn("local-only");
    try {
      expect(await outcome(local.createApiKey("x"))).toMatchObject({ code: "VALIDATION_ERROR", message: expect.stringContaining("zs connect") });
      expect(await outcome(local.createUser("bob", "password-123"))).toMatchObject({ code: "VALIDATION_ERROR" });
    } finally {
      await local.close();
    }
  });
});

describe("local and remote clients behave identically", () => {
  let local: Client;
  let remote: Client;

  beforeAll(async () => {
    local = clientIn("parity-local");
    remote = clientIn("parity-remote");
    await remote.connect(server.url, { username: "admin", password: ADMIN_PASSWORD });
    for (const client of [local, remote]) {
      await client.createSecret("db", { user: "parity-user", password: "parity-pw-1" });
      await client.createWorkspace("parity");
    }
  });
  afterAll(async () => {
    await local.close();
    await remote.close();
  });

  const scenarios: [string, (client: Client) => Promise<unknown>][] = [
    ["get a missing secret", (c) => c.getSecret("missing")],
    ["get by a missing id", (c) => c.getSecret("123e4567-e89b-42d3-a456-426614174000")],
    ["create an existing name", (c) => c.createSecret("db", { k: "parity-v" })],
    ["create an invalid name", (c) => c.createSecret("bad name", { k: "parity-v" })],
    ["create an invalid key", (c) => c.createSecret("ok-name", { "1key": "parity-v" })],
    ["create too large", (c) => c.createSecret("big", { k: "x".repeat(70_000) })],
    ["create in a missing workspace", (c) => c.createSecret("elsewhere", { k: "parity-v" }, { workspace: "nowhere" })],
    ["remove a missing key", (c) => c.updateSecret("db", { removeKeys: ["nope"] })],
    ["update with nothing", (c) => c.updateSecret("db", {})],
    ["update a stale version", (c) => c.updateSecret("db", { values: { a: "parity-a" }, expectedVersion: 99 })],
    ["rename onto an existing name", async (c) => {
      await c.createSecret("other", { k: "parity-v" }).catch(() => undefined);
      return c.updateSecret("other", { name: "db" });
    }],
    ["list with an unknown sort field", (c) => c.listSecrets({ sortBy: "password" })],
    ["list with a bad operator", (c) => c.listSecrets({ created: "contains:2026" })],
    ["list a page out of range", (c) => c.listSecrets({ page: 50 })],
    ["list size 0", (c) => c.listSecrets({ size: 0 })],
    ["lookup with a bad scope", (c) => c.getSecret("db", { scope: "team" as never })],
    ["create an existing workspace", (c) => c.createWorkspace("parity")],
    ["delete the default workspace", (c) => c.deleteWorkspace("default")],
    ["delete a missing workspace", (c) => c.deleteWorkspace("nowhere")],
    ["set a missing workspace active", (c) => c.setActiveWorkspace("nowhere")],
    ["delete a missing user", (c) => c.deleteUser("nobody")],
    ["history of a missing secret", (c) => c.secretHistory("missing")],
    ["history page out of range", (c) => c.secretHistory("db", { page: 9 })],
    ["history size 0", (c) => c.secretHistory("db", { size: 0 })],
    ["read version 0", (c) => c.getSecretVersion("db", 0)],
    ["read a version the secret never had", (c) => c.getSecretVersion("db", 7)],
    ["roll back to the current version", (c) => c.rollbackSecret("db", 1, {}, { scope: "workspace" })],
    ["roll back to a version the secret never had", (c) => c.rollbackSecret("db", 9)],
    ["roll back to version 1.5", (c) => c.rollbackSecret("db", 1.5)],
    ["roll back a stale version", (c) => c.rollbackSecret("db", 1, { expectedVersion: 99 })],
    ["recover a live secret", (c) => c.recoverSecret("db")],
    ["recover a missing secret", (c) => c.recoverSecret("never-deleted")],
    ["recover under an invalid name", (c) => c.recoverSecret("123e4567-e89b-42d3-a456-426614174000", { as: "bad name" })],
    ["list deleted with a bad sort field", (c) => c.listDeletedSecrets({ sortBy: "deleted" })],
    ["usages of a missing secret", (c) => c.secretUsages("missing")],
  ];

  it.each(scenarios)("%s: same code and message", async (_label, scenario) => {
    const [here, there] = [await outcome(scenario(local)), await outcome(scenario(remote))];
    expect(there).toEqual(here);
    expect(here).not.toBe("ok");
  });

  it("history, version reads, rollback and diff answer alike in both modes", async () => {
    const runs = [];
    for (const client of [local, remote]) {
      await client.createSecret("versioned", { a: "parity-h1", b: "parity-h2" });
      await client.updateSecret("versioned", { values: { a: "parity-h3", b: null, c: "parity-h4" } });
      const rolled = await client.rollbackSecret("versioned", 1, { expectedVersion: 2 });
      const history = await client.secretHistory("versioned");
      const version = await client.getSecretVersion("versioned", 2);
      const diff = await client.diffSecret("versioned", { from: 1, to: 2, withValues: true });
      runs.push({
        rolled: { version: rolled.version, values: rolled.values },
        history: { ...history, items: history.items.map(({ time: _time, actor: _actor, ...entry }) => entry) },
        version: { ...version, id: undefined },
        diff: { ...diff, id: undefined },
      });
    }
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[0]!.history.items.map((entry) => [entry.version, entry.action, entry.restoredVersion])).toEqual([
      [3, "rollback", 1],
      [2, "merge", undefined],
      [1, "create", undefined],
    ]);
    expect(runs[0]!.diff).toMatchObject({ added: ["c"], removed: ["b"], changed: ["a"], values: { a: { from: "parity-h1", to: "parity-h3" } } });
  });

  it("delete, list deleted, recover, usages and renames with references answer alike in both modes", async () => {
    const runs = [];
    for (const client of [local, remote]) {
      await client.createSecret("softly", { k: "parity-soft-1" });
      await client.registerComponent("soft-app", { type: "t", flavor: "f", configuration: { url: "{{softly.k}}" } });
      const usages = await client.secretUsages("softly");
      const renamed = await client.renameSecret("softly", "softly2");
      await client.renameSecret("softly2", "softly");
      const rewritten = await client.renameSecret("softly", "softly3", { updateReferences: true });
      const { deleted: _deleted, purgeAfter, id, ...deletion } = await client.deleteSecret("softly3");
      const listed = await client.listDeletedSecrets({ name: "softly3" });
      const recovered = await client.recoverSecret(id, { as: "softly4" });
      runs.push({
        usages,
        renamedWarnings: renamed.warnings?.map((w) => w.code),
        rewrittenWarnings: rewritten.warnings,
        configuration: (await client.getComponent("soft-app")).configuration,
        deletion,
        hasPurgeAfter: typeof purgeAfter === "string",
        listed: listed.items.map((item) => ({ name: item.name, keys: item.keys, hasPurgeAfter: typeof item.purgeAfter === "string" })),
        recovered: { name: recovered.name, version: recovered.version },
        values: (await client.getSecret("softly4")).values,
      });
      // The other groups share the server's default workspace.
      await client.deleteComponent("soft-app");
    }
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[0]).toMatchObject({
      renamedWarnings: ["SECRET_REFERENCED"],
      rewrittenWarnings: undefined,
      configuration: { url: "{{softly3.k}}" },
      deletion: { name: "softly3", purged: false },
      hasPurgeAfter: true,
      listed: [{ name: "softly3", keys: ["k"], hasPurgeAfter: true }],
      recovered: { name: "softly4", version: 5 },
      values: { k: "parity-soft-1" },
    });
  });

  it("remote errors carry the HTTP status", async () => {
    const error = await failure(remote.getSecret("missing"));
    expect(isZsError(error) && error.details?.httpStatus).toBe(404);
  });

  it("remote error details are those of local mode: the wire's snake_case keys come back camelCase", async () => {
    const error = await failure(remote.listSecrets({ page: 999 }));
    expect(isZsError(error) && error.code).toBe("PAGE_OUT_OF_RANGE");
    expect(isZsError(error) && error.details).toEqual({ totalPages: expect.any(Number), httpStatus: 400 });
  });

  it("the same operations give the same results", async () => {
    const strip = ({ id: _id, created: _c, updated: _u, user: _user, ...rest }: Record<string, unknown>) => rest;
    for (const client of [local, remote]) {
      await client.updateSecret("db", { values: { host: "parity-host", user: null } });
      await client.createSecret("mine", { k: "parity-mine" }, { scope: "user" });
    }
    expect(strip(await remote.getSecret("db"))).toEqual(strip(await local.getSecret("db")));
    expect(strip(await remote.getSecret("mine", { scope: "user" }))).toEqual(strip(await local.getSecret("mine", { scope: "user" })));
    const names = async (client: Client) => (await client.listSecrets({ sortBy: "desc:name", size: 2 })).items.map((item) => item.name);
    expect(await names(remote)).toEqual(await names(local));
    const page = async (client: Client) => {
      const { items: _items, ...rest } = await client.listSecrets({ size: 1, page: 2 });
      return rest;
    };
    expect(await page(remote)).toEqual(await page(local));
    expect((await remote.listWorkspaces()).map((w) => w.name)).toEqual((await local.listWorkspaces()).map((w) => w.name));
    await remote.setActiveWorkspace("parity");
    expect(await remote.activeWorkspace()).toBe("parity");
    const fresh = clientIn("parity-remote");
    expect(await fresh.activeWorkspace()).toBe("parity");
    await fresh.close();
  });
});

describe("components, stacks and references: local and remote clients behave identically", () => {
  let local: Client;
  let remote: Client;
  const resolvedValues = ["ref-ml-user", "ref-ml-password", "ref-aws-key", "ref-copy-user"];

  /** How many times the server has read a secret's values (`GET /api/v1/secrets/{name_or_id}`) so far. */
  const valueReads = () => server.logs.split("\n").filter((line) => line.includes('"method":"GET"') && line.includes('"route":"/api/v1/secrets/:nameOrId"')).length;

  beforeAll(async () => {
    local = clientIn("refs-local");
    remote = clientIn("refs-remote");
    await remote.connect(server.url, { username: "admin", password: ADMIN_PASSWORD });
    for (const value of resolvedValues) server.sensitive.add(value);
    for (const client of [local, remote]) {
      // A workspace of their own, made active: every remote call must name it.
      await client.createWorkspace("refs");
      await client.setActiveWorkspace("refs");
      await client.createSecret("ml", { user: "ref-ml-user", password: "ref-ml-password" });
      await client.createSecret("aws", { key: "ref-aws-key" });
      await client.createSecret("ml-copy", { user: "ref-copy-user" });
      await client.registerComponent("tracker", { type: "experiment-tracker", flavor: "mlflow", configuration: { uri: "https://{{ml.user}}:{{ml.password}}@ml", user: "{{ml.user}}" } });
      await client.registerComponent("store", { type: "artifact-store", flavor: "s3", configuration: { key: "{{aws.key}}", path: "s3://b \\{{x}}" } });
      await client.registerComponent("needs", { type: "t", flavor: "f", configuration: { token: "{{ml.token}}", other: "{{ghost.k}}" } });
      await client.registerComponent("needs-key", { type: "t", flavor: "f", configuration: { token: "{{ml.token}}" } });
      await client.registerStack("prod", ["tracker", "store"]);
      await client.registerStack("needy", ["needs"]);
      await client.registerStack("keyless", ["needs-key"]);
    }
  });
  afterAll(async () => {
    await local.close();
    await remote.close();
  });

  const scenarios: [string, (client: Client) => Promise<unknown>][] = [
    ["register an existing component", (c) => c.registerComponent("tracker", { type: "t", flavor: "f" })],
    ["register a component named by a reference", (c) => c.registerComponent("{{ml.user}}", { type: "t", flavor: "f" })],
    ["register a malformed reference", (c) => c.registerComponent("broken", { type: "t", flavor: "f", configuration: { url: "{{ml . user}}" } })],
    ["register an invalid attribute name", (c) => c.registerComponent("broken", { type: "t", flavor: "f", configuration: { "1st": "v" } })],
    ["register an invalid type", (c) => c.registerComponent("broken", { type: "a b", flavor: "f" })],
    ["register in a missing workspace", (c) => c.registerComponent("broken", { type: "t", flavor: "f", workspace: "nowhere" })],
    ["get a missing component", (c) => c.getComponent("ghost")],
    ["get a component in another workspace", (c) => c.getComponent("tracker", { workspace: "default" })],
    ["get an empty component name", (c) => c.getComponent("")],
    ["get an invalid component name", (c) => c.getComponent("a/b")],
    ["get with a bad lookup", (c) => c.getComponent("tracker", { workspace: "a b" })],
    ["update with nothing", (c) => c.updateComponent("tracker", {})],
    ["update a missing component", (c) => c.updateComponent("ghost", { type: "t" })],
    ["update with a malformed reference", (c) => c.updateComponent("tracker", { configuration: { x: "{{nodot}}" } })],
    ["delete a component a stack holds", (c) => c.deleteComponent("tracker")],
    ["delete a missing component", (c) => c.deleteComponent("ghost")],
    ["register an existing stack", (c) => c.registerStack("prod", ["store"])],
    ["register a stack of unknown components", (c) => c.registerStack("s", ["tracker", "ghost", "phantom"])],
    ["register an empty stack", (c) => c.registerStack("s", [])],
    ["register a stack listing one twice", (c) => c.registerStack("s", ["store", "store"])],
    ["get a missing stack", (c) => c.getStack("ghost")],
    ["delete a missing stack", (c) => c.deleteStack("ghost")],
    ["validate a missing stack", (c) => c.validateStack("ghost")],
    ["validate at an invalid level", (c) => c.validateStack("prod", "LOOSE")],
    ["resolve a missing key", (c) => c.resolve("{{ml.token}}")],
    ["resolve a missing secret", (c) => c.resolve("x={{ghost.k}}")],
    ["resolve a malformed reference", (c) => c.resolve("{{ml . user}}")],
    ["resolve something not a string", (c) => c.resolve(42 as never)],
    ["resolve a missing component", (c) => c.getComponent("ghost", { resolve: true })],
    ["resolve a component with missing references", (c) => c.getComponent("needs", { resolve: true })],
    ["run with missing secrets and keys", (c) => c.runEnvironment({ stack: "needy" })],
    ["run with only keys missing", (c) => c.runEnvironment({ components: ["needs-key"] }, "SECRET_AND_KEY_EXISTS")],
    ["run past validation at SECRET_EXISTS to a missing key", (c) => c.runEnvironment({ stack: "keyless" }, "SECRET_EXISTS")],
    ["run with a missing stack", (c) => c.runEnvironment({ stack: "ghost" })],
    ["run with a missing component", (c) => c.runEnvironment({ stack: "prod", components: ["ghost"] })],
    ["run with a missing --secret", (c) => c.runEnvironment({ secrets: ["ghost"] }, "NONE")],
    ["run with a malformed --env template", (c) => c.runEnvironment({ env: { URL: "{{ml . user}}" } })],
    ["run with an invalid variable name", (c) => c.runEnvironment({ env: { "1X": "v" } })],
    ["run with two sources of one variable", (c) => c.runEnvironment({ secrets: ["ml", "ml-copy"] }, "NONE")],
    ["run at an invalid level", (c) => c.runEnvironment({ stack: "prod" }, "ALL")],
    ["run with an unknown field", (c) => c.runEnvironment({ stack: "prod", command: "ls" } as never)],
  ];

  it.each(scenarios)("%s: same code and message", async (_label, scenario) => {
    const [here, there] = [await outcome(scenario(local)), await outcome(scenario(remote))];
    expect(there).toEqual(here);
    expect(here).not.toBe("ok");
  });

  const strip = ({ id: _id, created: _c, updated: _u, user: _user, ...rest }: Record<string, unknown>) => rest;
  const same = async <T>(operation: (client: Client) => Promise<T>, view: (result: T) => unknown = (result) => result) => {
    const here = view(await operation(local));
    expect(view(await operation(remote))).toEqual(here);
    return here;
  };

  it("components: register, get, list, update and delete give the same results, references verbatim", async () => {
    await same((c) => c.registerComponent("scratch", { type: "t", flavor: "f", configuration: { a: "{{ml.user}}", b: "2" } }), strip);
    await same((c) => c.getComponent("scratch"), strip);
    await same((c) => c.updateComponent("scratch", { flavor: "g", configuration: { a: null, c: "{{aws.key}}" } }), strip);
    const listed = await same((c) => c.listComponents(), (components) => components.map(strip));
    expect(listed).toContainEqual(expect.objectContaining({ name: "tracker", configuration: { uri: "https://{{ml.user}}:{{ml.password}}@ml", user: "{{ml.user}}" } }));
    await same((c) => c.deleteComponent("scratch"));
    await same((c) => c.listComponents({ workspace: "default" }), (components) => components.map(strip));
  });

  it("stacks: register, get, list and delete give the same results", async () => {
    await same((c) => c.registerStack("scratch-stack", ["store", "tracker"]), strip);
    await same((c) => c.getStack("scratch-stack"), strip);
    await same((c) => c.listStacks(), (stacks) => stacks.map(strip));
    await same((c) => c.deleteStack("scratch-stack"));
  });

  it("validation gives the same result at every level", async () => {
    for (const level of [undefined, "NONE", "SECRET_EXISTS", "SECRET_AND_KEY_EXISTS"]) {
      for (const stack of ["prod", "needy", "keyless"]) await same((c) => c.validateStack(stack, level));
    }
    expect((await remote.validateStack("needy")).missing).toHaveLength(2);
  });

  it("resolution gives the same values", async () => {
    expect(await same((c) => c.resolve("postgres://{{ml.user}}:{{ ml.password }}@h/{{aws.key}} \\{{ml.user}}"))).toBe("postgres://ref-ml-user:ref-ml-password@h/ref-aws-key {{ml.user}}");
    expect(await same((c) => c.getComponent("tracker", { resolve: true }), strip)).toMatchObject({ configuration: { uri: "https://ref-ml-user:ref-ml-password@ml" } });
    expect((await remote.getComponent("tracker")).configuration.user).toBe("{{ml.user}}");
  });

  it("runEnvironment gives the same variables; remotely each secret's values are read once", async () => {
    const before = valueReads();
    const environment = await same((c) => c.runEnvironment({ stack: "prod", components: ["tracker"], secrets: ["aws"], env: { URL: "{{ml.user}}@{{aws.key}}" } }));
    expect(valueReads() - before).toBe(2);
    expect(environment).toEqual({
      TRACKER_URI: "https://ref-ml-user:ref-ml-password@ml",
      TRACKER_USER: "ref-ml-user",
      STORE_KEY: "ref-aws-key",
      STORE_PATH: "s3://b {{x}}",
      KEY: "ref-aws-key",
      URL: "ref-ml-user@ref-aws-key",
    });
  });

  it("a run that fails validation reads no value on the server", async () => {
    const before = valueReads();
    expect(await outcome(remote.runEnvironment({ stack: "prod", components: ["needs"], secrets: ["ml"] }))).toMatchObject({ code: "SECRET_NOT_FOUND" });
    expect(await outcome(remote.validateStack("needy"))).toBe("ok");
    expect(valueReads() - before).toBe(0);
  });

  it("finding a secret remotely reads no value", async () => {
    const before = valueReads();
    expect(await same((c) => c.findSecret("ml"), strip)).toMatchObject({ name: "ml", keys: ["password", "user"] });
    expect(valueReads() - before).toBe(0);
  });
});
