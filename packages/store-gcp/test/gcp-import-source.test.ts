process.env.METADATA_SERVER_DETECTION = "none";

import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { SecretManagerServiceClient } from "@google-cloud/secret-manager";
import { openImportSource, silentLogger, type ImportSource } from "@zs/core";
import type { GcpSecretManagerEmulator } from "@zs/emulators";
import gcpStore, { gcpImportSource } from "../src/index.js";
import { PROJECT_ID, inspector, startEmulator } from "./support/gcp-fixture.js";

let emulator: GcpSecretManagerEmulator;
let sdk: SecretManagerServiceClient;
let source: ImportSource;
const context = { logger: silentLogger, configDir: process.cwd() };

/** Creates a secret the way another tool would; each payload becomes a version, the last one latest. */
async function create(secretId: string, payloads: (string | Uint8Array)[], labels: Record<string, string> = {}): Promise<string> {
  const [secret] = await sdk.createSecret({ parent: `projects/${PROJECT_ID}`, secretId, secret: { replication: { automatic: {} }, labels } });
  for (const payload of payloads) await sdk.addSecretVersion({ parent: secret.name, payload: { data: typeof payload === "string" ? Buffer.from(payload) : payload } });
  return secret.name ?? "";
}

beforeAll(async () => {
  emulator = await startEmulator({ projects: { [PROJECT_ID]: 424242424242 } });
  sdk = inspector(emulator);
  await create("app-db", ['{"user":"u","password":"p"}']);
  await create("api-token", ["old", "t0ken"]);
  await create("zs-0b7e4a52-93d1-4f7c-8f0e-5c2a1d9b6e34", ["{}"], { "zs-deployment": "c3d9f1a0-2b4e-4d6f-a8c7-1e5b9f3d2a70" });
  await create("keystore", [new Uint8Array([0xff, 0xfe, 0x00, 0x80])]);
  await create("empty", []);
  const destroyed = await create("destroyed", ["x"]);
  await sdk.destroySecretVersion({ name: `${destroyed}/versions/1` });
  source = await openImportSource(gcpStore, gcpImportSource, { project_id: PROJECT_ID, emulator_host: emulator.host }, context);
});

afterAll(async () => {
  await source?.close();
  await sdk?.close();
  await emulator?.close();
});

describe("gcpImportSource", () => {
  it("lists the project's secrets by id, marking those labelled by a zs deployment", async () => {
    expect(await source.list("")).toEqual([
      { externalName: "app-db" },
      { externalName: "api-token" },
      { externalName: "zs-0b7e4a52-93d1-4f7c-8f0e-5c2a1d9b6e34", skipReason: "created by zs" },
      { externalName: "keystore" },
      { externalName: "empty" },
      { externalName: "destroyed" },
    ]);
  });

  it("reads the latest version's payload as text; a payload that is not UTF-8 is binary", async () => {
    expect(await source.read("app-db")).toEqual({ kind: "text", text: '{"user":"u","password":"p"}' });
    expect(await source.read("api-token")).toEqual({ kind: "text", text: "t0ken" });
    expect(await source.read("keystore")).toEqual({ kind: "binary", description: "a payload that is not UTF-8 text" });
  });

  it("a secret without versions, or whose latest version is destroyed, is a NOT_FOUND saying so", async () => {
    await expect(source.read("empty")).rejects.toMatchObject({ code: "NOT_FOUND", message: expect.stringContaining("has no version to read") });
    await expect(source.read("destroyed")).rejects.toMatchObject({ code: "NOT_FOUND", message: "gcp: the latest version of secret 'destroyed' is disabled or destroyed." });
  });

  it("a project the caller cannot see: a configuration error on the listing", async () => {
    const denied = await openImportSource(gcpStore, gcpImportSource, { project_id: "someone-else", emulator_host: emulator.host }, context);
    try {
      await expect(denied.list("")).rejects.toMatchObject({ code: "CONFIGURATION_ERROR", message: expect.stringMatching(/^gcp: permission denied for ListSecrets on 'projects\/someone-else'/) });
    } finally {
      await denied.close();
    }
  });

  it("options are the store's, checked by its schema", async () => {
    await expect(openImportSource(gcpStore, gcpImportSource, { emulator_host: emulator.host }, context)).rejects.toMatchObject({
      message: expect.stringMatching(/^Invalid options for import from 'gcp': project_id: .*Allowed options: project_id, api_endpoint, credentials_file, emulator_host\.$/),
    });
  });
});
