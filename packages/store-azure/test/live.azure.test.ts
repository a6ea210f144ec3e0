import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { StoreRegistry, silentLogger } from "@zs/core";
import { runValuesStoreConformance, type TestApi } from "@zs/store-conformance";

// Against a real vault, only when asked: ZS_TEST_AZURE=1 and ZS_TEST_AZURE_VAULT_URL, with
// ZS_TEST_AZURE_TENANT_ID/_CLIENT_ID/_CLIENT_SECRET or else DefaultAzureCredential's
// environment (AZURE_*, managed identity, Azure CLI). The identity needs get, set, delete,
// recover and purge on secrets. Otherwise the suite is listed as skipped.
const enabled = process.env.ZS_TEST_AZURE === "1" && Boolean(process.env.ZS_TEST_AZURE_VAULT_URL);
const jestApi = { describe: enabled ? describe : describe.skip, it, expect, beforeAll, afterAll } as unknown as TestApi;

runValuesStoreConformance({
  name: `azure against a real vault${enabled ? "" : " (skipped: set ZS_TEST_AZURE=1 and ZS_TEST_AZURE_VAULT_URL)"}`,
  api: jestApi,
  timeout: 120000,
  async createStore() {
    const registry = new StoreRegistry({ azure: async () => (await import("../src/index.js")).default });
    const options = Object.fromEntries(
      Object.entries({
        vault_url: process.env.ZS_TEST_AZURE_VAULT_URL,
        tenant_id: process.env.ZS_TEST_AZURE_TENANT_ID,
        client_id: process.env.ZS_TEST_AZURE_CLIENT_ID,
        client_secret: process.env.ZS_TEST_AZURE_CLIENT_SECRET,
      }).filter(([, value]) => value),
    );
    // A deployment of its own, so the run never touches another's secrets.
    return registry.create("azure", options, { deploymentId: randomUUID(), logger: silentLogger, configDir: process.cwd() });
  },
});
