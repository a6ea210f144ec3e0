import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { runValuesStoreConformance, type TestApi } from "@zs/store-conformance";
import type { AzureKeyVaultEmulator } from "@zs/emulators";
import { createStore, startEmulator } from "./support/azure-fixture.js";

const jestApi = { describe, it, expect, beforeAll, afterAll } as unknown as TestApi;
let emulator: AzureKeyVaultEmulator | undefined;

runValuesStoreConformance({
  name: "azure (real SDK and ClientSecretCredential against the Key Vault emulator)",
  api: jestApi,
  async createStore() {
    emulator ??= await startEmulator();
    return createStore(emulator, "9d2e6b14-3f7a-4c85-b0e1-7a4c2f9d8e63");
  },
  async cleanup() {
    await emulator?.close();
  },
});
