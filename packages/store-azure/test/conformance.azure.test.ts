import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { runValuesStoreConformance } from "@zs/store-conformance";
import { createStore, startEmulator } from "./support/azure-fixture.js";

runValuesStoreConformance({
  name: "azure (real SDK and ClientSecretCredential against the Key Vault emulator)",
  api: { describe, it, expect, beforeAll, afterAll },
  backend: startEmulator,
  createStore: (emulator) => createStore(emulator, "9d2e6b14-3f7a-4c85-b0e1-7a4c2f9d8e63"),
});
