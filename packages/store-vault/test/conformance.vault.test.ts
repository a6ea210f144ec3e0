import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startVaultEmulator, type VaultEmulator } from "@zs/emulators";
import { runValuesStoreConformance } from "@zs/store-conformance";
import { createVaultStore } from "./support/vault-test-store.js";

let emulator: VaultEmulator | undefined;

runValuesStoreConformance({
  name: "vault (node-vault against the KV v2 emulator)",
  api: { describe, it, expect, beforeAll, afterAll },
  async createStore() {
    emulator ??= await startVaultEmulator();
    return createVaultStore({ vault_addr: emulator.address, vault_token: emulator.token });
  },
  async cleanup() {
    await emulator?.close();
  },
});
