process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, ListSecretVersionIdsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { StoreRegistry, isZsError, silentLogger, type SecretValuesStore } from "@zs/core";
import type { AwsSecretsManagerEmulator } from "@zs/emulators";
import awsStore, { AWS_MAX_KEPT_VERSIONS, awsStore as namedAwsStore } from "../src/index.js";
import { ACCESS_KEY_ID, createStore, startEmulator } from "./support/aws-fixture.js";

const DEPLOYMENT = "0b7e4a52-93d1-4f7c-8f0e-5c2a1d9b6e34";
const OTHER_DEPLOYMENT = "c3d9f1a0-2b4e-4d6f-a8c7-1e5b9f3d2a70";

let emulator: AwsSecretsManagerEmulator;
let store: SecretValuesStore;
let other: SecretValuesStore;
/** The real SDK, to look at and plant secrets as any other caller would. */
let sdk: SecretsManagerClient;

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

/** What `operation` cost, per operation. */
async function callsOf(operation: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = { ...emulator.calls };
  await operation();
  return Object.fromEntries(Object.entries(emulator.calls).map(([op, n]) => [op, n - before[op as keyof typeof before]]));
}
const none = { CreateSecret: 0, PutSecretValue: 0, GetSecretValue: 0, DescribeSecret: 0, DeleteSecret: 0, ListSecrets: 0, UpdateSecretVersionStage: 0, ListSecretVersionIds: 0 };

beforeAll(async () => {
  emulator = await startEmulator();
  store = await createStore(emulator, DEPLOYMENT);
  other = await createStore(emulator, OTHER_DEPLOYMENT);
  sdk = new SecretsManagerClient({ endpoint: emulator.endpoint, region: "eu-west-1", credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: "x" } });
});

afterAll(async () => {
  await store?.close?.();
  await other?.close?.();
  sdk?.destroy();
  await emulator?.close();
});

/** What GetSecretValue answers for `name`, as `aws secretsmanager get-secret-value` shows it. */
async function rawValue(name: string): Promise<{ SecretString?: string | undefined; SecretBinary?: Uint8Array | undefined }> {
  const { SecretString, SecretBinary } = await sdk.send(new GetSecretValueCommand({ SecretId: name }));
  return { SecretString, SecretBinary };
}

async function rawTags(name: string): Promise<Record<string, string>> {
  const { Tags = [] } = await sdk.send(new DescribeSecretCommand({ SecretId: name }));
  return Object.fromEntries(Tags.map((tag) => [tag.Key ?? "", tag.Value ?? ""]));
}

/** A secret exactly as the store wrote it before the bare values map: the envelope, tagged. */
async function plantLegacy(secretId: string, values: Record<string, string>, compressed = false): Promise<void> {
  const text = JSON.stringify({ "zs-deployment": DEPLOYMENT, values });
  await sdk.send(
    new CreateSecretCommand({
      Name: `zs/${secretId}`,
      ...(compressed ? { SecretBinary: gzipSync(text) } : { SecretString: text }),
      Tags: [
        { Key: "zs-deployment", Value: DEPLOYMENT },
        { Key: "zs-secret-id", Value: secretId },
      ],
    }),
  );
}

beforeEach(() => emulator.reset());

describe("aws store definition", () => {
  it("the default export and the named export are the same store definition of type aws", () => {
    expect(awsStore).toBe(namedAwsStore);
    expect(awsStore.type).toBe("aws");
    expect(awsStore.apiVersion).toBe(1);
  });

  it("prefix defaults to zs/, writes to 40 a second", () => {
    expect(awsStore.optionsSchema.parse({})).toEqual({ prefix: "zs/", max_writes_per_second: 40 });
  });

  it("an unknown option is refused naming the allowed ones", async () => {
    const registry = new StoreRegistry({ aws: async () => awsStore });
    const error = await failure(registry.create("aws", { regoin: "eu-west-1" }, { deploymentId: DEPLOYMENT, logger: silentLogger, configDir: "." }));
    expect(isZsError(error) && error.code).toBe("CONFIGURATION_ERROR");
    expect((error as Error).message).toMatch(/regoin/);
    expect((error as Error).message).toMatch(/Allowed options: region, endpoint, prefix, access_key_id, secret_access_key/);
  });

  it("access_key_id without secret_access_key is refused", () => {
    expect(awsStore.optionsSchema.safeParse({ access_key_id: "AKIA" }).success).toBe(false);
  });
});

describe("aws store against the emulator", () => {
  it("a secret is named <prefix><id>, tagged with the deployment and the secret id, and its SecretString is exactly the values as JSON", async () => {
    const prefixed = await createStore(emulator, DEPLOYMENT, { prefix: "team-a/zs/" });
    const secretId = randomUUID();
    await prefixed.putValues(secretId, { user: "admin", password: "pa55word" });
    await prefixed.close?.();
    expect(await rawValue(`team-a/zs/${secretId}`)).toEqual({ SecretString: '{"user":"admin","password":"pa55word"}', SecretBinary: undefined });
    expect(await rawTags(`team-a/zs/${secretId}`)).toEqual({ "zs-deployment": DEPLOYMENT, "zs-secret-id": secretId });
  });

  it("an update keeps the SecretString the bare values map and the tags as they were", async () => {
    const secretId = randomUUID();
    await store.putValues(secretId, { user: "admin" }, { isNew: true });
    await store.putValues(secretId, { user: "root" }, { isNew: false });
    expect(await rawValue(`zs/${secretId}`)).toMatchObject({ SecretString: '{"user":"root"}' });
    expect(await rawTags(`zs/${secretId}`)).toEqual({ "zs-deployment": DEPLOYMENT, "zs-secret-id": secretId });
  });

  it("a secret in the legacy envelope is read in one call, and the next put rewrites it as the bare values map", async () => {
    const secretId = randomUUID();
    await plantLegacy(secretId, { user: "admin", password: "old" });
    expect(await callsOf(async () => expect(await store.getValues(secretId)).toEqual({ user: "admin", password: "old" }))).toEqual({ ...none, GetSecretValue: 1 });
    await store.putValues(secretId, { user: "admin", password: "new" });
    expect(await rawValue(`zs/${secretId}`)).toEqual({ SecretString: '{"user":"admin","password":"new"}', SecretBinary: undefined });
    expect(await rawTags(`zs/${secretId}`)).toEqual({ "zs-deployment": DEPLOYMENT, "zs-secret-id": secretId });
    expect(await store.getValues(secretId)).toEqual({ user: "admin", password: "new" });
  });

  it("a secret in the gzipped legacy envelope (SecretBinary) is read, and rewritten as a plain SecretString", async () => {
    const secretId = randomUUID();
    const values = { control: "\u0001".repeat(20000), text: "x".repeat(40000) };
    await plantLegacy(secretId, values, true);
    expect(await store.getValues(secretId)).toEqual(values);
    await store.putValues(secretId, { small: "v" });
    expect(await rawValue(`zs/${secretId}`)).toEqual({ SecretString: '{"small":"v"}', SecretBinary: undefined });
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
      expect(JSON.parse((await rawValue(`zs/${secretId}`)).SecretString ?? "")).toEqual(values);
    }
  });

  it("get makes one call, put two (DescribeSecret then CreateSecret or PutSecretValue), delete two", async () => {
    const secretId = randomUUID();
    expect(await callsOf(() => store.putValues(secretId, { k: "v1" }))).toEqual({ ...none, DescribeSecret: 1, CreateSecret: 1 });
    expect(await callsOf(() => store.putValues(secretId, { k: "v2" }))).toEqual({ ...none, DescribeSecret: 1, PutSecretValue: 1 });
    expect(await callsOf(() => store.getValues(secretId))).toEqual({ ...none, GetSecretValue: 1 });
    expect(await callsOf(() => store.getValues(randomUUID()))).toEqual({ ...none, GetSecretValue: 1 });
    expect(await callsOf(() => store.deleteValues(secretId))).toEqual({ ...none, DescribeSecret: 1, DeleteSecret: 1 });
    expect(await callsOf(() => store.deleteValues(secretId))).toEqual({ ...none, DescribeSecret: 1 });
  });

  it("a put hinted new makes one call (CreateSecret); one hinted existing the same two as an unhinted put", async () => {
    const secretId = randomUUID();
    expect(await callsOf(() => store.putValues(secretId, { k: "v1" }, { isNew: true }))).toEqual({ ...none, CreateSecret: 1 });
    expect(await callsOf(() => store.putValues(secretId, { k: "v2" }, { isNew: false }))).toEqual({ ...none, DescribeSecret: 1, PutSecretValue: 1 });
    expect(await store.getValues(secretId)).toEqual({ k: "v2" });
  });

  it("a put hinted new on an id this deployment already holds meets ResourceExistsException and overwrites it through the checked put", async () => {
    const secretId = randomUUID();
    await store.putValues(secretId, { k: "old" });
    expect(await callsOf(() => store.putValues(secretId, { k: "new" }, { isNew: true }))).toEqual({ ...none, CreateSecret: 1, DescribeSecret: 1, PutSecretValue: 1 });
    expect(await store.getValues(secretId)).toEqual({ k: "new" });
  });

  it("a put hinted new on another deployment's secret is refused as an unhinted one is, and leaves that secret as it was", async () => {
    const secretId = randomUUID();
    await other.putValues(secretId, { owner: "other" });
    const error = await failure(store.putValues(secretId, { owner: "me" }, { isNew: true }));
    expect(isZsError(error) && error.code).toBe("CONFIGURATION_ERROR");
    expect((error as Error).message).toMatch(/belongs to zs deployment c3d9f1a0-.*refusing to overwrite/);
    expect(await other.getValues(secretId)).toEqual({ owner: "other" });
  });

  it("throttled calls are retried and the operation succeeds", async () => {
    const secretId = randomUUID();
    emulator.faults.throttleNext = 2;
    await store.putValues(secretId, { k: "v" });
    expect(emulator.calls.DescribeSecret).toBe(3);
    emulator.faults.throttleNext = 1;
    expect(await store.getValues(secretId)).toEqual({ k: "v" });
    expect(emulator.calls.GetSecretValue).toBe(2);
  });

  it("a dropped connection and a single 5xx are retried", async () => {
    const secretId = randomUUID();
    await store.putValues(secretId, { k: "v" });
    emulator.faults.dropNext = 1;
    emulator.faults.failNext = 1;
    expect(await store.getValues(secretId)).toEqual({ k: "v" });
    expect(emulator.calls.GetSecretValue).toBe(3);
  });

  it("each retry is logged at debug level with the operation, secret name, attempt and error name, never the value", async () => {
    const value = `s3cr3t-${randomUUID()}`;
    const logged: { level: string; object: Record<string, unknown> }[] = [];
    const entry = (level: string) => (object: Record<string, unknown>) => void logged.push({ level, object });
    const logging = await createStore(emulator, DEPLOYMENT, {}, { debug: entry("debug"), info: entry("info"), warn: entry("warn"), error: entry("error") });
    const secretId = randomUUID();
    emulator.faults.throttleNext = 2;
    await logging.putValues(secretId, { password: value });
    await logging.close?.();
    expect(logged.map((l) => [l.level, l.object.store, l.object.operation, l.object.objectName, l.object.attempt, l.object.error])).toEqual([
      ["debug", "aws", "DescribeSecret", `zs/${secretId}`, 1, "ThrottlingException"],
      ["debug", "aws", "DescribeSecret", `zs/${secretId}`, 2, "ThrottlingException"],
    ]);
    expect(JSON.stringify(logged)).not.toContain(value);
  });

  it("persistent 5xx ends in BACKEND_UNAVAILABLE after a bounded number of attempts", async () => {
    emulator.faults.failNext = 100;
    const error = await failure(store.getValues(randomUUID()));
    expect(isZsError(error) && error.code).toBe("BACKEND_UNAVAILABLE");
    expect((error as Error).message).toMatch(/^aws: GetSecretValue .* after 4 attempts: InternalServiceError/);
    expect(emulator.calls.GetSecretValue).toBe(4);
  });

  it("persistent throttling ends in BACKEND_UNAVAILABLE", async () => {
    emulator.faults.throttleNext = 100;
    const error = await failure(store.putValues(randomUUID(), { k: "v" }));
    expect(isZsError(error) && error.code).toBe("BACKEND_UNAVAILABLE");
    expect((error as Error).message).toMatch(/ThrottlingException/);
  });

  it("another deployment's secret: a get reads it in one call without looking at the tags; a put or delete is refused and changes nothing", async () => {
    const secretId = randomUUID();
    await other.putValues(secretId, { owner: "other" });
    const before = await rawValue(`zs/${secretId}`);
    expect(await callsOf(async () => expect(await store.getValues(secretId)).toEqual({ owner: "other" }))).toEqual({ ...none, GetSecretValue: 1 });
    const putError = await failure(store.putValues(secretId, { owner: "me" }));
    expect(isZsError(putError) && putError.code).toBe("CONFIGURATION_ERROR");
    expect((putError as Error).message).toMatch(/belongs to zs deployment c3d9f1a0-.*refusing to overwrite it/);
    const deleteError = await failure(store.deleteValues(secretId));
    expect(isZsError(deleteError) && deleteError.code).toBe("CONFIGURATION_ERROR");
    expect((deleteError as Error).message).toMatch(/belongs to zs deployment c3d9f1a0-.*refusing to delete it/);
    expect(emulator.calls).toMatchObject({ PutSecretValue: 0, DeleteSecret: 0 });
    expect(await rawValue(`zs/${secretId}`)).toEqual(before);
    expect(await rawTags(`zs/${secretId}`)).toEqual({ "zs-deployment": OTHER_DEPLOYMENT, "zs-secret-id": secretId });
  });

  it("a secret under the prefix without zs's tags is neither overwritten nor deleted", async () => {
    const secretId = randomUUID();
    await sdk.send(new CreateSecretCommand({ Name: `zs/${secretId}`, SecretString: '{"owner":"someone else"}' }));
    for (const attempt of [() => store.putValues(secretId, { owner: "me" }), () => store.deleteValues(secretId)]) {
      const error = await failure(attempt());
      expect(isZsError(error) && error.code).toBe("CONFIGURATION_ERROR");
      expect((error as Error).message).toMatch(/belongs to something other than zs/);
    }
    expect(await rawValue(`zs/${secretId}`)).toMatchObject({ SecretString: '{"owner":"someone else"}' });
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

  it("rejected credentials are a CONFIGURATION_ERROR naming the credential options, not retried", async () => {
    const stranger = await createStore(emulator, DEPLOYMENT, { access_key_id: "AKIAUNKNOWN000000000" });
    const error = await failure(stranger.getValues(randomUUID()));
    await stranger.close?.();
    expect(isZsError(error) && error.code).toBe("CONFIGURATION_ERROR");
    expect((error as Error).message).toMatch(/rejected the credentials \(UnrecognizedClientException\).*access_key_id/);
    expect(emulator.calls.GetSecretValue).toBe(1);
  });

  it("check reports an unreachable endpoint as BACKEND_UNAVAILABLE", async () => {
    const closed = await startEmulator();
    await closed.close();
    const unreachable = await createStore(closed, DEPLOYMENT);
    const error = await failure(unreachable.check!());
    await unreachable.close?.();
    expect(isZsError(error) && error.code).toBe("BACKEND_UNAVAILABLE");
  });

  it("error messages never carry a secret value", async () => {
    const secretValue = "s3cr3t-value-that-must-not-leak";
    const secretId = randomUUID();
    await other.putValues(secretId, { password: secretValue });
    const messages: string[] = [];
    for (const attempt of [
      () => store.putValues(secretId, { password: secretValue }),
      () => store.deleteValues(secretId),
      () => {
        emulator.faults.failNext = 100;
        return store.putValues(randomUUID(), { password: secretValue });
      },
    ]) {
      const error = await failure(attempt());
      messages.push(String(error), JSON.stringify((error as { details?: unknown }).details ?? {}));
    }
    emulator.faults.failNext = 0;
    expect(messages.join("\n")).not.toContain(secretValue);
  });
});

describe("aws store versions (VersionIds kept by zs-v<version> staging labels)", () => {
  /** VersionId → staging labels, as DescribeSecret shows the labelled versions. */
  async function labels(secretId: string): Promise<Record<string, string[]>> {
    return (await sdk.send(new DescribeSecretCommand({ SecretId: `zs/${secretId}` }))).VersionIdsToStages ?? {};
  }
  const versionIdOf = (backendVersion: string | undefined) => backendVersion?.replace(/^aws:/, "") ?? "";

  it("a versioned put labels its version AWSCURRENT and zs-v<version>; a version beyond keep loses its label and reads as absent, though AWS still holds it", async () => {
    const secretId = randomUUID();
    const written: string[] = [];
    for (let version = 1; version <= 3; version++) {
      const result = await store.putValues(secretId, { n: String(version) }, version === 1 ? { isNew: true } : undefined, { version, keep: 1 });
      written.push(versionIdOf(result ? result.backendVersion : undefined));
    }
    expect(await labels(secretId)).toEqual({ [written[1]!]: ["zs-v2", "AWSPREVIOUS"], [written[2]!]: ["AWSCURRENT", "zs-v3"] });
    expect(await store.getValues(secretId, { backendVersion: `aws:${written[0]}` })).toBeUndefined();
    expect(await store.getValues(secretId, { backendVersion: `aws:${written[1]}` })).toEqual({ n: "2" });
    // Deprecated, not yet removed: `aws secretsmanager get-secret-value --version-id` still finds it.
    expect((await sdk.send(new GetSecretValueCommand({ SecretId: `zs/${secretId}`, VersionId: written[0] }))).SecretString).toBe('{"n":"1"}');
  });

  it("calls: a versioned put of a new secret 2 (CreateSecret, UpdateSecretVersionStage labelling it); of an existing one 2 (the label goes with PutSecretValue), plus one UpdateSecretVersionStage per version pruned; a version read 1", async () => {
    const secretId = randomUUID();
    expect(await callsOf(() => store.putValues(secretId, { n: "1" }, { isNew: true }, { version: 1, keep: 1 }))).toEqual({ ...none, CreateSecret: 1, UpdateSecretVersionStage: 1 });
    expect(await callsOf(() => store.putValues(secretId, { n: "2" }, undefined, { version: 2, keep: 1 }))).toEqual({ ...none, DescribeSecret: 1, PutSecretValue: 1 });
    let third: unknown;
    expect(
      await callsOf(async () => {
        third = await store.putValues(secretId, { n: "3" }, undefined, { version: 3, keep: 1 });
      }),
    ).toEqual({ ...none, DescribeSecret: 1, PutSecretValue: 1, UpdateSecretVersionStage: 1 });
    const backendVersion = (third as { backendVersion: string }).backendVersion;
    expect(await callsOf(() => store.getValues(secretId, { backendVersion }))).toEqual({ ...none, GetSecretValue: 1 });
    // Unhinted onto a new id: DescribeSecret, then the same two as hinted.
    expect(await callsOf(() => store.putValues(randomUUID(), { n: "1" }, undefined, { version: 1, keep: 1 }))).toEqual({
      ...none,
      DescribeSecret: 1,
      CreateSecret: 1,
      UpdateSecretVersionStage: 1,
    });
  });

  it("a new secret whose label could not be attached still reads back by its backendVersion while current, and the put succeeds with a warning", async () => {
    const logged: { level: string; object: Record<string, unknown> }[] = [];
    const entry = (level: string) => (object: Record<string, unknown>) => void logged.push({ level, object });
    const logging = await createStore(emulator, DEPLOYMENT, {}, { debug: entry("debug"), info: entry("info"), warn: entry("warn"), error: entry("error") });
    const secretId = randomUUID();
    emulator.faults.failOf = { UpdateSecretVersionStage: 100 };
    const result = await logging.putValues(secretId, { n: "1" }, { isNew: true }, { version: 1, keep: 10 });
    emulator.faults.failOf = {};
    await logging.close?.();
    expect(await store.getValues(secretId, { backendVersion: (result as { backendVersion: string }).backendVersion })).toEqual({ n: "1" });
    expect(logged.filter((l) => l.level === "warn").map((l) => [l.object.operation, l.object.label])).toEqual([["UpdateSecretVersionStage", "zs-v1"]]);
  });

  it(`a retention above what the labels quota allows keeps the newest ${AWS_MAX_KEPT_VERSIONS} earlier versions, and no put fails on the quota`, async () => {
    const secretId = randomUUID();
    const written: (string | undefined)[] = [];
    for (let version = 1; version <= AWS_MAX_KEPT_VERSIONS + 4; version++) {
      const result = await store.putValues(secretId, { n: String(version) }, undefined, { version, keep: 50 });
      written.push(result ? result.backendVersion : undefined);
    }
    const read = await Promise.all(written.map((backendVersion) => store.getValues(secretId, { backendVersion: backendVersion! })));
    const pruned = written.length - AWS_MAX_KEPT_VERSIONS - 1;
    expect(read.slice(0, pruned)).toEqual(Array.from({ length: pruned }, () => undefined));
    expect(read.slice(pruned).map((values) => values?.n)).toEqual(written.slice(pruned).map((_, i) => String(pruned + i + 1)));
    const attached = Object.values(await labels(secretId)).flat();
    expect(attached.length).toBeLessThan(21);
  });

  it("a versioned put whose PutSecretValue answer was lost is retried with the same ClientRequestToken: one version, readable by the backendVersion returned", async () => {
    const secretId = randomUUID();
    await store.putValues(secretId, { n: "1" }, undefined, { version: 1, keep: 10 });
    emulator.faults.loseAnswerOf = { PutSecretValue: 1 };
    const result = await store.putValues(secretId, { n: "2" }, undefined, { version: 2, keep: 10 });
    expect(emulator.calls.PutSecretValue).toBe(2);
    const versions = await sdk.send(new ListSecretVersionIdsCommand({ SecretId: `zs/${secretId}`, IncludeDeprecated: true }));
    expect(versions.Versions).toHaveLength(2);
    expect(await store.getValues(secretId, { backendVersion: (result as { backendVersion: string }).backendVersion })).toEqual({ n: "2" });
  });

  it("a put without VersionedWrite labels nothing and prunes nothing; the versions labelled before stay readable", async () => {
    const secretId = randomUUID();
    const first = await store.putValues(secretId, { n: "1" }, undefined, { version: 1, keep: 0 });
    const plain = await callsOf(() => store.putValues(secretId, { n: "copy" }));
    expect(plain).toEqual({ ...none, DescribeSecret: 1, PutSecretValue: 1 });
    expect(Object.values(await labels(secretId)).flat().sort()).toEqual(["AWSCURRENT", "AWSPREVIOUS", "zs-v1"]);
    expect(await store.getValues(secretId, { backendVersion: (first as { backendVersion: string }).backendVersion })).toEqual({ n: "1" });
    expect(await store.getValues(secretId)).toEqual({ n: "copy" });
  });

  it("a backendVersion that is not this store's (another store's, after a migration) or names no version reads as absent", async () => {
    const secretId = randomUUID();
    await store.putValues(secretId, { n: "1" }, undefined, { version: 1, keep: 10 });
    expect(await callsOf(async () => expect(await store.getValues(secretId, { backendVersion: "7" })).toBeUndefined())).toEqual(none);
    expect(await store.getValues(secretId, { backendVersion: `aws:${randomUUID()}` })).toBeUndefined();
    expect(await store.getValues(secretId, { backendVersion: "aws:short" })).toBeUndefined();
    expect(await store.getValues(randomUUID(), { backendVersion: `aws:${randomUUID()}` })).toBeUndefined();
  });

  it("a versioned put onto another deployment's secret is refused and labels nothing", async () => {
    const secretId = randomUUID();
    await other.putValues(secretId, { owner: "other" });
    const error = await failure(store.putValues(secretId, { owner: "me" }, undefined, { version: 2, keep: 10 }));
    expect(isZsError(error) && error.code).toBe("CONFIGURATION_ERROR");
    expect(Object.values(await labels(secretId)).flat()).toEqual(["AWSCURRENT"]);
    expect(await other.getValues(secretId)).toEqual({ owner: "other" });
  });

  it("when taking a label off keeps failing, the put stands, the old version stays readable a little longer, and a warning names the label, not the value", async () => {
    const value = `s3cr3t-${randomUUID()}`;
    const logged: { level: string; object: Record<string, unknown> }[] = [];
    const entry = (level: string) => (object: Record<string, unknown>) => void logged.push({ level, object });
    const logging = await createStore(emulator, DEPLOYMENT, {}, { debug: entry("debug"), info: entry("info"), warn: entry("warn"), error: entry("error") });
    const secretId = randomUUID();
    const first = await logging.putValues(secretId, { password: value }, undefined, { version: 1, keep: 0 });
    emulator.faults.failOf = { UpdateSecretVersionStage: 100 };
    await logging.putValues(secretId, { password: `${value}-2` }, undefined, { version: 2, keep: 0 });
    emulator.faults.failOf = {};
    await logging.close?.();
    expect(await store.getValues(secretId)).toEqual({ password: `${value}-2` });
    expect(await store.getValues(secretId, { backendVersion: (first as { backendVersion: string }).backendVersion })).toEqual({ password: value });
    expect(logged.filter((l) => l.level === "warn").map((l) => [l.object.operation, l.object.label])).toEqual([["UpdateSecretVersionStage", "zs-v1"]]);
    expect(JSON.stringify(logged)).not.toContain(value);
  });

  it("without secretsmanager:UpdateSecretVersionStage a versioned put past the retention is a CONFIGURATION_ERROR naming it (its values landed), and changes no label", async () => {
    const secretId = randomUUID();
    await store.putValues(secretId, { n: "1" }, undefined, { version: 1, keep: 0 });
    emulator.faults.denied = ["UpdateSecretVersionStage"];
    const error = await failure(store.putValues(secretId, { n: "2" }, undefined, { version: 2, keep: 0 }));
    emulator.faults.denied = [];
    expect(isZsError(error) && error.code).toBe("CONFIGURATION_ERROR");
    expect((error as Error).message).toContain("secretsmanager:UpdateSecretVersionStage");
    expect(Object.values(await labels(secretId)).flat().sort()).toEqual(["AWSCURRENT", "AWSPREVIOUS", "zs-v1", "zs-v2"]);
  });
});

