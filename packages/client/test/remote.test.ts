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
  ])("%s is refused with VALIDATION_ERROR", async (_label, url, message) => {
    const client = clientIn("bad-url");
    const error = await failure(client.connect(url, { username: "admin", password: "whatever-1" }));
    expect(isZsError(error) && error.code).toBe("VALIDATION_ERROR");
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain("u:p");
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

describe("components, stacks and references against a server", () => {
  it("say clearly that they are not available there yet", async () => {
    const client = clientIn("components-remote");
    try {
      await client.connect(server.url, { username: "admin", password: ADMIN_PASSWORD });
      for (const attempt of [client.listComponents(), client.registerStack("s", ["c"]), client.validateStack("s"), client.resolve("{{a.b}}")]) {
        expect(await outcome(attempt)).toEqual({
          code: "VALIDATION_ERROR",
          message: "Components, stacks and references are not yet available against a zs server; disconnect (zs disconnect) to use them in local mode.",
        });
      }
    } finally {
      await client.close();
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
  ];

  it.each(scenarios)("%s: same code and message", async (_label, scenario) => {
    const [here, there] = [await outcome(scenario(local)), await outcome(scenario(remote))];
    expect(there).toEqual(here);
    expect(here).not.toBe("ok");
  });

  it("remote errors carry the HTTP status", async () => {
    const error = await failure(remote.getSecret("missing"));
    expect(isZsError(error) && error.details?.httpStatus).toBe(404);
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
