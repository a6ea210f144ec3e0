import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ClientSecretCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";
import { openImportSource, silentLogger, type ImportSource } from "@zs/core";
import type { AzureKeyVaultEmulator } from "@zs/emulators";
import azureStore, { azureImportSource } from "../src/index.js";
import { CLIENT, emulatorOptions, startEmulator } from "./support/azure-fixture.js";

let emulator: AzureKeyVaultEmulator;
let sdk: SecretClient;
let source: ImportSource;
const context = { logger: silentLogger, configDir: process.cwd() };

beforeAll(async () => {
  emulator = await startEmulator();
  sdk = new SecretClient(
    emulator.vaultUrl,
    new ClientSecretCredential(emulator.tenantId, CLIENT.clientId, CLIENT.clientSecret, { authorityHost: emulator.authorityHost, disableInstanceDiscovery: true }),
    { disableChallengeResourceVerification: true },
  );
  // More than one page of 25, as another tool left them.
  for (let i = 0; i < 27; i++) await sdk.setSecret(`legacy-${String(i).padStart(2, "0")}`, `{"n":"${i}"}`);
  await sdk.setSecret("zs-0b7e4a52-93d1-4f7c-8f0e-5c2a1d9b6e34", "{}", { tags: { "zs-deployment": "c3d9f1a0-2b4e-4d6f-a8c7-1e5b9f3d2a70" } });
  await sdk.setSecret("switched-off", "x", { enabled: false });
  source = await openImportSource(azureStore, azureImportSource, emulatorOptions(emulator), context);
});

afterAll(async () => {
  await source?.close();
  await emulator?.close();
});

describe("azureImportSource", () => {
  it("lists the vault's secrets over GetSecrets pages; zs's own and disabled ones are skipped", async () => {
    const before = emulator.calls.ListSecrets;
    const entries = await source.list("");
    expect(entries).toHaveLength(29);
    expect(entries).toContainEqual({ externalName: "legacy-26" });
    expect(entries).toContainEqual({ externalName: "zs-0b7e4a52-93d1-4f7c-8f0e-5c2a1d9b6e34", skipReason: "created by zs" });
    expect(entries).toContainEqual({ externalName: "switched-off", skipReason: "disabled in Key Vault" });
    expect(emulator.calls.ListSecrets - before).toBe(2);
  });

  it("reads a secret's value as text", async () => {
    expect(await source.read("legacy-07")).toEqual({ kind: "text", text: '{"n":"7"}' });
  });

  it("a secret deleted after the listing is a NOT_FOUND naming it", async () => {
    await sdk.setSecret("gone", "x");
    await (await sdk.beginDeleteSecret("gone")).pollUntilDone();
    await expect(source.read("gone")).rejects.toMatchObject({ code: "NOT_FOUND", message: "azure: secret 'gone' was deleted after it was listed." });
  });

  it("a client secret Entra ID refuses: a configuration error on the listing", async () => {
    const refused = await openImportSource(azureStore, azureImportSource, { ...emulatorOptions(emulator), client_secret: "wrong" }, context);
    try {
      await expect(refused.list("")).rejects.toMatchObject({ code: "CONFIGURATION_ERROR", message: expect.stringMatching(/^azure: no token for Key Vault/) });
    } finally {
      await refused.close();
    }
  });

  it("takes the store's options about where and as whom, not purge_on_delete", async () => {
    await expect(openImportSource(azureStore, azureImportSource, { ...emulatorOptions(emulator), purge_on_delete: "false" }, context)).rejects.toMatchObject({
      message: expect.stringMatching(/^Unknown option for import from 'azure': 'purge_on_delete'\. Allowed options: vault_url, tenant_id/),
    });
  });
});
