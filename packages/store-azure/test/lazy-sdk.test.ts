import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import type { AzureKeyVaultEmulator } from "@zs/emulators";
import { emulatorOptions, startEmulator } from "./support/azure-fixture.js";

const loads = { "@azure/keyvault-secrets": 0, "@azure/identity": 0 };
for (const sdk of Object.keys(loads) as (keyof typeof loads)[]) {
  jest.doMock(sdk, () => {
    loads[sdk] += 1;
    return jest.requireActual(sdk);
  });
}

describe("azure store module loading", () => {
  let emulator: AzureKeyVaultEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it("importing the store definition and parsing options loads no Azure SDK; creating the store loads both", async () => {
    const { default: definition } = await import("../src/index.js");
    const options = definition.optionsSchema.parse(emulatorOptions(emulator));
    expect(loads).toEqual({ "@azure/keyvault-secrets": 0, "@azure/identity": 0 });
    const store = await definition.create(options, {
      deploymentId: "3e9b1f7c-5a2d-4c8e-b6f0-1d7a3c5e9b24",
      configDir: ".",
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    expect(loads).toEqual({ "@azure/keyvault-secrets": 1, "@azure/identity": 1 });
    await store.putValues("lazy", { k: "v" });
    expect(await store.getValues("lazy")).toEqual({ k: "v" });
    await store.close?.();
  });
});
