import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startVaultEmulator } from "@zs/emulators";
import { runValuesStoreConformance, sharedBackend } from "@zs/store-conformance";
import { createVaultStore } from "./support/vault-test-store.js";

const emulator = sharedBackend(startVaultEmulator);

runValuesStoreConformance({
  name: "vault (node-vault against the KV v2 emulator)",
  api: { describe, it, expect, beforeAll, afterAll },
  createStore: async () => {
    const { address, token } = await emulator.get();
    return createVaultStore({ vault_addr: address, vault_token: token });
  },
  cleanup: () => emulator.close(),
});
