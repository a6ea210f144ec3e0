import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { runValuesStoreConformance, sharedBackend } from "@zs/store-conformance";
import { createStore, startEmulator } from "./support/azure-fixture.js";

const emulator = sharedBackend(startEmulator);

runValuesStoreConformance({
  name: "azure (real SDK and ClientSecretCredential against the Key Vault emulator)",
  api: { describe, it, expect, beforeAll, afterAll },
  createStore: async () => createStore(await emulator.get(), "9d2e6b14-3f7a-4c85-b0e1-7a4c2f9d8e63"),
  cleanup: () => emulator.close(),
});
