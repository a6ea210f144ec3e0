process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { CreateSecretCommand, DeleteSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { isZsError, openImportSource, silentLogger, type ImportSource } from "@zs/core";
import type { AwsSecretsManagerEmulator } from "@zs/emulators";
import awsStore, { awsImportSource } from "../src/index.js";
import { ACCESS_KEY_ID, startEmulator } from "./support/aws-fixture.js";

let emulator: AwsSecretsManagerEmulator;
let sdk: SecretsManagerClient;
let source: ImportSource;

const context = { logger: silentLogger, configDir: process.cwd() };
const options = (extra: Record<string, string> = {}) => ({
  region: "eu-west-1",
  endpoint: emulator.endpoint,
  access_key_id: ACCESS_KEY_ID,
  secret_access_key: "zs-test-secret-access-key",
  ...extra,
});
const create = (name: string, value: { SecretString?: string; SecretBinary?: Uint8Array }, tags: Record<string, string> = {}) =>
  sdk.send(new CreateSecretCommand({ Name: name, ...value, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }));

beforeAll(async () => {
  emulator = await startEmulator();
  sdk = new SecretsManagerClient({ endpoint: emulator.endpoint, region: "eu-west-1", credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: "x" } });
  for (let i = 0; i < 120; i++) await create(`legacy/app-${String(i).padStart(3, "0")}`, { SecretString: `{"n":"${i}"}` });
  await create("zs/0b7e4a52-93d1-4f7c-8f0e-5c2a1d9b6e34", { SecretString: "{}" }, { "zs-deployment": "c3d9f1a0-2b4e-4d6f-a8c7-1e5b9f3d2a70" });
  await create("other/plain", { SecretString: "just text" });
  await create("other/binary", { SecretBinary: new Uint8Array([0, 1, 2]) });
  source = await openImportSource(awsStore, awsImportSource, options(), context);
});

afterAll(async () => {
  await source?.close();
  sdk?.destroy();
  await emulator?.close();
});

describe("awsImportSource", () => {
  it("lists every secret over ListSecrets pages, marking those tagged by a zs deployment", async () => {
    const before = emulator.calls.ListSecrets;
    const entries = await source.list("");
    expect(entries).toHaveLength(123);
    expect(entries).toContainEqual({ externalName: "zs/0b7e4a52-93d1-4f7c-8f0e-5c2a1d9b6e34", skipReason: "created by zs" });
    expect(entries).toContainEqual({ externalName: "legacy/app-119" });
    expect(emulator.calls.ListSecrets - before).toBe(2);
  });

  it("sends the prefix as Secrets Manager's name filter", async () => {
    expect(await source.list("other/")).toEqual([{ externalName: "other/plain" }, { externalName: "other/binary" }]);
    // '!' would negate the filter: such a prefix is left to the import to apply.
    expect(await source.list("!legacy")).toHaveLength(123);
  });

  it("reads a secret's text; binary secrets are told apart, without their bytes", async () => {
    expect(await source.read("legacy/app-007")).toEqual({ kind: "text", text: '{"n":"7"}' });
    expect(await source.read("other/plain")).toEqual({ kind: "text", text: "just text" });
    expect(await source.read("other/binary")).toEqual({ kind: "binary", description: "a binary secret (SecretBinary)" });
  });

  it("a secret deleted after the listing is a NOT_FOUND naming it", async () => {
    await create("gone/soon", { SecretString: "x" });
    await sdk.send(new DeleteSecretCommand({ SecretId: "gone/soon", ForceDeleteWithoutRecovery: true }));
    await expect(source.read("gone/soon")).rejects.toMatchObject({ code: "NOT_FOUND", message: "aws: secret 'gone/soon' was deleted after it was listed." });
  });

  it("credentials Secrets Manager rejects: a configuration error on the listing, naming the options to check", async () => {
    const rejected = await openImportSource(awsStore, awsImportSource, options({ access_key_id: "AKIAWRONG" }), context);
    try {
      const error = await rejected.list("").catch((e: unknown) => e);
      expect(isZsError(error) && error.code).toBe("CONFIGURATION_ERROR");
      expect((error as Error).message).toMatch(/^aws: Secrets Manager rejected the credentials \(UnrecognizedClientException\) on ListSecrets; check access_key_id/);
    } finally {
      await rejected.close();
    }
  });

  it("takes the store's options about where and as whom, not its prefix", async () => {
    await expect(openImportSource(awsStore, awsImportSource, options({ prefix: "zs/" }), context)).rejects.toMatchObject({
      message: "Unknown option for import from 'aws': 'prefix'. Allowed options: region, endpoint, access_key_id, secret_access_key.",
    });
    await expect(openImportSource(awsStore, awsImportSource, options({ secret_access_key: undefined as unknown as string }), context)).rejects.toMatchObject({
      code: "VALIDATION_ERROR",
    });
  });
});
