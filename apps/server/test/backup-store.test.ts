process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { DeleteSecretCommand, GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { startAwsSecretsManagerEmulator, startVaultEmulator, type AwsSecretsManagerEmulator, type VaultEmulator } from "@zs/emulators";
import { createPostgresDatabase, postgresUrl, type TestDatabase } from "../../../packages/store-sql/test/support/test-databases.js";
import { request } from "./support/http-client.js";
import { parsePrometheusText } from "./support/prometheus-text.js";
import { TestServer } from "./support/test-server.js";

// The backup store of stores.md, on a real server: values in AWS Secrets Manager (the
// primary) and in Vault (the backup), both through their real SDKs against the emulators.
// Reads survive the primary failing or losing an object; writes survive the backup failing,
// and the repair pass brings the backup up to date once it answers again.

/** More failures than any retry policy makes attempts: a fault that lasts until it is cleared. */
const PERSISTENT = Number.MAX_SAFE_INTEGER;
const METRICS_TOKEN = "backup-store-test-metrics-token";
const AWS_CREDENTIALS = { accessKeyId: "AKIAZSBACKUPTEST0001", secretAccessKey: "zs-backup-test-aws-secret-access-key" };

const databases: [string, () => Promise<TestDatabase | undefined>][] = [
  ["SQLite", async () => undefined],
  ...(postgresUrl ? [["PostgreSQL", createPostgresDatabase] as [string, () => Promise<TestDatabase>]] : []),
];

async function waitFor(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.each(databases)("the backup store on %s", (_label, createDatabase) => {
  let database: TestDatabase | undefined;
  let aws: AwsSecretsManagerEmulator;
  let vault: VaultEmulator;
  let awsClient: SecretsManagerClient;
  let server: TestServer;
  let admin: string;

  const fixture = (name: string) => ({ user: `user-of-${name}`, password: `password-of-${name}-${Math.random().toString(36).slice(2)}` });
  const awsObjectExists = async (id: string) =>
    awsClient.send(new GetSecretValueCommand({ SecretId: `zs/${id}` })).then(
      () => true,
      () => false,
    );
  /** The value of one series of a scrape (0 when absent). */
  const metric = async (name: string, labels: Record<string, string> = {}) => {
    const scrape = await request(server.url, "GET", "/metrics", { token: METRICS_TOKEN });
    const sample = parsePrometheusText(scrape.text).find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
    return sample?.value ?? 0;
  };
  const status = async () => (await server.call("GET", "/api/v1/admin/backup", { token: admin })).json as { type: string; pending: number };

  beforeAll(async () => {
    database = await createDatabase();
    aws = await startAwsSecretsManagerEmulator();
    vault = await startVaultEmulator();
    awsClient = new SecretsManagerClient({ region: "eu-west-1", endpoint: aws.endpoint, credentials: AWS_CREDENTIALS, maxAttempts: 1 });
    server = await TestServer.start({
      ...(database ? { databaseUrl: database.url } : {}),
      env: {
        ZS_SECRETS_STORE_TYPE: "aws",
        ZS_SECRETS_STORE_REGION: "eu-west-1",
        ZS_SECRETS_STORE_ENDPOINT: aws.endpoint,
        ZS_SECRETS_STORE_ACCESS_KEY_ID: AWS_CREDENTIALS.accessKeyId,
        ZS_SECRETS_STORE_SECRET_ACCESS_KEY: AWS_CREDENTIALS.secretAccessKey,
        ZS_BACKUP_SECRETS_STORE_TYPE: "vault",
        ZS_BACKUP_SECRETS_STORE_VAULT_ADDR: vault.address,
        ZS_BACKUP_SECRETS_STORE_VAULT_TOKEN: vault.token,
        ZS_BACKUP_REPAIR_INTERVAL: "1s",
        ZS_METRICS_TOKEN: METRICS_TOKEN,
      },
    });
    server.sensitive.add(AWS_CREDENTIALS.secretAccessKey).add(vault.token);
    admin = await server.login("admin", "admin-password-for-tests");
  });

  afterAll(async () => {
    await server?.stop();
    awsClient?.destroy();
    await aws?.close();
    await vault?.close();
    await database?.drop();
  });

  it("a write lands in both stores and leaves nothing pending", async () => {
    const created = await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "both-stores", values: fixture("both") } });
    expect(created.status).toBe(201);
    expect(await awsObjectExists(created.json.id)).toBe(true);
    expect(vault.calls.writeData).toBeGreaterThan(0);
    expect(await status()).toEqual({ type: "vault", pending: 0 });
  });

  it("with the primary failing every call, a read answers from the backup", async () => {
    const values = fixture("primary-down");
    await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "primary-down", values } });
    aws.faults.failNext = PERSISTENT;
    try {
      const read = await server.call("GET", "/api/v1/secrets/primary-down", { token: admin });
      expect(read.status).toBe(200);
      expect(read.json.values).toEqual(values);
    } finally {
      aws.faults.failNext = 0;
    }
  });

  it("values the primary lost are read from the backup and copied back into the primary", async () => {
    const values = fixture("lost");
    const created = await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "lost-in-primary", values } });
    await awsClient.send(new DeleteSecretCommand({ SecretId: `zs/${created.json.id}`, ForceDeleteWithoutRecovery: true }));
    expect(await awsObjectExists(created.json.id)).toBe(false);
    const read = await server.call("GET", "/api/v1/secrets/lost-in-primary", { token: admin });
    expect(read.json.values).toEqual(values);
    expect(await awsObjectExists(created.json.id)).toBe(true);
  });

  it("a write and a delete while the backup is down succeed, are counted pending, and are repaired once it is back", async () => {
    await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "changed-while-down", values: fixture("before") } });
    await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "deleted-while-down", values: fixture("deleted") } });
    const newValues = fixture("after");
    vault.faults.failNext(PERSISTENT, 503);
    try {
      expect((await server.call("PATCH", "/api/v1/secrets/changed-while-down", { token: admin, body: { values: newValues } })).status).toBe(200);
      // Purged: a soft delete keeps the values, in the backup too, until the sweeper purges them.
      expect((await server.call("DELETE", "/api/v1/secrets/deleted-while-down?purge=true", { token: admin })).status).toBe(200);
      expect((await status()).pending).toBe(2);
      expect(await metric("zs_backup_pending_secrets")).toBe(2);
    } finally {
      vault.faults.failNext(0);
    }
    await waitFor(async () => (await status()).pending === 0, "the repair pass");
    // The backup now holds the new values: with the primary down, they are what a read returns.
    aws.faults.failNext = PERSISTENT;
    try {
      const read = await server.call("GET", "/api/v1/secrets/changed-while-down", { token: admin });
      expect(read.json.values).toEqual(newValues);
    } finally {
      aws.faults.failNext = 0;
    }
  });

  it("metrics time every values store call by store type, operation and outcome, the backup's and the copy-back's too", async () => {
    const count = (store: string, operation: string, outcome: string) => metric("zs_values_store_call_duration_seconds_count", { store, operation, outcome });
    expect(await count("aws", "put", "ok")).toBeGreaterThanOrEqual(5);
    expect(await count("vault", "put", "ok")).toBeGreaterThanOrEqual(4);
    expect(await count("aws", "get", "error")).toBeGreaterThanOrEqual(1);
    expect(await count("aws", "get", "not_found")).toBeGreaterThanOrEqual(1);
    expect(await count("vault", "get", "ok")).toBeGreaterThanOrEqual(2);
    expect(await count("vault", "put", "error")).toBeGreaterThanOrEqual(1);
    expect(await count("vault", "delete", "error")).toBeGreaterThanOrEqual(1);
    expect(await count("vault", "delete", "ok")).toBeGreaterThanOrEqual(1);
    expect(await metric("zs_backup_pending_secrets")).toBe(0);
  });

  it("restore copies back only what the primary lacks, or everything with overwrite; backup copies and verifies every secret", async () => {
    const values = fixture("restore");
    const created = await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "restored", values } });
    await awsClient.send(new DeleteSecretCommand({ SecretId: `zs/${created.json.id}`, ForceDeleteWithoutRecovery: true }));
    const total = (await server.call("GET", "/api/v1/secrets?size=100&workspace=*", { token: admin })).json.total as number;

    const restored = await server.call("POST", "/api/v1/admin/restore", { token: admin, body: {} });
    expect(restored.status).toBe(200);
    expect(restored.json).toEqual({ copied: 1, verified: 1, skipped: total - 1, failed: 0, failures: [] });
    expect(await awsObjectExists(created.json.id)).toBe(true);

    const overwritten = await server.call("POST", "/api/v1/admin/restore", { token: admin, body: { overwrite: true } });
    expect(overwritten.json).toMatchObject({ copied: total, verified: total, skipped: 0, failed: 0 });

    const backedUp = await server.call("POST", "/api/v1/admin/backup", { token: admin, body: {} });
    expect(backedUp.json).toEqual({ copied: total, verified: total, skipped: 0, failed: 0, failures: [] });
  });

  it("a backup with the backup store down reports the secrets that failed, by id and without a value", async () => {
    vault.faults.failNext(PERSISTENT, 503);
    try {
      const backedUp = await server.call("POST", "/api/v1/admin/backup", { token: admin, body: {} });
      expect(backedUp.status).toBe(200);
      expect(backedUp.json.failed).toBeGreaterThan(0);
      expect(backedUp.json.verified).toBe(0);
      expect(backedUp.json.failures[0]).toEqual({ secret_id: expect.any(String), reason: expect.stringContaining("vault") });
    } finally {
      vault.faults.failNext(0);
    }
  });

  it("only admins see the status, back up or restore, and bad bodies are refused", async () => {
    const user = await server.createUser(admin, `backup-user-${Date.now()}`);
    for (const [method, path] of [["GET", "/api/v1/admin/backup"], ["POST", "/api/v1/admin/backup"], ["POST", "/api/v1/admin/restore"]] as const) {
      const refused = await server.call(method, path, { token: user, ...(method === "POST" ? { body: {} } : {}) });
      expect(refused.status).toBe(403);
    }
    const bad = await server.call("POST", "/api/v1/admin/restore", { token: admin, body: { overwrite: "yes" } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("VALIDATION_ERROR");
    const unknown = await server.call("POST", "/api/v1/admin/backup", { token: admin, body: { everything: true } });
    expect(unknown.status).toBe(400);
  });

  it("no value or credential reaches the logs", () => {
    expect(server.leakedIntoLogs()).toEqual([]);
  });
});

describe("a server without a backup store", () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await TestServer.start();
    admin = await server.login("admin", "admin-password-for-tests");
  });
  afterAll(() => server?.stop());

  it("reports none configured, and refuses backup and restore saying what to set", async () => {
    expect((await server.call("GET", "/api/v1/admin/backup", { token: admin })).json).toEqual({ type: null, pending: 0 });
    for (const path of ["/api/v1/admin/backup", "/api/v1/admin/restore"]) {
      const refused = await server.call("POST", path, { token: admin, body: {} });
      expect(refused.status).toBe(400);
      expect(refused.json.error.message).toContain("ZS_BACKUP_SECRETS_STORE_TYPE");
    }
  });
});

describe("backup store configuration", () => {
  it.each([
    [{ ZS_BACKUP_SECRETS_STORE_TYPE: "sql" }, "names the values store itself"],
    [{ ZS_BACKUP_SECRETS_STORE_TYPE: "vault", ZS_BACKUP_SECRETS_STORE_VAULT_ADDR: "http://127.0.0.1:1", ZS_BACKUP_SECRETS_STORE_COLOUR: "x" }, "ZS_BACKUP_SECRETS_STORE_<OPTION>"],
    [{ ZS_BACKUP_SECRETS_STORE_TYPE: "no-such-store-module" }, "neither a built-in type"],
    [{ ZS_BACKUP_SECRETS_STORE_REGION: "eu-west-1" }, "without ZS_BACKUP_SECRETS_STORE_TYPE"],
    [{ ZS_BACKUP_SECRETS_STORE_TYPE: "none", ZS_BACKUP_REPAIR_INTERVAL: "soon" }, "ZS_BACKUP_REPAIR_INTERVAL"],
  ])("a bad backup setting stops the server at start with a clear message (%j)", async (env, message) => {
    await expect(TestServer.start({ env })).rejects.toMatchObject({ code: "CONFIGURATION_ERROR", message: expect.stringContaining(message) });
  });
});
