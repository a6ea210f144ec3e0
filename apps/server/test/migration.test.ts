process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
process.env.METADATA_SERVER_DETECTION = "none";

import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { CLOUD_STORE_LOADERS } from "@zs/builtin-stores";
import { silentLogger, type SecretValues, type SecretValuesStore } from "@zs/core";
import { SqlDatabase } from "@zs/store-sql";
import { testDatabases, type TestDatabase } from "../../../packages/store-sql/test/support/test-databases.js";
import { CLOUD_BACKENDS, storeOptionsOf, type CloudBackend } from "./support/cloud-backends.js";
import { ADMIN_PASSWORD } from "./support/server-under-test.js";
import { TestServer } from "./support/test-server.js";

// Online migration of the values (stores.md "Backup store and migration") inside a running
// server: 1,000 secrets from the sql store to each cloud store (the real SDK against its
// emulator) and back, while clients keep reading and writing; every value is compared
// afterwards through the API and in the backend itself.

const SECRETS = 1000;
/** Secrets the writers change during a migration; the readers check the others. */
const HOT = 40;
const ENCRYPTION_KEY = randomBytes(32).toString("base64");

interface WireMigration {
  id: string;
  source_type: string;
  target_type: string;
  status: string;
  total: number;
  done: number;
  active: boolean;
  copied: number;
  verified: number;
  failed: number;
  error: string | null;
}

const secretName = (i: number) => `migrated-${String(i).padStart(4, "0")}`;

/**
 * The targets each database migrates to: every cloud store on SQLite; on PostgreSQL, AWS alone.
 * What differs between the databases (the progress records, the switch under held writers) does
 * not depend on the target, and each store's own part is covered on SQLite: the four targets
 * again on PostgreSQL would only repeat it, at a few minutes of CI each run.
 */
const targetsOn = (database: string) => (database === "SQLite" ? CLOUD_BACKENDS : CLOUD_BACKENDS.filter(([type]) => type === "aws"));

describe.each(testDatabases)("migrating the values of a running server on %s", (databaseLabel, createDatabase) => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: string;
  let deploymentId: string;
  /** What every secret must hold: name → values (absent once deleted). */
  const expected = new Map<string, SecretValues>();

  const fixture = (label: string): SecretValues => ({ user: `user-${label}`, password: `pw-${label}-${randomBytes(6).toString("hex")}` });
  const migration = async () => ((await server.call("GET", "/api/v1/admin/migrations", { token: admin })).json as { migration: WireMigration | null }).migration;

  async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }));
  }

  async function migrateTo(to: string, options: Record<string, string>, extra: Record<string, unknown> = {}): Promise<WireMigration> {
    const started = await server.call("POST", "/api/v1/admin/migrations", { token: admin, body: { to, options, ...extra } });
    expect(started.status).toBe(202);
    let current = (started.json as { migration: WireMigration }).migration;
    expect(current).toMatchObject({ status: "running", target_type: to, active: true });
    while (current.active) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      current = (await migration())!;
    }
    return current;
  }

  /**
   * Reads and writes while `running` is unsettled: writers patch the hot secrets, create and
   * delete others; readers check the untouched ones answer their values. Returns the failures.
   */
  async function clientsDuring(running: Promise<unknown>): Promise<string[]> {
    const problems: string[] = [];
    let settled = false;
    void running.finally(() => (settled = true));
    let round = 0;
    const phase = randomBytes(3).toString("hex");
    const writer = async () => {
      while (!settled) {
        const name = secretName(round++ % HOT);
        const values = fixture(`${name}-w${round}`);
        const answer = await server.call("PATCH", `/api/v1/secrets/${name}`, { token: admin, body: { values } });
        if (answer.status === 200) expected.set(name, (answer.json as { values: SecretValues }).values);
        else problems.push(`PATCH ${name}: ${answer.status} ${answer.text}`);
        const extra = `during-${phase}-${round}`;
        const created = await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: extra, values: fixture(extra) } });
        if (created.status !== 201) problems.push(`POST ${extra}: ${created.status} ${created.text}`);
        else if (round % 2 === 0) {
          const deleted = await server.call("DELETE", `/api/v1/secrets/${extra}`, { token: admin });
          if (deleted.status !== 200) problems.push(`DELETE ${extra}: ${deleted.status}`);
        } else expected.set(extra, (created.json as { values: SecretValues }).values);
      }
    };
    const reader = async () => {
      for (let i = HOT; !settled; i = i + 37 >= SECRETS ? HOT : i + 37) {
        const answer = await server.call("GET", `/api/v1/secrets/${secretName(i)}`, { token: admin });
        if (answer.status !== 200) problems.push(`GET ${secretName(i)}: ${answer.status}`);
        else if (JSON.stringify((answer.json as { values: SecretValues }).values) !== JSON.stringify(expected.get(secretName(i)))) {
          problems.push(`GET ${secretName(i)}: other values`);
        }
      }
    };
    await Promise.all([writer(), reader(), running]);
    return problems;
  }

  async function allSecrets(): Promise<{ id: string; name: string }[]> {
    const items: { id: string; name: string }[] = [];
    for (let page = 1; ; page++) {
      const listed = (await server.call("GET", `/api/v1/secrets?size=1000&page=${page}`, { token: admin })).json as { total_pages: number; items: typeof items };
      items.push(...listed.items);
      if (page >= listed.total_pages) return items;
    }
  }

  /** Every expected secret answers its values through the API, and the store holds exactly them. */
  async function expectAllValues(store: SecretValuesStore | undefined): Promise<void> {
    const listed = await allSecrets();
    expect(listed.map((item) => item.name).sort()).toEqual([...expected.keys()].sort());
    const wrong: string[] = [];
    await inParallel(listed, 8, async (item) => {
      const answer = await server.call("GET", `/api/v1/secrets/${item.id}`, { token: admin });
      const want = JSON.stringify(expected.get(item.name));
      if (JSON.stringify((answer.json as { values: SecretValues }).values) !== want) wrong.push(`${item.name} via the API`);
      if (store && JSON.stringify(await store.getValues(item.id)) !== want) wrong.push(`${item.name} in the ${store.type} backend`);
    });
    expect(wrong).toEqual([]);
  }

  beforeAll(async () => {
    database = await createDatabase();
    server = await TestServer.start({ databaseUrl: database.url, env: { ZS_ENCRYPTION_KEY: ENCRYPTION_KEY } });
    admin = await server.login("admin", ADMIN_PASSWORD);
    const opened = await SqlDatabase.open(database.url);
    deploymentId = opened.deploymentId;
    await opened.close();
    const names = Array.from({ length: SECRETS }, (_, i) => secretName(i));
    await inParallel(names, 8, async (name) => {
      const values = fixture(name);
      const created = await server.call("POST", "/api/v1/secrets", { token: admin, body: { name, values } });
      expect(created.status).toBe(201);
      expected.set(name, values);
    });
  }, 120_000);

  afterAll(async () => {
    if (server) expect(server.leakedIntoLogs()).toEqual([]);
    await server?.stop();
    await database?.drop();
  });

  describe.each(targetsOn(databaseLabel))("sql → %s → sql", (type, startBackend) => {
    let backend: CloudBackend;
    let store: SecretValuesStore;
    beforeAll(async () => {
      backend = await startBackend();
      for (const credential of backend.credentials) server.sensitive.add(credential);
      // A second client of the backend, as the server's own store would be after a restart.
      const definition = await CLOUD_STORE_LOADERS[type]!();
      store = await definition.create(definition.optionsSchema.parse(storeOptionsOf(backend.env)), { deploymentId, logger: silentLogger, configDir: "." });
    });
    afterAll(async () => {
      await store?.close?.();
      await backend?.close();
    });

    it(`moves every value to ${type} while clients read and write, and loses no write`, async () => {
      const running = migrateTo(type, storeOptionsOf(backend.env));
      expect(await clientsDuring(running)).toEqual([]);
      const done = await running;
      expect(done).toMatchObject({ status: "completed", failed: 0, error: null });
      expect(done.verified).toBeGreaterThanOrEqual(SECRETS);
      expect(server.running.services.store.type).toBe(type);
      await expectAllValues(store);
    }, 300_000);

    it("moves them back into sql, deleting them from the old store", async () => {
      const running = migrateTo("sql", {}, { delete_source: true });
      expect(await clientsDuring(running)).toEqual([]);
      expect(await running).toMatchObject({ status: "completed", failed: 0, error: null });
      expect(server.running.services.store.type).toBe("sql");
      await expectAllValues(undefined);
      const left: string[] = [];
      await inParallel((await allSecrets()).slice(0, 100), 8, async (item) => {
        if ((await store.getValues(item.id)) !== undefined) left.push(item.id);
      });
      expect(left).toEqual([]);
    }, 300_000);
  });
});
