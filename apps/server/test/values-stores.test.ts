process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
// No credential lookup happens with emulator_host; this only keeps a mistake from probing GCE.
process.env.METADATA_SERVER_DETECTION = "none";

import { mkdir, symlink } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { withCallCounts } from "@zs/emulators";
import { CLOUD_BACKENDS, type CloudBackend } from "./support/cloud-backends.js";
import { describeSecretCrud } from "./support/secret-crud-suite.js";
import { ADMIN_PASSWORD, type ServerUnderTest } from "./support/server-under-test.js";
import { SpawnedTestServer } from "./support/spawned-test-server.js";
import { TestServer } from "./support/test-server.js";

// The server with its values in each values store zs ships, each against its emulator and
// configured only through the ordinary ZS_SECRETS_STORE_* settings, and in the custom store
// example loaded the two ways a deployment names a custom store: every one passes the same
// secret CRUD suite as the default sql store. The cloud stores are also held to their costs
// (listing never calls the backend, a get is one read) and to what a failing backend may do
// (503 BACKEND_UNAVAILABLE, nothing half-written, the server serving on).

describe.each(CLOUD_BACKENDS)("ZS_SECRETS_STORE_TYPE=%s, against its emulator", (type, startBackend) => {
  let backend: CloudBackend;
  beforeAll(async () => {
    backend = await startBackend();
  });
  afterAll(() => backend?.close());

  /** An in-process server on the store; its credentials join what its logs must not contain. */
  async function startServer(): Promise<TestServer> {
    const server = await TestServer.start({ env: { ZS_SECRETS_STORE_TYPE: type, ...backend.env } });
    for (const credential of backend.credentials) server.sensitive.add(credential);
    expect(server.running.services.store.type).toBe(type);
    return server;
  }

  describeSecretCrud(`the ${type} store`, startServer);

  describe("backend calls and faults", () => {
    let server: TestServer;
    let admin: string;
    const uniqueValue = (label: string) => `${label}-${Math.random().toString(36).slice(2, 12)}`;
    const total = async (query: string) => (await server.call("GET", `/api/v1/secrets?${query}`, { token: admin })).json.total as number;

    beforeAll(async () => {
      server = await startServer();
      admin = await server.login("admin", ADMIN_PASSWORD);
    });
    afterEach(() => backend.heal());
    afterAll(async () => {
      if (!server) return;
      expect(server.leakedIntoLogs()).toEqual([]);
      await server.stop();
    });

    it("listing — filters, sorts, pages, every workspace — makes no backend call", async () => {
      for (let i = 0; i < 12; i++) {
        const body = { name: `listed-${String(i).padStart(2, "0")}`, values: { n: uniqueValue("listed-value") }, ...(i % 3 === 0 ? { scope: "user" } : {}) };
        expect((await server.call("POST", "/api/v1/secrets", { token: admin, body })).status).toBe(201);
      }
      const { result: pages, calls } = await withCallCounts(backend.calls, () =>
        Promise.all(
          [
            "name=startswith:listed-&size=5&page=3&sort_by=name",
            "name=startswith:listed-&sort_by=desc:name&size=3",
            "workspace=*&size=1000",
            "scope=user&name=startswith:listed-",
            "name=endswith:1&id=startswith:0&logical_operator=or&sort_by=desc:updated",
            `created=gte:${encodeURIComponent("2020-01-01 00:00:00")}&name=contains:sted&size=1`,
          ].map((query) => server.call("GET", `/api/v1/secrets?${query}`, { token: admin })),
        ),
      );
      expect(calls).toEqual({});
      expect(pages.map((page) => page.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(pages[0]!.json).toMatchObject({ index: 3, total_pages: 3, total: 12 });
      expect(pages[0]!.json.items.map((item: { name: string }) => item.name)).toEqual(["listed-10", "listed-11"]);
      expect(pages[1]!.json.items.map((item: { name: string }) => item.name)).toEqual(["listed-11", "listed-10", "listed-09"]);
      expect(pages[3]!.json.total).toBe(4);
      expect(pages[5]!.json).toMatchObject({ total: 12, total_pages: 12 });
      for (const page of pages) expect(page.text).not.toContain("listed-value");
    });

    it("a get makes exactly one backend read", async () => {
      const value = uniqueValue("read-once");
      await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "read-once", values: { k: value } } });
      const { result: got, calls } = await withCallCounts(backend.calls, () => server.call("GET", "/api/v1/secrets/read-once", { token: admin }));
      expect(got.json.values).toEqual({ k: value });
      expect(calls).toEqual({ [backend.readOperation]: 1 });
    });

    it("a create makes at most two backend calls; an update or a values replacement one read, then at most three (versions beyond the retention are pruned later)", async () => {
      const { result: created, calls: createCalls } = await withCallCounts(backend.calls, () =>
        server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "counted", values: { k: uniqueValue("created") } } }),
      );
      expect(created.status).toBe(201);
      expect(createCalls).toEqual(backend.createCalls);

      const withRead = { ...backend.updateWriteCalls, [backend.readOperation]: (backend.updateWriteCalls[backend.readOperation] ?? 0) + 1 };
      const patchedValue = uniqueValue("patched");
      const { result: patched, calls: patchCalls } = await withCallCounts(backend.calls, () =>
        server.call("PATCH", "/api/v1/secrets/counted", { token: admin, body: { values: { extra: patchedValue } } }),
      );
      expect(patched.status).toBe(200);
      expect(patchCalls).toEqual(withRead);

      const replacedValue = uniqueValue("replaced");
      const { result: replaced, calls: replaceCalls } = await withCallCounts(backend.calls, () =>
        server.call("PUT", "/api/v1/secrets/counted/values", { token: admin, body: { values: { only: replacedValue } } }),
      );
      expect(replaced.status).toBe(200);
      expect(replaceCalls).toEqual(withRead);

      const total = (calls: Record<string, number>) => Object.values(calls).reduce((sum, n) => sum + n, 0);
      expect(total(backend.createCalls)).toBeLessThanOrEqual(2);
      expect(total(backend.updateWriteCalls)).toBeLessThanOrEqual(3);
      const read = await server.call("GET", "/api/v1/secrets/counted", { token: admin });
      expect(read.json).toMatchObject({ version: 3, values: { only: replacedValue } });
    });

    it("a stack resolution reads each referenced secret once, and its validation reads none", async () => {
      const [user, password, token] = [uniqueValue("ref-user"), uniqueValue("ref-password"), uniqueValue("ref-token")];
      await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "ref-db", values: { user, password } } });
      await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "ref-api", values: { token } } });
      const configuration = { url: "postgres://{{ref-db.user}}:{{ref-db.password}}@db/app", password: "{{ref-db.password}}", token: "{{ref-api.token}}" };
      expect((await server.call("POST", "/api/v1/components", { token: admin, body: { name: "ref-app", type: "app", flavor: "test", configuration } })).status).toBe(201);
      expect((await server.call("POST", "/api/v1/stacks", { token: admin, body: { name: "ref-stack", components: ["ref-app"] } })).status).toBe(201);

      const validated = await withCallCounts(backend.calls, () => server.call("GET", "/api/v1/stacks/ref-stack/validation?level=SECRET_AND_KEY_EXISTS", { token: admin }));
      expect(validated.result.json).toMatchObject({ valid: true, missing: [] });
      expect(validated.calls).toEqual({});

      const resolved = await withCallCounts(backend.calls, () => server.call("POST", "/api/v1/references/resolve", { token: admin, body: { stack: "ref-stack" } }));
      expect(resolved.result.status).toBe(200);
      expect(resolved.result.text).toContain(`postgres://${user}:${password}@db/app`);
      expect(resolved.calls).toEqual({ [backend.readOperation]: 2 });
    });

    it("a persistent 5xx: the secret's routes are 503 BACKEND_UNAVAILABLE naming no value, health is 503, nothing changes; once it clears, the server serves again", async () => {
      const value = uniqueValue("steady");
      const created = await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "steady", values: { password: value } } });
      expect(created.status).toBe(201);
      const secretsBefore = await total("workspace=*");

      backend.failEveryCall();
      const failures = [
        await server.call("GET", "/api/v1/secrets/steady", { token: admin }),
        await server.call("PATCH", "/api/v1/secrets/steady", { token: admin, body: { values: { password: uniqueValue("patched"), extra: uniqueValue("extra") } } }),
        await server.call("PUT", "/api/v1/secrets/steady/values", { token: admin, body: { values: { other: uniqueValue("replaced") } } }),
        await server.call("DELETE", "/api/v1/secrets/steady", { token: admin }),
        await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "during-outage", values: { k: uniqueValue("outage") } } }),
      ];
      for (const failure of failures) {
        expect({ status: failure.status, code: failure.json?.error?.code }).toEqual({ status: 503, code: "BACKEND_UNAVAILABLE" });
        expect(failure.text).not.toContain(value);
      }
      const health = await server.call("GET", "/health");
      expect({ status: health.status, body: health.json }).toEqual({ status: 503, body: { status: "unavailable", version: "test" } });
      // What needs no backend goes on: the session, the metadata.
      expect((await server.call("GET", "/api/v1/current-user", { token: admin })).status).toBe(200);
      expect(await total("workspace=*")).toBe(secretsBefore);

      backend.heal();
      expect((await server.call("GET", "/health")).status).toBe(200);
      const after = await server.call("GET", "/api/v1/secrets/steady", { token: admin });
      expect(after.json).toMatchObject({ version: 1, keys: ["password"], values: { password: value } });
      expect((await server.call("GET", "/api/v1/secrets/during-outage", { token: admin })).status).toBe(404);
      const recreated = await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "during-outage", values: { k: uniqueValue("recovered") } } });
      expect(recreated.status).toBe(201);
      expect((await server.call("GET", "/api/v1/secrets/during-outage", { token: admin })).json.values).toEqual(recreated.json.values);
    });

    it("a create whose backend write fails is 503 and leaves no metadata row: the list total is unchanged, the name gets 404 and can be created afterwards", async () => {
      const secretsBefore = await total("workspace=*");
      const value = uniqueValue("never-stored");
      const targeted = backend.failValueWrites();
      const { result: refused, calls } = await withCallCounts(backend.calls, () =>
        server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "never-stored", values: { k: value } } }),
      );
      expect({ status: refused.status, code: refused.json?.error?.code }).toEqual({ status: 503, code: "BACKEND_UNAVAILABLE" });
      expect(refused.text).not.toContain(value);
      // Where the emulator can fail the write alone, the write is what failed.
      if (targeted) expect(targeted.filter((operation) => (calls[operation] ?? 0) > 0)).not.toEqual([]);

      backend.heal();
      expect(await total("workspace=*")).toBe(secretsBefore);
      expect(await total("name=never-stored")).toBe(0);
      expect((await server.call("GET", "/api/v1/secrets/never-stored", { token: admin })).status).toBe(404);
      expect((await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "never-stored", values: { k: uniqueValue("stored") } } })).status).toBe(201);
    });
  });
});

describe("the custom store example (@zs-examples/file-store)", () => {
  const EXAMPLE_DIR = path.resolve(__dirname, "..", "..", "..", "examples", "custom-store");

  /** Installs the example in the config's directory: in node_modules, as `npm install` links it, and as a plain folder. */
  async function installExample(configDir: string): Promise<void> {
    await mkdir(path.join(configDir, "node_modules", "@zs-examples"), { recursive: true });
    await symlink(EXAMPLE_DIR, path.join(configDir, "node_modules", "@zs-examples", "file-store"), "dir");
    await symlink(EXAMPLE_DIR, path.join(configDir, "file-store"), "dir");
  }

  /** A `zs-server` process with `ZS_SECRETS_STORE_TYPE=storeType`; its values directory relative to the config's. */
  async function startServer(storeType: string): Promise<ServerUnderTest> {
    const server = await SpawnedTestServer.start({ prepare: installExample, env: { ZS_SECRETS_STORE_TYPE: storeType, ZS_SECRETS_STORE_DIRECTORY: "values" } });
    expect(server.logs).toContain("(values store: file)");
    return server;
  }

  describeSecretCrud("the custom store loaded by package name", () => startServer("@zs-examples/file-store"));
  describeSecretCrud("the custom store loaded by a relative path", () => startServer("./file-store/dist/index.js"));
});
