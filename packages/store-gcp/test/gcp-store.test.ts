process.env.METADATA_SERVER_DETECTION = "none";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { SecretManagerServiceClient } from "@google-cloud/secret-manager";
import { StoreRegistry, isZsError, silentLogger, type SecretValuesStore } from "@zs/core";
import type { GcpSecretManagerEmulator, GcpSecretManagerOperation } from "@zs/emulators";
import gcpStore, { createGcpValuesStore, gcpStoreDefinition } from "../src/index.js";
import { PROJECT_ID, createStore, failure, inspector, recordingLogger, startEmulator } from "./support/gcp-fixture.js";

const DEPLOYMENT = "0b7e4a52-93d1-4f7c-8f0e-5c2a1d9b6e34";
const OTHER_DEPLOYMENT = "c3d9f1a0-2b4e-4d6f-a8c7-1e5b9f3d2a70";
const context = { deploymentId: DEPLOYMENT, logger: silentLogger, configDir: process.cwd() };

let emulator: GcpSecretManagerEmulator;
let sdk: SecretManagerServiceClient;
let store: SecretValuesStore;
let other: SecretValuesStore;
let tempDir: string;

/** What `operation` cost, per method. */
async function callsOf(operation: () => Promise<unknown>): Promise<Partial<Record<GcpSecretManagerOperation, number>>> {
  const before = { ...emulator.calls };
  await operation();
  return Object.fromEntries(
    Object.entries(emulator.calls)
      .map(([method, n]) => [method, n - before[method as GcpSecretManagerOperation]])
      .filter(([, n]) => n !== 0),
  );
}

/** The latest version's payload as text, as `gcloud secrets versions access latest` prints it. */
async function latestPayload(secretId: string): Promise<string> {
  const [latest] = await sdk.accessSecretVersion({ name: `projects/${PROJECT_ID}/secrets/zs-${secretId}/versions/latest` });
  return Buffer.from(latest.payload?.data as Uint8Array).toString("utf8");
}

async function labelsOf(secretId: string): Promise<Record<string, string>> {
  const [secret] = await sdk.getSecret({ name: `projects/${PROJECT_ID}/secrets/zs-${secretId}` });
  return { ...(secret.labels ?? {}) };
}

/** A secret exactly as the store wrote it before the bare values map: labelled, its version the envelope. */
async function plantLegacy(secretId: string, values: Record<string, string>, compressed = false): Promise<void> {
  const text = JSON.stringify({ "zs-deployment": DEPLOYMENT, values });
  await sdk.createSecret({
    parent: `projects/${PROJECT_ID}`,
    secretId: `zs-${secretId}`,
    secret: { replication: { automatic: {} }, labels: { "zs-deployment": DEPLOYMENT, "zs-secret-id": secretId } },
  });
  await sdk.addSecretVersion({
    parent: `projects/${PROJECT_ID}/secrets/zs-${secretId}`,
    payload: { data: compressed ? gzipSync(text) : Buffer.from(text, "utf8") },
  });
}

async function versionStates(secretId: string): Promise<string[]> {
  const [versions] = await sdk.listSecretVersions({ parent: `projects/${PROJECT_ID}/secrets/zs-${secretId}` });
  return versions.map((v) => `${v.name?.split("/").pop()}:${v.state}`);
}

beforeAll(async () => {
  emulator = await startEmulator();
  sdk = inspector(emulator);
  store = await createStore(emulator, DEPLOYMENT);
  other = await createStore(emulator, OTHER_DEPLOYMENT);
  tempDir = await mkdtemp(path.join(os.tmpdir(), "zs-gcp-store-"));
});

afterAll(async () => {
  await store?.close?.();
  await other?.close?.();
  await sdk?.close();
  await emulator?.close();
  if (tempDir) await rm(tempDir, { recursive: true, force: true });
});

beforeEach(() => emulator.reset());

describe("gcp store definition", () => {
  const registry = new StoreRegistry({ gcp: async () => gcpStore });
  const create = (options: Record<string, unknown>) => registry.create("gcp", options, context);

  it("the default export and gcpStoreDefinition are the same store definition of type gcp", () => {
    expect(gcpStore).toBe(gcpStoreDefinition);
    expect(gcpStore.type).toBe("gcp");
    expect(gcpStore.apiVersion).toBe(1);
  });

  it("an unknown option is refused naming the allowed ones", async () => {
    const error = await failure(create({ project_id: PROJECT_ID, projet: "x" }));
    expect(isZsError(error) && error.code).toBe("CONFIGURATION_ERROR");
    expect((error as Error).message).toMatch(/projet/);
    expect((error as Error).message).toMatch(/Allowed options: project_id, api_endpoint, credentials_file, emulator_host/);
  });

  it("project_id is required and must be a project id or number", () => {
    const parse = (options: Record<string, unknown>) => gcpStore.optionsSchema.safeParse(options).success;
    expect(parse({})).toBe(false);
    expect(parse({ project_id: "Acme_Prod" })).toBe(false);
    expect(parse({ project_id: "acme-prod" })).toBe(true);
    expect(parse({ project_id: "123456789012" })).toBe(true);
    expect(parse({ project_id: "example.com:acme-prod" })).toBe(true);
  });

  it("emulator_host must be host:port and cannot be combined with api_endpoint or credentials_file", () => {
    const parse = (options: Record<string, unknown>) => gcpStore.optionsSchema.safeParse({ project_id: PROJECT_ID, ...options }).success;
    expect(parse({ emulator_host: "127.0.0.1:8085" })).toBe(true);
    expect(parse({ emulator_host: "[::1]:8085" })).toBe(true);
    expect(parse({ emulator_host: "http://127.0.0.1:8085" })).toBe(false);
    expect(parse({ emulator_host: "127.0.0.1" })).toBe(false);
    expect(parse({ emulator_host: "127.0.0.1:8085", credentials_file: "key.json" })).toBe(false);
    expect(parse({ emulator_host: "127.0.0.1:8085", api_endpoint: "secretmanager.googleapis.com" })).toBe(false);
    expect(parse({ api_endpoint: "secretmanager.googleapis.com" })).toBe(true);
    expect(parse({ api_endpoint: "https://secretmanager.googleapis.com" })).toBe(false);
  });

  it("a credentials_file that cannot be read is a CONFIGURATION_ERROR at start, naming the resolved path", async () => {
    const error = await failure(registry.create("gcp", { project_id: PROJECT_ID, credentials_file: "missing-key.json" }, { ...context, configDir: tempDir }));
    expect(isZsError(error) && error.code).toBe("CONFIGURATION_ERROR");
    expect((error as Error).message).toBe(`gcp: credentials_file '${path.join(tempDir, "missing-key.json")}' cannot be read (ENOENT).`);
  });

  it("a credentials_file that is not a credentials JSON is refused without quoting its content", async () => {
    const file = path.join(tempDir, "broken-key.json");
    await writeFile(file, '{"private_key": "-----BEGIN PRIVATE KEY-----MIIEvQ');
    const error = await failure(create({ project_id: PROJECT_ID, credentials_file: file }));
    expect(isZsError(error) && error.code).toBe("CONFIGURATION_ERROR");
    expect((error as Error).message).toMatch(/is not a Google credentials JSON file/);
    expect((error as Error).message).not.toMatch(/PRIVATE KEY|MIIEvQ/);
  });
});

describe("gcp store against the emulator", () => {
  it("a secret is zs-<id> in project_id, labelled (lower-case) with the deployment and secret id, its latest payload exactly the values as JSON", async () => {
    const upperCaseDeployment = DEPLOYMENT.toUpperCase();
    const upper = await createStore(emulator, upperCaseDeployment);
    const secretId = randomUUID().toUpperCase();
    await upper.putValues(secretId, { user: "admin", password: "pa55word" });
    expect(await upper.getValues(secretId)).toEqual({ user: "admin", password: "pa55word" });
    // The labels name the owner whatever the case of its id: the upper-case deployment may write again.
    await upper.putValues(secretId, { user: "admin", password: "changed" });
    await upper.close?.();
    expect(await labelsOf(secretId)).toEqual({ "zs-deployment": DEPLOYMENT, "zs-secret-id": secretId.toLowerCase() });
    expect(await latestPayload(secretId)).toBe('{"user":"admin","password":"changed"}');
  });

  it("a secret in the legacy envelope is read in one call, and the next put rewrites it as the bare values map", async () => {
    const secretId = randomUUID();
    await plantLegacy(secretId, { user: "admin", password: "old" });
    expect(await callsOf(async () => expect(await store.getValues(secretId)).toEqual({ user: "admin", password: "old" }))).toEqual({ AccessSecretVersion: 1 });
    await store.putValues(secretId, { user: "admin", password: "new" }, { isNew: false });
    expect(await latestPayload(secretId)).toBe('{"user":"admin","password":"new"}');
    expect(await labelsOf(secretId)).toEqual({ "zs-deployment": DEPLOYMENT, "zs-secret-id": secretId });
    expect(await versionStates(secretId)).toEqual(["2:ENABLED", "1:DESTROYED"]);
    expect(await store.getValues(secretId)).toEqual({ user: "admin", password: "new" });
  });

  it("a secret in the gzipped legacy envelope is read, and rewritten as plain JSON", async () => {
    const secretId = randomUUID();
    const values = { control: "\u0001".repeat(20000), text: "x".repeat(40000) };
    await plantLegacy(secretId, values, true);
    expect(await store.getValues(secretId)).toEqual(values);
    await store.putValues(secretId, { small: "v" });
    expect(await latestPayload(secretId)).toBe('{"small":"v"}');
  });

  it("values whose keys are the legacy envelope's round-trip as they are, and are stored as they are", async () => {
    const lookalikes: Record<string, string>[] = [
      { "zs-deployment": DEPLOYMENT, values: '{"user":"admin"}' },
      { "zs-deployment": OTHER_DEPLOYMENT, values: "{}" },
      { values: '{"k":"v"}', other: "x" },
    ];
    for (const values of lookalikes) {
      const secretId = randomUUID();
      await store.putValues(secretId, values);
      expect(await store.getValues(secretId)).toEqual(values);
      expect(JSON.parse(await latestPayload(secretId))).toEqual(values);
    }
  });

  it("the service answers with the project number: updates still find the previous version, and project_id may be the number", async () => {
    const number = emulator.projectNumber(PROJECT_ID);
    const secretId = randomUUID();
    await store.putValues(secretId, { k: "v1" });
    await store.putValues(secretId, { k: "v2" });
    const [versions] = await sdk.listSecretVersions({ parent: `projects/${PROJECT_ID}/secrets/zs-${secretId}` });
    expect(versions.map((v) => v.name)).toEqual([2, 1].map((n) => `projects/${number}/secrets/zs-${secretId}/versions/${n}`));
    const byNumber = await createStore(emulator, DEPLOYMENT, { project_id: number });
    expect(await byNumber.getValues(secretId)).toEqual({ k: "v2" });
    await byNumber.putValues(secretId, { k: "v3" });
    await byNumber.close?.();
    expect(await store.getValues(secretId)).toEqual({ k: "v3" });
    expect(await versionStates(secretId)).toEqual(["3:ENABLED", "2:DESTROYED", "1:DESTROYED"]);
  });

  it("get makes one call; an unhinted put three (GetSecret, then CreateSecret + AddSecretVersion, or AddSecretVersion + DestroySecretVersion); delete two", async () => {
    const secretId = randomUUID();
    expect(await callsOf(() => store.putValues(secretId, { k: "v1" }))).toEqual({ GetSecret: 1, CreateSecret: 1, AddSecretVersion: 1 });
    expect(await callsOf(() => store.putValues(secretId, { k: "v2" }))).toEqual({ GetSecret: 1, AddSecretVersion: 1, DestroySecretVersion: 1 });
    expect(await callsOf(() => store.getValues(secretId))).toEqual({ AccessSecretVersion: 1 });
    expect(await callsOf(() => store.getValues(randomUUID()))).toEqual({ AccessSecretVersion: 1 });
    expect(await callsOf(() => store.deleteValues(secretId))).toEqual({ GetSecret: 1, DeleteSecret: 1 });
    expect(await callsOf(() => store.deleteValues(secretId))).toEqual({ GetSecret: 1 });
  });

  it("a put hinted new makes two calls (CreateSecret, AddSecretVersion); one hinted existing checks the labels first, as an unhinted one", async () => {
    const secretId = randomUUID();
    const update = { GetSecret: 1, AddSecretVersion: 1, DestroySecretVersion: 1 };
    expect(await callsOf(() => store.putValues(secretId, { k: "v1" }, { isNew: true }))).toEqual({ CreateSecret: 1, AddSecretVersion: 1 });
    expect(await callsOf(() => store.putValues(secretId, { k: "v2" }, { isNew: false }))).toEqual(update);
    expect(await callsOf(() => store.putValues(secretId, { k: "v3" }, { isNew: false }))).toEqual(update);
    expect(await store.getValues(secretId)).toEqual({ k: "v3" });
    expect(await versionStates(secretId)).toEqual(["3:ENABLED", "2:DESTROYED", "1:DESTROYED"]);
    const [secret] = await sdk.getSecret({ name: `projects/${PROJECT_ID}/secrets/zs-${secretId}` });
    expect(secret.labels).toEqual({ "zs-deployment": DEPLOYMENT, "zs-secret-id": secretId });
  });

  it("a put hinted new on an id this deployment already holds falls back to the checked put: overwritten, one version left enabled", async () => {
    const secretId = randomUUID();
    await store.putValues(secretId, { k: "old" });
    expect(await callsOf(() => store.putValues(secretId, { k: "new" }, { isNew: true }))).toEqual({
      CreateSecret: 1,
      GetSecret: 1,
      AddSecretVersion: 1,
      DestroySecretVersion: 1,
    });
    expect(await store.getValues(secretId)).toEqual({ k: "new" });
    expect(await versionStates(secretId)).toEqual(["2:ENABLED", "1:DESTROYED"]);
  });

  it("a put hinted new on another deployment's secret is refused as an unhinted one is, and leaves that secret as it was", async () => {
    const secretId = randomUUID();
    await other.putValues(secretId, { owner: "other" });
    const error = await failure(store.putValues(secretId, { owner: "me" }, { isNew: true }));
    expect(isZsError(error) && error.code).toBe("CONFIGURATION_ERROR");
    expect((error as Error).message).toMatch(/belongs to zs deployment c3d9f1a0-.*refusing to overwrite/);
    expect(emulator.calls.AddSecretVersion).toBe(1);
    expect(await other.getValues(secretId)).toEqual({ owner: "other" });
    expect(await versionStates(secretId)).toEqual(["1:ENABLED"]);
  });

  it("a put hinted existing on an id never written creates the secret with this deployment's labels", async () => {
    const secretId = randomUUID();
    expect(await callsOf(() => store.putValues(secretId, { k: "v" }, { isNew: false }))).toEqual({ GetSecret: 1, CreateSecret: 1, AddSecretVersion: 1 });
    expect(await store.getValues(secretId)).toEqual({ k: "v" });
    const [secret] = await sdk.getSecret({ name: `projects/${PROJECT_ID}/secrets/zs-${secretId}` });
    expect(secret.labels).toEqual({ "zs-deployment": DEPLOYMENT, "zs-secret-id": secretId });
    expect(await versionStates(secretId)).toEqual(["1:ENABLED"]);
  });

  it("a put hinted existing on a secret deleted since it was read re-creates it, and the value is readable", async () => {
    const secretId = randomUUID();
    await store.putValues(secretId, { k: "v1" }, { isNew: true });
    expect(await store.deleteValues(secretId)).toBe(true);
    await store.putValues(secretId, { k: "v2" }, { isNew: false });
    expect(await store.getValues(secretId)).toEqual({ k: "v2" });
    expect(await versionStates(secretId)).toEqual(["1:ENABLED"]);
  });

  it("whatever the hints, right or wrong, every put reads back and a secret keeps one enabled version", async () => {
    const secretId = randomUUID();
    const hints = [{ isNew: false }, { isNew: true }, undefined, { isNew: true }, { isNew: false }, { isNew: false }, undefined];
    for (const [n, hint] of hints.entries()) {
      await store.putValues(secretId, { n: String(n) }, hint);
      expect(await store.getValues(secretId)).toEqual({ n: String(n) });
    }
    const states = await versionStates(secretId);
    expect(states).toHaveLength(hints.length);
    expect(states.filter((state) => state.endsWith(":ENABLED"))).toEqual([`${hints.length}:ENABLED`]);
  });

  it("a lost CreateSecret answer on a put hinted new is retried; meeting ALREADY_EXISTS, the checked put finds it ours and carries on", async () => {
    const secretId = randomUUID();
    emulator.faults.methods = ["CreateSecret"];
    emulator.faults.dropNext = 1;
    expect(await callsOf(() => store.putValues(secretId, { k: "v" }, { isNew: true }))).toEqual({ CreateSecret: 2, GetSecret: 1, AddSecretVersion: 1 });
    expect(await store.getValues(secretId)).toEqual({ k: "v" });
    expect(await versionStates(secretId)).toEqual(["1:ENABLED"]);
  });

  it("a lost AddSecretVersion answer on a put hinted existing is retried and still leaves a single enabled version", async () => {
    const secretId = randomUUID();
    await store.putValues(secretId, { k: "v1" }, { isNew: true });
    emulator.faults.methods = ["AddSecretVersion"];
    emulator.faults.dropNext = 1;
    expect(await callsOf(() => store.putValues(secretId, { k: "v2" }, { isNew: false }))).toEqual({
      GetSecret: 1,
      AddSecretVersion: 2,
      ListSecretVersions: 1,
      DestroySecretVersion: 2,
    });
    expect(await versionStates(secretId)).toEqual(["3:ENABLED", "2:DESTROYED", "1:DESTROYED"]);
    expect(await store.getValues(secretId)).toEqual({ k: "v2" });
  });

  it("throttled calls (RESOURCE_EXHAUSTED) are retried by the store alone, and the operation succeeds", async () => {
    const secretId = randomUUID();
    emulator.faults.throttleNext = 2;
    await store.putValues(secretId, { k: "v" });
    expect(emulator.calls.GetSecret).toBe(3);
    emulator.faults.throttleNext = 1;
    const started = Date.now();
    expect(await store.getValues(secretId)).toEqual({ k: "v" });
    expect(emulator.calls.AccessSecretVersion).toBe(2);
    // gax's own policy would have waited 2 s before retrying AccessSecretVersion.
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("each retry is logged at debug level with the operation, resource name, attempt and gRPC code, never the value", async () => {
    const value = `s3cr3t-${randomUUID()}`;
    const logger = recordingLogger();
    const logging = await createStore(emulator, DEPLOYMENT, {}, logger);
    const secretId = randomUUID();
    emulator.faults.throttleNext = 2;
    await logging.putValues(secretId, { password: value });
    await logging.close?.();
    expect(logger.entries.map((e) => [e.level, e.message, e.object.store, e.object.operation, e.object.objectName, e.object.attempt, e.object.error])).toEqual([
      ["debug", "retrying a backend call", "gcp", "GetSecret", `projects/${PROJECT_ID}/secrets/zs-${secretId}`, 1, "RESOURCE_EXHAUSTED"],
      ["debug", "retrying a backend call", "gcp", "GetSecret", `projects/${PROJECT_ID}/secrets/zs-${secretId}`, 2, "RESOURCE_EXHAUSTED"],
    ]);
    expect(JSON.stringify(logger.entries)).not.toContain(value);
  });

  it("a dropped connection, UNAVAILABLE and INTERNAL are each retried", async () => {
    const secretId = randomUUID();
    await store.putValues(secretId, { k: "v" });
    emulator.faults.dropNext = 1;
    emulator.faults.unavailableNext = 1;
    emulator.faults.failNext = 1;
    expect(await store.getValues(secretId)).toEqual({ k: "v" });
    expect(emulator.calls.AccessSecretVersion).toBe(4);
  });

  it("persistent INTERNAL ends in BACKEND_UNAVAILABLE after exactly 4 attempts, with no retries of gax's own", async () => {
    emulator.faults.failNext = 100;
    const started = Date.now();
    const error = await failure(store.getValues(randomUUID()));
    expect(isZsError(error) && error.code).toBe("BACKEND_UNAVAILABLE");
    expect((error as Error).message).toMatch(/^gcp: AccessSecretVersion of 'projects\/zs-store-test\/secrets\/zs-.*' failed after 4 attempts: INTERNAL: /);
    expect(emulator.calls.AccessSecretVersion).toBe(4);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("persistent throttling ends in BACKEND_UNAVAILABLE after exactly 4 attempts", async () => {
    emulator.faults.throttleNext = 100;
    const error = await failure(store.getValues(randomUUID()));
    expect(isZsError(error) && error.code).toBe("BACKEND_UNAVAILABLE");
    expect((error as Error).message).toMatch(/RESOURCE_EXHAUSTED/);
    expect(emulator.calls.AccessSecretVersion).toBe(4);
  });

  it("latency within the deadline is only slower; past the deadline each attempt is DEADLINE_EXCEEDED, then BACKEND_UNAVAILABLE", async () => {
    const secretId = randomUUID();
    await store.putValues(secretId, { k: "v" });
    emulator.faults.latencyMs = 200;
    expect(await store.getValues(secretId)).toEqual({ k: "v" });
    const impatient = await createGcpValuesStore({ project_id: PROJECT_ID, emulator_host: emulator.host }, context, {
      requestTimeoutMs: 50,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    });
    const error = await failure(impatient.getValues(secretId));
    await impatient.close();
    expect(isZsError(error) && error.code).toBe("BACKEND_UNAVAILABLE");
    expect((error as Error).message).toMatch(/after 2 attempts: DEADLINE_EXCEEDED/);
  });

  it("a lost AddSecretVersion answer is retried and still leaves a single enabled version", async () => {
    const secretId = randomUUID();
    emulator.faults.methods = ["AddSecretVersion"];
    emulator.faults.dropNext = 1;
    await store.putValues(secretId, { k: "v1" });
    expect(await versionStates(secretId)).toEqual(["2:ENABLED", "1:DESTROYED"]);
    emulator.faults.dropNext = 1;
    expect(await callsOf(() => store.putValues(secretId, { k: "v2" }))).toEqual({ GetSecret: 1, AddSecretVersion: 2, ListSecretVersions: 1, DestroySecretVersion: 2 });
    expect(await versionStates(secretId)).toEqual(["4:ENABLED", "3:DESTROYED", "2:DESTROYED", "1:DESTROYED"]);
    expect(await store.getValues(secretId)).toEqual({ k: "v2" });
  });

  it("a lost CreateSecret answer is retried; finding the secret then taken by this deployment, the put carries on", async () => {
    const secretId = randomUUID();
    emulator.faults.methods = ["CreateSecret"];
    emulator.faults.dropNext = 1;
    expect(await callsOf(() => store.putValues(secretId, { k: "v" }))).toEqual({ GetSecret: 2, CreateSecret: 2, AddSecretVersion: 1 });
    expect(await store.getValues(secretId)).toEqual({ k: "v" });
  });

  it("a lost DeleteSecret answer is retried and the delete still reports true", async () => {
    const secretId = randomUUID();
    await store.putValues(secretId, { k: "v" });
    emulator.faults.methods = ["DeleteSecret"];
    emulator.faults.dropNext = 1;
    expect(await store.deleteValues(secretId)).toBe(true);
    expect(emulator.calls.DeleteSecret).toBe(2);
    expect(await store.getValues(secretId)).toBeUndefined();
  });

  it("when destroying the previous version keeps failing, the update stands and a warning names the version, not the value", async () => {
    const logger = recordingLogger();
    const logged = await createStore(emulator, DEPLOYMENT, {}, logger);
    const secretId = randomUUID();
    await logged.putValues(secretId, { password: "first-value" });
    emulator.faults.methods = ["DestroySecretVersion"];
    emulator.faults.failNext = 100;
    await logged.putValues(secretId, { password: "second-value" });
    emulator.faults.failNext = 0;
    expect(await logged.getValues(secretId)).toEqual({ password: "second-value" });
    expect(await versionStates(secretId)).toEqual(["2:ENABLED", "1:ENABLED"]);
    const warning = logger.entries.find((e) => e.level === "warn");
    expect(warning?.message).toBe("superseded secret version left enabled");
    expect(warning?.object.resource).toBe(`projects/${PROJECT_ID}/secrets/zs-${secretId}/versions/1`);
    expect(JSON.stringify(logger.entries)).not.toMatch(/first-value|second-value/);
    await logged.close?.();
  });

  it("another deployment's secret: a get reads it in one call without looking at the labels; a put, hinted or not, or a delete is refused and changes nothing", async () => {
    const secretId = randomUUID();
    await other.putValues(secretId, { owner: "other" });
    expect(await callsOf(async () => expect(await store.getValues(secretId)).toEqual({ owner: "other" }))).toEqual({ AccessSecretVersion: 1 });
    for (const [attempt, action] of [
      [() => store.putValues(secretId, { owner: "me" }), "overwrite"],
      [() => store.putValues(secretId, { owner: "me" }, { isNew: false }), "overwrite"],
      [() => store.deleteValues(secretId), "delete"],
    ] as const) {
      const error = await failure(attempt());
      expect(isZsError(error) && error.code).toBe("CONFIGURATION_ERROR");
      expect((error as Error).message).toMatch(new RegExp(`belongs to zs deployment c3d9f1a0-.*refusing to ${action} it`));
    }
    expect(emulator.calls).toMatchObject({ AddSecretVersion: 1, DestroySecretVersion: 0, DeleteSecret: 0 });
    expect(await latestPayload(secretId)).toBe('{"owner":"other"}');
    expect(await labelsOf(secretId)).toEqual({ "zs-deployment": OTHER_DEPLOYMENT, "zs-secret-id": secretId });
    expect(await versionStates(secretId)).toEqual(["1:ENABLED"]);
  });

  it("a zs-<id> secret zs did not write reads as absent when its payload is not a values map, and is never overwritten or deleted", async () => {
    const secretId = randomUUID();
    const name = `projects/${PROJECT_ID}/secrets/zs-${secretId}`;
    await sdk.createSecret({ parent: `projects/${PROJECT_ID}`, secretId: `zs-${secretId}`, secret: { replication: { automatic: {} } } });
    await sdk.addSecretVersion({ parent: name, payload: { data: Buffer.from("not json") } });
    expect(await store.getValues(secretId)).toBeUndefined();
    for (const attempt of [() => store.putValues(secretId, { k: "v" }), () => store.deleteValues(secretId)]) {
      expect(((await failure(attempt())) as Error).message).toMatch(/belongs to something other than zs/);
    }
    expect(await latestPayload(secretId)).toBe("not json");
  });

  it("a secret whose latest version was destroyed behind zs's back reads as absent", async () => {
    const secretId = randomUUID();
    await store.putValues(secretId, { k: "v" });
    await sdk.destroySecretVersion({ name: `projects/${PROJECT_ID}/secrets/zs-${secretId}/versions/1` });
    expect(await store.getValues(secretId)).toBeUndefined();
    await store.putValues(secretId, { k: "again" });
    expect(await store.getValues(secretId)).toEqual({ k: "again" });
  });


  it("values whose JSON outgrows 64 KiB through escaping are stored compressed and round-trip", async () => {
    const secretId = randomUUID();
    const values = { control: "\u0001".repeat(20000), text: "x".repeat(40000) };
    await store.putValues(secretId, values);
    expect(await store.getValues(secretId)).toEqual(values);
  });

  it("a values map over 64 KiB is refused with SECRET_TOO_LARGE before any call", async () => {
    const error = await failure(store.putValues(randomUUID(), { big: "x".repeat(65536) }));
    expect(isZsError(error) && error.code).toBe("SECRET_TOO_LARGE");
    expect(Object.values(emulator.calls).every((n) => n === 0)).toBe(true);
  });

  it("a project the credentials cannot see is a CONFIGURATION_ERROR naming project_id, not retried", async () => {
    const strict = await startEmulator({ projects: { "zs-known": 123456789012 } });
    const stranger = await createStore(strict, DEPLOYMENT, { project_id: "zs-unknown" });
    const error = await failure(stranger.getValues(randomUUID()));
    await stranger.close?.();
    await strict.close();
    expect(isZsError(error) && error.code).toBe("CONFIGURATION_ERROR");
    expect((error as Error).message).toMatch(/^gcp: permission denied for AccessSecretVersion .*Check project_id/);
    expect(strict.calls.AccessSecretVersion).toBe(1);
  });

  it("check passes on a healthy emulator and reports an unreachable one as BACKEND_UNAVAILABLE", async () => {
    await store.check?.();
    const closed = await startEmulator();
    await closed.close();
    const unreachable = await createStore(closed, DEPLOYMENT);
    const error = await failure(unreachable.check!());
    await unreachable.close?.();
    expect(isZsError(error) && error.code).toBe("BACKEND_UNAVAILABLE");
    expect((error as Error).message).toMatch(/^gcp: GetSecret .* UNAVAILABLE/);
  });

  it("error messages and logs never carry a secret value", async () => {
    const secretValue = "s3cr3t-value-that-must-not-leak";
    const logger = recordingLogger();
    const logged = await createStore(emulator, DEPLOYMENT, {}, logger);
    const secretId = randomUUID();
    await other.putValues(secretId, { password: secretValue });
    const messages: string[] = [];
    for (const attempt of [
      () => logged.putValues(secretId, { password: secretValue }),
      () => logged.deleteValues(secretId),
      () => {
        emulator.faults.failNext = 100;
        return logged.putValues(randomUUID(), { password: secretValue });
      },
      () => logged.putValues(randomUUID(), { password: secretValue.repeat(3000) }),
    ]) {
      const error = await failure(attempt());
      messages.push(String(error), JSON.stringify((error as { details?: unknown }).details ?? {}));
    }
    emulator.faults.failNext = 0;
    await logged.close?.();
    expect(messages).toHaveLength(8);
    expect(messages.join("\n") + JSON.stringify(logger.entries)).not.toContain(secretValue);
  });
});

describe("gcp store versions (secret versions, destroyed beyond the retention)", () => {
  /** The backendVersion a put answered. */
  const backendVersionOf = (result: unknown) => (result as { backendVersion: string }).backendVersion;

  it("versioned puts keep the `keep` newest earlier versions enabled and destroy older ones; each reads back by its backendVersion, gcp:<number>:<createTime>", async () => {
    const secretId = randomUUID();
    const written: string[] = [];
    for (let version = 1; version <= 4; version++) {
      written.push(backendVersionOf(await store.putValues(secretId, { n: String(version) }, version === 1 ? { isNew: true } : undefined, { version, keep: 2 })));
    }
    expect(written.map((v) => v.replace(/:\d+\.\d{9}$/, ""))).toEqual(["gcp:1", "gcp:2", "gcp:3", "gcp:4"]);
    expect(await versionStates(secretId)).toEqual(["4:ENABLED", "3:ENABLED", "2:ENABLED", "1:DESTROYED"]);
    expect(await Promise.all(written.map((backendVersion) => store.getValues(secretId, { backendVersion })))).toEqual([undefined, { n: "2" }, { n: "3" }, { n: "4" }]);
    expect(await latestPayload(secretId)).toBe('{"n":"4"}');
  });

  it("calls: a versioned put within the retention lists nothing (GetSecret, AddSecretVersion); past it, ListSecretVersions and one DestroySecretVersion; a version read GetSecretVersion + AccessSecretVersion", async () => {
    const secretId = randomUUID();
    expect(await callsOf(() => store.putValues(secretId, { n: "1" }, { isNew: true }, { version: 1, keep: 1 }))).toEqual({ CreateSecret: 1, AddSecretVersion: 1 });
    expect(await callsOf(() => store.putValues(secretId, { n: "2" }, undefined, { version: 2, keep: 1 }))).toEqual({ GetSecret: 1, AddSecretVersion: 1 });
    let third: unknown;
    expect(
      await callsOf(async () => {
        third = await store.putValues(secretId, { n: "3" }, undefined, { version: 3, keep: 1 });
      }),
    ).toEqual({ GetSecret: 1, AddSecretVersion: 1, ListSecretVersions: 1, DestroySecretVersion: 1 });
    expect(await callsOf(() => store.getValues(secretId, { backendVersion: backendVersionOf(third) }))).toEqual({ GetSecretVersion: 1, AccessSecretVersion: 1 });
  });

  it("a lower retention than before destroys every enabled version beyond it in the next write", async () => {
    const secretId = randomUUID();
    for (let version = 1; version <= 4; version++) await store.putValues(secretId, { n: String(version) }, undefined, { version, keep: 10 });
    await store.putValues(secretId, { n: "5" }, undefined, { version: 5, keep: 1 });
    expect(await versionStates(secretId)).toEqual(["5:ENABLED", "4:ENABLED", "3:DESTROYED", "2:DESTROYED", "1:DESTROYED"]);
  });

  it("a put without VersionedWrite (a copy) adds a version and destroys the one before it, as before", async () => {
    const secretId = randomUUID();
    for (let version = 1; version <= 2; version++) await store.putValues(secretId, { n: String(version) }, undefined, { version, keep: 10 });
    await store.putValues(secretId, { n: "copy" });
    expect(await versionStates(secretId)).toEqual(["3:ENABLED", "2:DESTROYED", "1:ENABLED"]);
  });

  it("a backendVersion of a secret since deleted and created again under the id, or another store's, reads as absent", async () => {
    const secretId = randomUUID();
    const first = backendVersionOf(await store.putValues(secretId, { n: "old" }, undefined, { version: 1, keep: 10 }));
    await store.deleteValues(secretId);
    const again = backendVersionOf(await store.putValues(secretId, { n: "new" }, undefined, { version: 1, keep: 10 }));
    expect(first.split(":")[1]).toBe(again.split(":")[1]);
    expect(await store.getValues(secretId, { backendVersion: first })).toBeUndefined();
    expect(await store.getValues(secretId, { backendVersion: again })).toEqual({ n: "new" });
    expect(await callsOf(async () => expect(await store.getValues(secretId, { backendVersion: "1" })).toBeUndefined())).toEqual({});
    expect(await store.getValues(randomUUID(), { backendVersion: again })).toBeUndefined();
  });
});
