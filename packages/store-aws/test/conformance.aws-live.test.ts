process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { StoreRegistry, silentLogger } from "@zs/core";
import { runValuesStoreConformance } from "@zs/store-conformance";

// Against the real Secrets Manager, only when asked: ZS_TEST_AWS=1, with the region from
// ZS_TEST_AWS_REGION (else AWS_REGION) and credentials from the AWS default chain. The run
// writes under its own prefix `zs-test/<uuid>/` and deletes each secret it wrote (the suite's
// deletes use ForceDeleteWithoutRecovery), so nothing is left billing.
const region = process.env.ZS_TEST_AWS === "1" ? (process.env.ZS_TEST_AWS_REGION ?? process.env.AWS_REGION) : undefined;
const run = randomUUID();

if (region) {
  runValuesStoreConformance({
    name: `aws (live Secrets Manager, ${region})`,
    api: { describe, it, expect, beforeAll, afterAll },
    createStore: () =>
      new StoreRegistry({ aws: async () => (await import("../src/index.js")).default }).create(
        "aws",
        { region, prefix: `zs-test/${run}/` },
        { deploymentId: run, logger: silentLogger, configDir: process.cwd() },
      ),
    timeout: 60000,
  });
} else {
  describe.skip("aws against the live Secrets Manager (set ZS_TEST_AWS=1 and ZS_TEST_AWS_REGION to run)", () => {
    it("runs the values store conformance suite", () => undefined);
  });
}
