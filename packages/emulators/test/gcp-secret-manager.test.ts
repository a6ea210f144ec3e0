process.env.METADATA_SERVER_DETECTION = "none";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import * as grpc from "@grpc/grpc-js";
import { SecretManagerServiceClient } from "@google-cloud/secret-manager";
import { startGcpSecretManagerEmulator, type GcpSecretManagerEmulator } from "../src/index.js";

const PROJECT = "zs-emulator-test";
// gax's own retries would hide the faults under test.
const NO_RETRY = { retry: null, timeout: 5000 };

let emulator: GcpSecretManagerEmulator;
let client: SecretManagerServiceClient;

function connect(port: number): SecretManagerServiceClient {
  return new SecretManagerServiceClient({
    apiEndpoint: "127.0.0.1",
    port,
    sslCreds: grpc.credentials.createInsecure(),
    universeDomain: "googleapis.com",
  });
}

async function failure(promise: Promise<unknown>): Promise<{ code?: number; details?: string }> {
  return promise.then(
    () => ({}),
    (error: { code?: number; details?: string }) => error,
  );
}

async function createSecret(secretId = `zs-${randomUUID()}`, labels: Record<string, string> = {}): Promise<string> {
  await client.createSecret({ parent: `projects/${PROJECT}`, secretId, secret: { replication: { automatic: {} }, labels } }, NO_RETRY);
  return `projects/${PROJECT}/secrets/${secretId}`;
}

beforeAll(async () => {
  emulator = await startGcpSecretManagerEmulator();
  client = connect(emulator.port);
});

afterAll(async () => {
  await client?.close();
  await emulator?.close();
});

beforeEach(() => emulator.reset());

describe("GCP Secret Manager emulator", () => {
  it("create, add, access latest, get, list, destroy and delete round-trip through the real SDK, counted per method", async () => {
    const name = await createSecret(undefined, { "zs-deployment": "d1" });
    await client.addSecretVersion({ parent: name, payload: { data: Buffer.from("one") } }, NO_RETRY);
    const [second] = await client.addSecretVersion({ parent: name, payload: { data: Buffer.from("two") } }, NO_RETRY);
    const [accessed] = await client.accessSecretVersion({ name: `${name}/versions/latest` }, NO_RETRY);
    expect(Buffer.from(accessed.payload?.data as Uint8Array).toString()).toBe("two");
    expect(accessed.name).toBe(second.name);
    const [secret] = await client.getSecret({ name }, NO_RETRY);
    expect(secret.labels).toEqual({ "zs-deployment": "d1" });
    await client.destroySecretVersion({ name: `${name}/versions/1` }, NO_RETRY);
    const [enabled] = await client.listSecretVersions({ parent: name, filter: "state:ENABLED" }, NO_RETRY);
    expect(enabled.map((v) => v.name)).toEqual([second.name]);
    const [all] = await client.listSecretVersions({ parent: name }, NO_RETRY);
    expect(all.map((v) => v.state)).toEqual(["ENABLED", "DESTROYED"]);
    await client.deleteSecret({ name }, NO_RETRY);
    expect((await failure(client.getSecret({ name }, NO_RETRY))).code).toBe(grpc.status.NOT_FOUND);
    expect(emulator.calls).toEqual({
      CreateSecret: 1,
      GetSecret: 2,
      ListSecrets: 0,
      DeleteSecret: 1,
      AddSecretVersion: 2,
      AccessSecretVersion: 1,
      GetSecretVersion: 0,
      ListSecretVersions: 2,
      DestroySecretVersion: 1,
    });
  });

  it("ListSecrets lists a project's secrets with their labels, in pages linked by nextPageToken", async () => {
    for (let i = 0; i < 5; i++) await createSecret(`list-${i}`, i === 0 ? { "zs-deployment": "d" } : {});
    await client.createSecret({ parent: "projects/zs-other-project", secretId: "elsewhere", secret: { replication: { automatic: {} } } }, NO_RETRY);
    const number = emulator.projectNumber(PROJECT);
    const [first, , response] = await client.listSecrets({ parent: `projects/${PROJECT}`, pageSize: 2 }, { ...NO_RETRY, autoPaginate: false });
    expect(first.map((s) => s.name)).toEqual([`projects/${number}/secrets/list-0`, `projects/${number}/secrets/list-1`]);
    expect(first[0]?.labels).toEqual({ "zs-deployment": "d" });
    expect(response?.nextPageToken).toBeTruthy();
    const all: string[] = [];
    for await (const secret of client.listSecretsAsync({ parent: `projects/${PROJECT}`, pageSize: 2 }, NO_RETRY)) all.push(secret.name?.split("/").pop() ?? "");
    expect(all).toEqual(["list-0", "list-1", "list-2", "list-3", "list-4"]);
    expect(emulator.calls.ListSecrets).toBe(4);
  });

  it("answers with the project number in resource names and accepts either the id or the number", async () => {
    const secretId = `zs-${randomUUID()}`;
    const number = emulator.projectNumber(PROJECT);
    expect(number).toMatch(/^\d+$/);
    await createSecret(secretId);
    const [version] = await client.addSecretVersion({ parent: `projects/${number}/secrets/${secretId}`, payload: { data: Buffer.from("x") } }, NO_RETRY);
    expect(version.name).toBe(`projects/${number}/secrets/${secretId}/versions/1`);
    const [secret] = await client.getSecret({ name: `projects/${PROJECT}/secrets/${secretId}` }, NO_RETRY);
    expect(secret.name).toBe(`projects/${number}/secrets/${secretId}`);
  });

  it("a second create is ALREADY_EXISTS; a missing secret, or one without versions, is NOT_FOUND", async () => {
    const secretId = `zs-${randomUUID()}`;
    const name = await createSecret(secretId);
    expect((await failure(createSecret(secretId))).code).toBe(grpc.status.ALREADY_EXISTS);
    expect((await failure(client.accessSecretVersion({ name: `${name}/versions/latest` }, NO_RETRY))).code).toBe(grpc.status.NOT_FOUND);
    const missing = `projects/${PROJECT}/secrets/zs-${randomUUID()}`;
    expect((await failure(client.accessSecretVersion({ name: `${missing}/versions/latest` }, NO_RETRY))).code).toBe(grpc.status.NOT_FOUND);
    expect((await failure(client.deleteSecret({ name: missing }, NO_RETRY))).code).toBe(grpc.status.NOT_FOUND);
  });

  it("a destroyed version is FAILED_PRECONDITION to access or destroy again", async () => {
    const name = await createSecret();
    await client.addSecretVersion({ parent: name, payload: { data: Buffer.from("x") } }, NO_RETRY);
    await client.destroySecretVersion({ name: `${name}/versions/1` }, NO_RETRY);
    expect((await failure(client.accessSecretVersion({ name: `${name}/versions/latest` }, NO_RETRY))).code).toBe(grpc.status.FAILED_PRECONDITION);
    expect((await failure(client.destroySecretVersion({ name: `${name}/versions/1` }, NO_RETRY))).code).toBe(grpc.status.FAILED_PRECONDITION);
  });

  it("versions are accessed by number; GetSecretVersion answers a version's state and createTime, a destroyed one's too; an unknown number is NOT_FOUND", async () => {
    const name = await createSecret();
    const [first] = await client.addSecretVersion({ parent: name, payload: { data: Buffer.from("one") } }, NO_RETRY);
    await client.addSecretVersion({ parent: name, payload: { data: Buffer.from("two") } }, NO_RETRY);
    const [accessed] = await client.accessSecretVersion({ name: `${name}/versions/1` }, NO_RETRY);
    expect(Buffer.from(accessed.payload?.data as Uint8Array).toString()).toBe("one");
    await client.destroySecretVersion({ name: `${name}/versions/1` }, NO_RETRY);
    const [got] = await client.getSecretVersion({ name: `${name}/versions/1` }, NO_RETRY);
    expect([got.state, got.createTime]).toEqual(["DESTROYED", first.createTime]);
    expect(Number(got.createTime?.nanos) % 1000).toBe(0);
    expect((await failure(client.getSecretVersion({ name: `${name}/versions/3` }, NO_RETRY))).code).toBe(grpc.status.NOT_FOUND);
    const [latest] = await client.getSecretVersion({ name: `${name}/versions/latest` }, NO_RETRY);
    expect(latest.name?.split("/").pop()).toBe("2");
  });

  it("refuses what the service refuses: uppercase labels, no replication, a payload over 64 KiB", async () => {
    expect((await failure(createSecret(undefined, { "zs-secret-id": "ABC" }))).code).toBe(grpc.status.INVALID_ARGUMENT);
    const noReplication = client.createSecret({ parent: `projects/${PROJECT}`, secretId: `zs-${randomUUID()}`, secret: {} }, NO_RETRY);
    expect((await failure(noReplication)).code).toBe(grpc.status.INVALID_ARGUMENT);
    const name = await createSecret();
    await client.addSecretVersion({ parent: name, payload: { data: Buffer.alloc(65536, 1) } }, NO_RETRY);
    const tooLarge = await failure(client.addSecretVersion({ parent: name, payload: { data: Buffer.alloc(65537, 1) } }, NO_RETRY));
    expect(tooLarge.code).toBe(grpc.status.INVALID_ARGUMENT);
  });

  it("injected throttling, unavailability and internal errors arrive as gRPC codes 8, 14 and 13", async () => {
    const name = `projects/${PROJECT}/secrets/zs-${randomUUID()}/versions/latest`;
    emulator.faults.throttleNext = 1;
    expect((await failure(client.accessSecretVersion({ name }, NO_RETRY))).code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    emulator.faults.unavailableNext = 1;
    expect((await failure(client.accessSecretVersion({ name }, NO_RETRY))).code).toBe(grpc.status.UNAVAILABLE);
    emulator.faults.failNext = 1;
    expect((await failure(client.accessSecretVersion({ name }, NO_RETRY))).code).toBe(grpc.status.INTERNAL);
    expect((await failure(client.accessSecretVersion({ name }, NO_RETRY))).code).toBe(grpc.status.NOT_FOUND);
    expect(emulator.calls.AccessSecretVersion).toBe(4);
  });

  it("a dropped call is carried out but its answer is lost (UNAVAILABLE); the next call reconnects", async () => {
    const name = await createSecret();
    emulator.faults.dropNext = 1;
    expect((await failure(client.addSecretVersion({ parent: name, payload: { data: Buffer.from("x") } }, NO_RETRY))).code).toBe(grpc.status.UNAVAILABLE);
    const [versions] = await client.listSecretVersions({ parent: name }, NO_RETRY);
    expect(versions).toHaveLength(1);
  });

  it("faults limited to some methods leave the others alone", async () => {
    const name = await createSecret();
    emulator.faults.methods = ["AddSecretVersion"];
    emulator.faults.failNext = 1;
    await client.getSecret({ name }, NO_RETRY);
    expect((await failure(client.addSecretVersion({ parent: name, payload: { data: Buffer.from("x") } }, NO_RETRY))).code).toBe(grpc.status.INTERNAL);
    expect(emulator.faults.failNext).toBe(0);
  });

  it("added latency delays the answer", async () => {
    emulator.faults.latencyMs = 150;
    const started = Date.now();
    await failure(client.getSecret({ name: `projects/${PROJECT}/secrets/absent` }, NO_RETRY));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("with a fixed project list, another project is PERMISSION_DENIED and methods zs never calls are UNIMPLEMENTED", async () => {
    const strict = await startGcpSecretManagerEmulator({ projects: { "zs-known": 123456789012 } });
    const strictClient = connect(strict.port);
    try {
      expect(strict.projectNumber("zs-known")).toBe("123456789012");
      const denied = await failure(strictClient.getSecret({ name: "projects/zs-unknown/secrets/zs-x" }, NO_RETRY));
      expect(denied.code).toBe(grpc.status.PERMISSION_DENIED);
      expect(denied.details).toMatch(/secretmanager\.secrets\.get.*or it may not exist/);
      const known = await failure(strictClient.getSecret({ name: "projects/123456789012/secrets/zs-x" }, NO_RETRY));
      expect(known.code).toBe(grpc.status.NOT_FOUND);
      const unimplemented = await failure(strictClient.disableSecretVersion({ name: "projects/zs-known/secrets/zs-x/versions/1" }, NO_RETRY));
      expect(unimplemented.code).toBe(grpc.status.UNIMPLEMENTED);
    } finally {
      await strictClient.close();
      await strict.close();
    }
  });
});
