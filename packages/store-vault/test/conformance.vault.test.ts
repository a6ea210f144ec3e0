import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startVaultEmulator } from "@zs/emulators";
import { runValuesStoreConformance } from "@zs/store-conformance";
import { createVaultStore } from "./support/vault-test-store.js";

runValuesStoreConformance({
  name: "vault (node-vault against the KV v2 emulator)",
  api: { describe, it, expect, beforeAll, afterAll },
  backend: startVaultEmulator,
  createStore: (emulator) => createVaultStore({ vault_addr: emulator.address, vault_token: emulator.token }, "3e8b1d52-6a0f-4c97-b2d4-8f1e5a7c9b30"),
});
