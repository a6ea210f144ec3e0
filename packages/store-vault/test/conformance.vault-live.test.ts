import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { StoreRegistry, silentLogger } from "@zs/core";
import { runValuesStoreConformance } from "@zs/store-conformance";

// Against a real Vault (or OpenBao), only when asked: ZS_TEST_VAULT=1 with VAULT_ADDR and
// VAULT_TOKEN (a token allowed to write `<mount>/data/zs/*` and to write and delete its
// metadata), and ZS_TEST_VAULT_MOUNT (default `secret`). Each run uses its own deployment id.
const address = process.env.ZS_TEST_VAULT === "1" ? process.env.VAULT_ADDR : undefined;
const run = randomUUID();

if (address) {
  runValuesStoreConformance({
    name: `vault (live server at ${address})`,
    api: { describe, it, expect, beforeAll, afterAll },
    createStore: () =>
      new StoreRegistry({ vault: async () => (await import("../src/index.js")).default }).create(
        "vault",
        { vault_addr: address, vault_token: process.env.VAULT_TOKEN ?? "", mount_point: process.env.ZS_TEST_VAULT_MOUNT ?? "secret" },
        { deploymentId: run, logger: silentLogger, configDir: process.cwd() },
      ),
    timeout: 60000,
  });
} else {
  describe.skip("vault against a live server (set ZS_TEST_VAULT=1, VAULT_ADDR and VAULT_TOKEN to run)", () => {
    it("runs the values store conformance suite", () => undefined);
  });
}
