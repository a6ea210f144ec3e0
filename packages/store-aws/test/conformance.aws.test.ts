process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { runValuesStoreConformance, sharedBackend } from "@zs/store-conformance";
import { createStore, startEmulator } from "./support/aws-fixture.js";

const emulator = sharedBackend(startEmulator);

runValuesStoreConformance({
  name: "aws (real SDK against the Secrets Manager emulator)",
  api: { describe, it, expect, beforeAll, afterAll },
  createStore: async () => createStore(await emulator.get(), "6f1c2a9e-0d4b-4c1e-9a57-3b8f0e2d7c11"),
  cleanup: () => emulator.close(),
});
