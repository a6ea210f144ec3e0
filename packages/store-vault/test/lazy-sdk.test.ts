import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { startVaultEmulator, type VaultEmulator } from "@zs/emulators";

let nodeVaultLoads = 0;
jest.doMock("node-vault", () => {
  nodeVaultLoads += 1;
  return jest.requireActual("node-vault");
});

describe("vault store loading", () => {
  let emulator: VaultEmulator;
  beforeAll(async () => {
    emulator = await startVaultEmulator();
  });
  afterAll(async () => {
    await emulator.close();
  });

  it("importing the store does not import node-vault; creating it does", async () => {
    const { createVaultStore } = await import("./support/vault-test-store.js");
    expect(nodeVaultLoads).toBe(0);
    const store = await createVaultStore({ vault_addr: emulator.address, vault_token: emulator.token });
    expect(nodeVaultLoads).toBe(1);
    await store.putValues("lazy", { k: "v" });
    expect(await store.getValues("lazy")).toEqual({ k: "v" });
  });
});
