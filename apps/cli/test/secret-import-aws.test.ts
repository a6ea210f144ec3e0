process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomBytes } from "node:crypto";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { startAwsSecretsManagerEmulator, type AwsSecretsManagerEmulator } from "@zs/emulators";
import { distinctive, expectNoLeak } from "./support/import-fixtures.js";
import { expectError, uniqueName, useZsHarness, type WirePage, type WireSecret } from "./support/zs-process.js";

// `zs secret import --from aws`: secrets another tool created in Secrets Manager (the emulator,
// through the real SDK), read by the built `zs` through @zs/store-aws, created in the local store.

const ACCESS_KEY_ID = "AKIAZSCLIIMPORT00001";
const SECRET_ACCESS_KEY = "zs-cli-import-secret-access-key";
const ENV = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };

describe("zs secret import --from aws, against the Secrets Manager emulator", () => {
  const zs = useZsHarness();
  let emulator: AwsSecretsManagerEmulator;
  let sdk: SecretsManagerClient;
  const from = (accessKeyId = ACCESS_KEY_ID) => [
    "--from",
    "aws",
    "--option",
    "region=eu-west-1",
    "--option",
    `endpoint=${emulator.endpoint}`,
    "--option",
    `access_key_id=${accessKeyId}`,
    "--option",
    `secret_access_key=${SECRET_ACCESS_KEY}`,
  ];
  const create = (name: string, value: { SecretString?: string; SecretBinary?: Uint8Array }, tags: Record<string, string> = {}) =>
    sdk.send(new CreateSecretCommand({ Name: name, ...value, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }));
  const names = async () => (await zs.json<WirePage<WireSecret>>(["secret", "list", "--size", "1000"])).items.map((s) => s.name);

  beforeAll(async () => {
    emulator = await startAwsSecretsManagerEmulator({ accessKeyIds: [ACCESS_KEY_ID] });
    sdk = new SecretsManagerClient({ endpoint: emulator.endpoint, region: "eu-west-1", credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: "x" } });
  });
  afterAll(async () => {
    sdk?.destroy();
    await emulator?.close();
  });

  it("imports 200 secrets another tool left, JSON objects and plain strings, each readable with the right keys; --dry-run first creates nothing", async () => {
    const tag = `app${randomBytes(3).toString("hex")}`;
    const prefix = `legacy/${tag}/`;
    const expected = new Map<string, Record<string, string>>();
    for (let i = 0; i < 200; i++) {
      const name = `${tag}-${String(i).padStart(3, "0")}`;
      if (i % 2 === 0) {
        const values = { user: `user-${i}`, password: distinctive(`pw${i}`) };
        await create(`${prefix}${name}`, { SecretString: JSON.stringify({ ...values, port: 5432 }) });
        expected.set(name, { ...values, port: "5432" });
      } else {
        const value = distinctive(`plain${i}`);
        await create(`${prefix}${name}`, { SecretString: value });
        expected.set(name, { value });
      }
    }
    await create(`${prefix}zs-owned`, { SecretString: "{}" }, { "zs-deployment": "c3d9f1a0-2b4e-4d6f-a8c7-1e5b9f3d2a70" });
    const secretValues = [...expected.values()].flatMap((values) => Object.values(values)).filter((v) => v.startsWith("imp-"));

    const dry = await zs.ok(["secret", "import", ...from(), "--prefix", prefix, "--dry-run"], { env: ENV });
    expect(dry.stdout).toMatch(/^Dry run: 200 to import, 1 to skip, 0 to fail; nothing was changed\.$/m);
    expect(dry.stdout).toContain(`import '${prefix}${tag}-007' as '${tag}-007'\n`);
    expect((await names()).filter((name) => name.startsWith(tag))).toEqual([]);

    const imported = await zs.ok(["secret", "import", ...from(), "--prefix", prefix], { env: ENV });
    expect(imported.stdout.split("\n").slice(-2)).toEqual(["200 imported, 1 skipped, 0 failed", ""]);
    expect(imported.stderr).toBe(`skipped: '${prefix}zs-owned': created by zs\n`);

    // Every key set from one listing, every value from one `zs resolve` of them all, and a few whole secrets through `zs secret get`.
    const listed = await zs.json<WirePage<WireSecret>>(["secret", "list", "--name", `startswith:${tag}-`, "--size", "1000"]);
    expect(Object.fromEntries(listed.items.map((s) => [s.name, s.keys]))).toEqual(
      Object.fromEntries([...expected].map(([name, values]) => [name, Object.keys(values).sort()])),
    );
    const lines = [...expected].flatMap(([name, values]) => Object.keys(values).map((key) => [`${name}.${key}`, values[key]!]));
    await zs.writeFile("every-value.txt", lines.map(([reference]) => `${reference}={{${reference}}}\n`).join(""));
    expect((await zs.ok(["resolve", "every-value.txt"])).stdout).toBe(lines.map(([reference, value]) => `${reference}=${value}\n`).join(""));
    for (const name of [`${tag}-000`, `${tag}-001`, `${tag}-198`, `${tag}-199`]) expect(await zs.values(name)).toEqual(expected.get(name));

    expectNoLeak([dry, imported], secretValues);
  }, 180_000);

  it("a name that is taken is reported and skipped, the secret unchanged; --rename-prefix imports it renamed", async () => {
    const name = uniqueName("db");
    const original = distinctive("original");
    const incoming = distinctive("incoming");
    const prefix = `clash-${name}/`;
    await zs.addSecret(name, { password: original });
    await create(`${prefix}${name}`, { SecretString: JSON.stringify({ password: incoming }) });

    const skipped = await zs.ok(["secret", "import", ...from(), "--prefix", prefix], { env: ENV });
    expect(skipped.stdout).toBe("0 imported, 1 skipped, 0 failed\n");
    expect(skipped.stderr).toBe(`skipped: '${prefix}${name}': a secret named '${name}' already exists in workspace 'default'\n`);
    expect(await zs.values(name)).toEqual({ password: original });

    const renamed = await zs.ok(["secret", "import", ...from(), "--prefix", prefix, "--rename-prefix", "aws-"], { env: ENV });
    expect(renamed.stdout).toBe(`imported '${prefix}${name}' as 'aws-${name}' (renamed: '${name}' is taken)\n1 imported, 0 skipped, 0 failed\n`);
    expect(await zs.values(name)).toEqual({ password: original });
    expect(await zs.values(`aws-${name}`)).toEqual({ password: incoming });
    expectNoLeak([skipped, renamed], [original, incoming]);
  });

  it("a binary secret fails alone (exit 1), saying why; the others are imported", async () => {
    const prefix = `${uniqueName("mixed")}/`;
    const text = distinctive("text");
    await create(`${prefix}text-${prefix.slice(0, -1)}`, { SecretString: text });
    await create(`${prefix}keystore`, { SecretBinary: new Uint8Array([0, 1, 2, 3]) });
    const result = await zs.run(["secret", "import", ...from(), "--prefix", prefix], { env: ENV });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^1 imported, 0 skipped, 1 failed$/m);
    expect(result.stderr).toBe(`failed: '${prefix}keystore': a binary secret (SecretBinary): zs secrets hold text only\nError: 1 secret failed; nothing else was changed for them.\n`);
    expectNoLeak([result], [text]);
  });

  it("credentials Secrets Manager rejects: a clear error, exit 1, nothing created, no credential echoed", async () => {
    const prefix = `${uniqueName("denied")}/`;
    await create(`${prefix}x`, { SecretString: "x" });
    const before = await names();
    const result = await zs.run(["secret", "import", ...from("AKIAUNKNOWNKEY000000"), "--prefix", prefix], { env: ENV });
    expectError(
      result,
      "aws: Secrets Manager rejected the credentials (UnrecognizedClientException) on ListSecrets; check access_key_id/secret_access_key " +
        "or the AWS default credential chain, and the region.",
    );
    expect(await names()).toEqual(before);
    expectNoLeak([result], [SECRET_ACCESS_KEY]);
  });
});
