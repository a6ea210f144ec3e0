process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { startAwsSecretsManagerEmulator, startVaultEmulator, type AwsSecretsManagerEmulator, type VaultEmulator } from "@zs/emulators";
import { SqlDatabase } from "@zs/store-sql";
import { createSqliteDatabase, type TestDatabase } from "../../../packages/store-sql/test/support/test-databases.js";
import { ADMIN_PASSWORD } from "./support/server-under-test.js";
import { TestServer } from "./support/test-server.js";

// POST /api/v1/admin/migrations refuses what it cannot do with a clear error and changes
// nothing (no migration recorded, no write to the target, the values where they were); and
// --rewrite turns objects of an earlier format into the current one.

const AWS_CREDENTIALS = { accessKeyId: "AKIAZSMIGRATIONTEST1", secretAccessKey: "zs-migration-test-aws-secret-access-key" };

describe("migration requests", () => {
  let database: TestDatabase;
  let aws: AwsSecretsManagerEmulator;
  let vault: VaultEmulator;
  let awsClient: SecretsManagerClient;
  let server: TestServer;
  let admin: string;
  let member: string;
  const awsOptions = () => ({ region: "eu-west-1", endpoint: aws.endpoint, access_key_id: AWS_CREDENTIALS.accessKeyId, secret_access_key: AWS_CREDENTIALS.secretAccessKey });
  const start = (body: unknown, token = admin) => server.call("POST", "/api/v1/admin/migrations", { token, body });
  const latest = async () => ((await server.call("GET", "/api/v1/admin/migrations", { token: admin })).json as { migration: { status: string; active: boolean } | null }).migration;

  beforeAll(async () => {
    database = await createSqliteDatabase();
    aws = await startAwsSecretsManagerEmulator();
    vault = await startVaultEmulator();
    awsClient = new SecretsManagerClient({ region: "eu-west-1", endpoint: aws.endpoint, credentials: AWS_CREDENTIALS, maxAttempts: 1 });
    server = await TestServer.start({ databaseUrl: database.url });
    server.sensitive.add(AWS_CREDENTIALS.secretAccessKey).add(vault.token);
    admin = await server.login("admin", ADMIN_PASSWORD);
    member = await server.createUser(admin, "member");
    expect((await server.call("POST", "/api/v1/secrets", { token: admin, body: { name: "kept", values: { password: "kept-password-value" } } })).status).toBe(201);
  });

  afterAll(async () => {
    if (server) expect(server.leakedIntoLogs()).toEqual([]);
    await server?.stop();
    awsClient?.destroy();
    await aws?.close();
    await vault?.close();
    await database?.drop();
  });

  const refusals: [string, unknown, number, string, RegExp][] = [
    ["an unknown store type", { to: "no-such-store" }, 400, "VALIDATION_ERROR", /'no-such-store' is neither a built-in type nor a module/],
    ["an unknown option", { to: "aws", options: { regoin: "eu-west-1" } }, 400, "VALIDATION_ERROR", /Invalid options for values store 'aws'.*regoin.*Allowed options: .*region/],
    ["an option of the wrong form", { to: "vault", options: { vault_addr: "not a url", vault_token: "t" } }, 400, "VALIDATION_ERROR", /vault_addr/],
    ["the store the values are in, without rewrite", { to: "sql" }, 400, "VALIDATION_ERROR", /already in that 'sql' store; give --rewrite/],
    ["rewrite to another type", { to: "aws", rewrite: true }, 400, "VALIDATION_ERROR", /--rewrite rewrites the objects of the current values store: give --to sql/],
    ["rewrite with delete_source", { to: "sql", rewrite: true, delete_source: true }, 400, "VALIDATION_ERROR", /--delete-source would delete what a rewrite just wrote/],
    ["resume with nothing to resume", { to: "vault", resume: true }, 400, "VALIDATION_ERROR", /There is no migration to resume/],
    ["abort with nothing to abort", { abort: true }, 400, "VALIDATION_ERROR", /There is no migration in progress to abort/],
    ["a concurrency out of range", { to: "aws", concurrency: 0 }, 400, "VALIDATION_ERROR", /concurrency/],
    ["an unknown field", { to: "aws", force: true }, 400, "VALIDATION_ERROR", /force/],
    ["no target", {}, 400, "VALIDATION_ERROR", /Give 'to' \(the store to move the values to\), or 'abort: true'/],
    ["abort with a target", { abort: true, to: "aws" }, 400, "VALIDATION_ERROR", /'abort' takes no other field/],
  ];

  it.each(refusals)("%s: refused, nothing recorded", async (_what, body, status, code, message) => {
    const answer = await start(body);
    expect(answer.status).toBe(status);
    expect(answer.json.error).toMatchObject({ code, message: expect.stringMatching(message) });
    expect(await latest()).toBeNull();
  });

  it("a target that refuses the credentials: 400 naming the target, no write there, the token never echoed", async () => {
    const before = { ...vault.calls };
    const answer = await start({ to: "vault", options: { vault_addr: vault.address, vault_token: "hvs.not-the-right-token" } });
    expect(answer.status).toBe(400);
    expect(answer.json.error.message).toMatch(/The migration's target 'vault' cannot be used: .*(denied|token)/i);
    expect(JSON.stringify(answer.json)).not.toContain("hvs.not-the-right-token");
    expect(vault.calls.writeData).toBe(before.writeData);
    expect(await latest()).toBeNull();
    expect((await server.call("GET", "/api/v1/secrets/kept", { token: admin })).json.values).toEqual({ password: "kept-password-value" });
  });

  it("members may neither start nor watch a migration", async () => {
    expect((await start({ to: "aws", options: awsOptions() }, member)).status).toBe(403);
    expect((await server.call("GET", "/api/v1/admin/migrations", { token: member })).status).toBe(403);
    expect((await start({ abort: true }, member)).status).toBe(403);
    expect(await latest()).toBeNull();
  });

  it("restore without a backup store: 400, nothing changed", async () => {
    const answer = await server.call("POST", "/api/v1/admin/restore", { token: admin, body: {} });
    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe("VALIDATION_ERROR");
    expect((await server.call("GET", "/api/v1/secrets/kept", { token: admin })).json.values).toEqual({ password: "kept-password-value" });
  });

  it("--rewrite turns objects of the earlier envelope format into the bare values map, and keeps the store", async () => {
    const done = async () => {
      for (let current = await latest(); ; current = await latest()) {
        if (!current?.active) return current;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const moved = await start({ to: "aws", options: awsOptions() });
    expect(moved.status).toBe(202);
    expect(await done()).toMatchObject({ status: "completed" });
    const { id } = (await server.call("GET", "/api/v1/secrets/kept", { token: admin })).json as { id: string };
    // The object as the store wrote it before the bare values map.
    const opened = await SqlDatabase.open(database.url);
    const deploymentId = opened.deploymentId;
    await opened.close();
    await awsClient.send(
      new PutSecretValueCommand({ SecretId: `zs/${id}`, SecretString: JSON.stringify({ "zs-deployment": deploymentId, values: { password: "kept-password-value" } }) }),
    );

    const rewritten = await start({ to: "aws", rewrite: true });
    expect(rewritten.status).toBe(202);
    expect(await done()).toMatchObject({ status: "completed", failed: 0 });
    const raw = await awsClient.send(new GetSecretValueCommand({ SecretId: `zs/${id}` }));
    expect(JSON.parse(raw.SecretString!)).toEqual({ password: "kept-password-value" });
    expect(server.running.services.store.type).toBe("aws");
    expect((await server.call("GET", "/api/v1/secrets/kept", { token: admin })).json.values).toEqual({ password: "kept-password-value" });
  });
});
