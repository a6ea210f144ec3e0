process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
process.env.METADATA_SERVER_DETECTION = "none";

import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { SecretValues } from "@zs/core";
import { testDatabases, type TestDatabase } from "../../../packages/store-sql/test/support/test-databases.js";
import { CLOUD_BACKENDS, storeOptionsOf, type CloudBackend } from "./support/cloud-backends.js";
import { ADMIN_PASSWORD } from "./support/server-under-test.js";
import { TestServer } from "./support/test-server.js";

// History survives a migration of the values between stores (lifecycle.md): the earlier values
// a store kept move along with the current ones, each still readable as its version, through a
// chain of migrations through every cloud store and back into sql.

/** Earlier value versions kept: small, so that pruning shows within a few updates. */
const KEEP = 3;
const ENCRYPTION_KEY = randomBytes(32).toString("base64");

/** The migrations each database runs: every store as target and as source on SQLite; on PostgreSQL, AWS and back. */
const chainOn = (database: string): string[] => (database === "SQLite" ? ["gcp", "aws", "vault", "azure", "sql"] : ["aws", "sql"]);

describe.each(testDatabases)("history across migrations of the values, on %s", (databaseLabel, createDatabase) => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: string;
  const backends = new Map<string, CloudBackend>();
  /** The values each version of secret `hist` wrote or had: version → values. */
  const versions = new Map<number, SecretValues>();
  /** Versions whose values were written by an earlier version (a rename): version → that version. */
  const wroteBy = new Map<number, number>();
  const writeOf = (version: number) => wroteBy.get(version) ?? version;
  /**
   * Why each pruned version's values are unavailable: `pruned` by the retention in the store that
   * pruned it; `migrated` once a migration left it behind (only kept versions are carried over).
   */
  const unavailable = new Map<number, string>();
  const notePruned = (reason: "pruned" | "migrated") => {
    for (const version of prunedVersions()) if (reason === "migrated" || !unavailable.has(version)) unavailable.set(version, reason);
  };
  /** The versions whose values the retention pruned: all but those of the KEEP + 1 newest value writes. */
  const prunedVersions = (): number[] => {
    const writes = [...new Set([...versions.keys()].map(writeOf))].sort((a, b) => b - a);
    const kept = writes.slice(0, KEEP + 1);
    return [...versions.keys()].filter((version) => !kept.includes(writeOf(version)));
  };

  const fixture = (label: string): SecretValues => ({ user: `user-${label}`, password: `pw-${label}-${randomBytes(6).toString("hex")}` });
  const secretCall = (method: string, path: string, body?: unknown) => server.call(method, `/api/v1/secrets${path}`, { token: admin, body });

  async function update(label: string): Promise<void> {
    const answer = await secretCall("PATCH", "/hist", { values: fixture(label) });
    expect(answer.status).toBe(200);
    versions.set(answer.json.version as number, answer.json.values as SecretValues);
    notePruned("pruned");
  }

  async function migrateTo(type: string): Promise<void> {
    const options = type === "sql" ? {} : storeOptionsOf(backends.get(type)!.env);
    const started = await server.call("POST", "/api/v1/admin/migrations", { token: admin, body: { to: type, options } });
    expect(started.status).toBe(202);
    for (let current = started.json.migration; current.active; ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      current = (await server.call("GET", "/api/v1/admin/migrations", { token: admin })).json.migration;
      if (!current.active) expect(current).toMatchObject({ status: "completed", failed: 0, error: null });
    }
    expect(server.running.services.store.type).toBe(type);
    notePruned("migrated");
  }

  /** Every version within the retention answers the values it had; older ones say they were pruned. */
  async function expectHistoryReadable(): Promise<void> {
    const current = Math.max(...versions.keys());
    const pruned = prunedVersions();
    const wrong: string[] = [];
    for (const [version, values] of versions) {
      const answer = await secretCall("GET", `/hist/versions/${version}`);
      if (pruned.includes(version)) {
        const reason = unavailable.get(version);
        if (answer.status !== 409 || answer.json.error.details?.reason !== reason) wrong.push(`version ${version} (${reason}): ${answer.status} ${answer.text}`);
      } else if (answer.status !== 200 || JSON.stringify(answer.json.values) !== JSON.stringify(values)) {
        wrong.push(`version ${version} of ${current}: ${answer.status} ${answer.status === 200 ? "other values" : answer.text}`);
      }
    }
    expect(wrong).toEqual([]);
  }

  beforeAll(async () => {
    database = await createDatabase();
    server = await TestServer.start({ databaseUrl: database.url, env: { ZS_ENCRYPTION_KEY: ENCRYPTION_KEY, ZS_HISTORY_MAX_VERSIONS: String(KEEP) } });
    admin = await server.login("admin", ADMIN_PASSWORD);
    for (const [type, start] of CLOUD_BACKENDS) {
      if (!chainOn(databaseLabel).includes(type)) continue;
      const backend = await start();
      for (const credential of backend.credentials) server.sensitive.add(credential);
      backends.set(type, backend);
    }
    // Versions 1-6: a create, updates, and a rename, whose version has the values of the one before it.
    const created = await secretCall("POST", "", { name: "hist", values: fixture("v1") });
    expect(created.status).toBe(201);
    versions.set(1, created.json.values as SecretValues);
    await update("v2");
    const renamed = await server.call("PATCH", "/api/v1/secrets/hist", { token: admin, body: { name: "hist-renamed" } });
    expect(renamed.status).toBe(200);
    expect((await secretCall("PATCH", "/hist-renamed", { name: "hist" })).status).toBe(200);
    for (const version of [3, 4]) {
      versions.set(version, versions.get(2)!);
      wroteBy.set(version, 2);
    }
    await update("v5");
    await update("v6");
    await update("v7");
    expect(prunedVersions()).toEqual([1]);
    // A second secret, never updated: history of one version moves too.
    expect((await secretCall("POST", "", { name: "single", values: fixture("single") })).status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    if (server) expect(server.leakedIntoLogs()).toEqual([]);
    await server?.stop();
    for (const backend of backends.values()) await backend.close();
    await database?.drop();
  });

  it("before any migration, the versions within the retention are readable", async () => {
    await expectHistoryReadable();
  });

  it.each(chainOn(databaseLabel).map((type, step): [string, number] => [type, step]))("after migrating to %s (step %d), every kept version still reads back, and keeps doing so after an update", async (type) => {
    await migrateTo(type);
    await expectHistoryReadable();
    expect((await secretCall("GET", "/single/versions/1")).status).toBe(200);
    // The version that was current at the switch becomes an earlier one: its values were copied as a version too.
    await update(`after-${type}`);
    await expectHistoryReadable();
  }, 120_000);

  it("a rollback to an earlier version made before the migrations works in the final store", async () => {
    const pruned = prunedVersions();
    const earliest = Math.min(...[...versions.keys()].filter((version) => !pruned.includes(version)));
    const rolledBack = await secretCall("POST", "/hist/rollback", { version: earliest });
    expect(rolledBack.status).toBe(200);
    expect(rolledBack.json.values).toEqual(versions.get(earliest));
  });
});

describe("history across a restore and a rewrite into a gcp primary (which destroys an object's replaced version)", () => {
  let server: TestServer;
  let admin: string;
  let gcp: CloudBackend;
  let vault: CloudBackend;
  const written: SecretValues[] = [];

  const fixture = (label: string): SecretValues => ({ user: `user-${label}`, password: `pw-${label}-${randomBytes(6).toString("hex")}` });
  const asBackup = (env: Record<string, string>) => Object.fromEntries(Object.entries(env).map(([name, value]) => [name.replace("ZS_SECRETS_STORE_", "ZS_BACKUP_SECRETS_STORE_"), value]));
  const admit = (path: string, body: unknown) => server.call("POST", path, { token: admin, body });

  async function expectEveryVersion(): Promise<void> {
    const answers = await Promise.all(written.map((_, i) => server.call("GET", `/api/v1/secrets/restored/versions/${i + 1}`, { token: admin })));
    expect(answers.map((answer) => [answer.status, answer.json.values ?? answer.json.error])).toEqual(written.map((values) => [200, values]));
  }

  async function update(label: string): Promise<void> {
    const answer = await server.call("PATCH", "/api/v1/secrets/restored", { token: admin, body: { values: fixture(label) } });
    expect(answer.status).toBe(200);
    written.push(answer.json.values as SecretValues);
  }

  beforeAll(async () => {
    const backends = new Map(CLOUD_BACKENDS);
    [gcp, vault] = await Promise.all([backends.get("gcp")!(), backends.get("vault")!()]);
    server = await TestServer.start({ env: { ZS_SECRETS_STORE_TYPE: "gcp", ...gcp.env, ZS_BACKUP_SECRETS_STORE_TYPE: "vault", ...asBackup(vault.env) } });
    for (const credential of [...gcp.credentials, ...vault.credentials]) server.sensitive.add(credential);
    admin = await server.login("admin", ADMIN_PASSWORD);
    const created = await admit("/api/v1/secrets", { name: "restored", values: fixture("v1") });
    expect(created.status).toBe(201);
    written.push(created.json.values as SecretValues);
    await update("v2");
    await update("v3");
  }, 60_000);

  afterAll(async () => {
    if (server) expect(server.leakedIntoLogs()).toEqual([]);
    await server?.stop();
    await Promise.all([gcp?.close(), vault?.close()]);
  });

  it("restore --overwrite writes the current values as their version: after an update, every version still reads back", async () => {
    const restored = await admit("/api/v1/admin/restore", { overwrite: true });
    expect(restored.json).toMatchObject({ copied: 1, verified: 1, failed: 0 });
    await update("v4");
    await expectEveryVersion();
  });

  it("a rewrite of the gcp store does the same", async () => {
    const started = await admit("/api/v1/admin/migrations", { to: "gcp", options: storeOptionsOf(gcp.env), rewrite: true });
    expect(started.status).toBe(202);
    for (let current = started.json.migration; current.active; ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      current = (await server.call("GET", "/api/v1/admin/migrations", { token: admin })).json.migration;
      if (!current.active) expect(current).toMatchObject({ status: "completed", failed: 0 });
    }
    await update("v5");
    await expectEveryVersion();
  });
});
