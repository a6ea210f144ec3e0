process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

import { execFile, spawn } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { CLOUD_STORE_LOADERS } from "@zs/builtin-stores";
import { silentLogger, type SecretValues, type SecretValuesStore } from "@zs/core";
import { SqlDatabase } from "@zs/store-sql";
import { testDatabases, type TestDatabase } from "../../../packages/store-sql/test/support/test-databases.js";
import { CLOUD_BACKENDS, storeOptionsOf, type CloudBackend } from "./support/cloud-backends.js";
import { SERVER_BIN } from "./support/server-process.js";
import { ADMIN_PASSWORD } from "./support/server-under-test.js";
import { TestServer } from "./support/test-server.js";

// `zs-server migrate` as an operator runs it: a process of its own over the server's database,
// killed with SIGKILL at a random point, then resumed (or abandoned); the running server keeps
// serving meanwhile, and after the switch no process configured with the old store writes.

const execFileAsync = promisify(execFile);
/** Enough for several copy rounds (the last, under held writers, is at most 100), so a kill lands mid-way. */
const SECRETS = 400;
const ENCRYPTION_KEY = randomBytes(32).toString("base64");
const startAws = Object.fromEntries(CLOUD_BACKENDS)["aws"]!;

interface WireMigration {
  id: string;
  status: string;
  total: number;
  done: number;
  active: boolean;
}

describe.each(testDatabases)("zs-server migrate on %s", (_label, createDatabase) => {
  let database: TestDatabase;
  let backend: CloudBackend;
  let server: TestServer;
  let admin: string;
  let target: SecretValuesStore;
  const expected = new Map<string, SecretValues>();
  /** Secrets deleted along the way: no copy of theirs may remain in the target. */
  const deletedIds: string[] = [];

  const settings = () => ({ ZS_DATABASE_URL: database.url, ZS_ENCRYPTION_KEY: ENCRYPTION_KEY, ZS_LOG_LEVEL: "warn" });
  const awsFlags = () => Object.entries(storeOptionsOf(backend.env)).flatMap(([name, value]) => ["--to-option", `${name}=${value}`]);
  const migration = async () => ((await server.call("GET", "/api/v1/admin/migrations", { token: admin })).json as { migration: WireMigration | null }).migration;

  /** `zs-server migrate` run to its end. */
  async function migrate(args: string[]) {
    return execFileAsync(process.execPath, [SERVER_BIN, "migrate", ...args], { env: { PATH: process.env.PATH ?? "", ...settings() } }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
  }

  /** `zs-server migrate --to aws` killed with SIGKILL once it has copied `after` secrets. */
  async function migrateKilledAfter(after: number): Promise<void> {
    const child = spawn(process.execPath, [SERVER_BIN, "migrate", "--to", "aws", ...awsFlags(), "--concurrency", "2"], {
      env: { PATH: process.env.PATH ?? "", ...settings() },
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      const copied = async () => {
        const current = await migration();
        return current?.status === "running" ? current.done : 0;
      };
      for (let polls = 0; (await copied()) < after; polls++) {
        if (polls > 1200 || child.exitCode !== null) throw new Error(`the migration ended before ${after} secrets were copied`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    } finally {
      child.kill("SIGKILL");
      await exited;
    }
  }

  /** Changes made while the migration is interrupted: updates, deletes and creates, through the running server. */
  async function writeMeanwhile(label: string): Promise<void> {
    for (let i = 0; i < 10; i++) {
      const name = `secret-${i * 37}`;
      const updated = await server.call("PATCH", `/api/v1/secrets/${name}`, { token: admin, body: { values: { password: `changed-${label}-${i}` } } });
      expect(updated.status).toBe(200);
      expected.set(name, (updated.json as { values: SecretValues }).values);
      const created = `${label}-new-${i}`;
      const values = { token: `${label}-token-${randomBytes(4).toString("hex")}` };
      expect((await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: created, values } })).status).toBe(201);
      expected.set(created, values);
      const removed = `secret-${i * 37 + 1}`;
      if (!expected.has(removed)) continue;
      deletedIds.push((await server.call("GET", `/api/v1/secrets/${removed}`, { token: admin })).json.id as string);
      // Purged: a soft-deleted secret's values move with the others (it may be recovered).
      expect((await server.call("DELETE", `/api/v1/secrets/${removed}?purge=true`, { token: admin })).status).toBe(200);
      expected.delete(removed);
    }
  }

  async function secretIds(on: TestServer): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    for (let page = 1; ; page++) {
      const listed = (await on.call("GET", `/api/v1/secrets?size=1000&page=${page}`, { token: await on.login("admin", ADMIN_PASSWORD) })).json as {
        total_pages: number;
        items: { id: string; name: string }[];
      };
      for (const item of listed.items) ids.set(item.name, item.id);
      if (page >= listed.total_pages) return ids;
    }
  }

  beforeAll(async () => {
    database = await createDatabase();
    backend = await startAws();
    server = await TestServer.start({ databaseUrl: database.url, env: { ZS_ENCRYPTION_KEY: ENCRYPTION_KEY } });
    for (const credential of backend.credentials) server.sensitive.add(credential);
    admin = await server.login("admin", ADMIN_PASSWORD);
    const opened = await SqlDatabase.open(database.url);
    const deploymentId = opened.deploymentId;
    await opened.close();
    const definition = await CLOUD_STORE_LOADERS["aws"]!();
    target = await definition.create(definition.optionsSchema.parse(storeOptionsOf(backend.env)), { deploymentId, logger: silentLogger, configDir: "." });
    const names = Array.from({ length: SECRETS }, (_, i) => `secret-${i}`);
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < names.length) {
          const name = names[next++]!;
          const values = { user: `user-${name}`, password: `pw-${name}-${randomBytes(6).toString("hex")}` };
          expect((await server.call("POST", "/api/v1/secrets", { token: admin, body: { name, values } })).status).toBe(201);
          expected.set(name, values);
        }
      }),
    );
  }, 120_000);

  afterAll(async () => {
    if (server) expect(server.leakedIntoLogs()).toEqual([]);
    await server?.stop();
    await target?.close?.();
    await backend?.close();
    await database?.drop();
  });

  it("--abort after a kill -9 leaves the sql store serving everything, and a new migration may start", async () => {
    await migrateKilledAfter(randomInt(SECRETS / 20, SECRETS * 0.4));
    expect(await migration()).toMatchObject({ status: "running", active: false });
    // Started again without --resume: refused, nothing changed.
    const twice = await migrate(["--to", "aws", ...awsFlags()]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/A migration from 'sql' to 'aws' .* is in progress: resume it \(--resume\) or abandon it \(--abort\)/);
    const twiceOverHttp = await server.call("POST", "/api/v1/admin/migrations", { token: admin, body: { to: "aws", options: storeOptionsOf(backend.env) } });
    expect(twiceOverHttp.status).toBe(409);
    expect(twiceOverHttp.json).toMatchObject({ error: { code: "MIGRATION_IN_PROGRESS" } });

    const aborted = await migrate(["--abort"]);
    expect(aborted).toMatchObject({ code: 0 });
    expect(aborted.stdout).toContain("the 'sql' store still holds every value");
    expect(await migration()).toMatchObject({ status: "aborted", active: false });
    await writeMeanwhile("after-abort");
    for (const [name, values] of expected) {
      const read = await server.call("GET", `/api/v1/secrets/${name}`, { token: admin });
      expect({ name, values: read.json.values }).toEqual({ name, values });
    }
    expect((await migrate(["--abort"])).stderr).toContain("There is no migration in progress to abort.");
  }, 300_000);

  it("--resume after a kill -9 completes with nothing lost, then a server configured for sql refuses writes and starts", async () => {
    // The aborted migration's copies stay in aws (abort needs no access to the target): only what
    // is deleted from now on must be gone from there.
    deletedIds.length = 0;
    await migrateKilledAfter(randomInt(SECRETS / 10, SECRETS * 0.8));
    const interrupted = (await migration())!;
    expect(interrupted).toMatchObject({ status: "running", active: false });
    await writeMeanwhile("while-interrupted");
    // Resuming to another type than the migration in progress is refused.
    expect((await migrate(["--to", "vault", "--to-option", "vault_addr=http://127.0.0.1:1", "--resume"])).stderr).toContain(
      "The migration in progress goes to 'aws', not 'vault'.",
    );

    const resumed = await migrate(["--to", "aws", ...awsFlags(), "--resume"]);
    expect(resumed.stderr).not.toContain("failed:");
    expect(resumed).toMatchObject({ code: 0 });
    const skipped = Number(/(\d+) skipped, 0 failed/.exec(resumed.stdout)?.[1]);
    expect(skipped).toBeGreaterThanOrEqual(interrupted.done - 50);
    expect(resumed.stdout).toContain("The values are now in the 'aws' store. Set ZS_SECRETS_STORE_TYPE=aws");
    expect(await migration()).toMatchObject({ status: "completed", done: expected.size, total: expected.size });

    // The server still configured for sql: reads answer (the old values are still there), writes are refused.
    const refused = await server.call("PATCH", "/api/v1/secrets/secret-2", { token: admin, body: { values: { password: "lost-write" } } });
    expect(refused.status).toBe(503);
    expect(refused.json).toMatchObject({ error: { code: "CONFIGURATION_ERROR" } });
    expect(refused.json.error.message).toContain("set ZS_SECRETS_STORE_TYPE=aws");
    await expect(TestServer.start({ databaseUrl: database.url, env: { ZS_ENCRYPTION_KEY: ENCRYPTION_KEY } })).rejects.toThrow(
      /This deployment's values are in the 'aws' values store \(moved there by a migration at .*\), not in 'sql': set ZS_SECRETS_STORE_TYPE=aws with ZS_SECRETS_STORE_ENDPOINT=/,
    );

    const moved = await TestServer.start({ databaseUrl: database.url, env: { ZS_ENCRYPTION_KEY: ENCRYPTION_KEY, ZS_SECRETS_STORE_TYPE: "aws", ...backend.env } });
    try {
      const ids = await secretIds(moved);
      expect([...ids.keys()].sort()).toEqual([...expected.keys()].sort());
      const token = await moved.login("admin", ADMIN_PASSWORD);
      const wrong: string[] = [];
      for (const [name, values] of expected) {
        const read = await moved.call("GET", `/api/v1/secrets/${name}`, { token });
        if (JSON.stringify(read.json.values) !== JSON.stringify(values)) wrong.push(`${name} via the API`);
        if (JSON.stringify(await target.getValues(ids.get(name)!)) !== JSON.stringify(values)) wrong.push(`${name} in aws`);
      }
      for (const id of deletedIds) if ((await target.getValues(id)) !== undefined) wrong.push(`deleted ${id} still in aws`);
      expect(wrong).toEqual([]);
    } finally {
      await moved.stop();
    }
  }, 300_000);
});
