process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { runValuesStoreConformance } from "@zs/store-conformance";
import { createStore, startEmulator } from "./support/aws-fixture.js";

runValuesStoreConformance({
  name: "aws (real SDK against the Secrets Manager emulator)",
  api: { describe, it, expect, beforeAll, afterAll },
  backend: startEmulator,
  createStore: (emulator) => createStore(emulator, "6f1c2a9e-0d4b-4c1e-9a57-3b8f0e2d7c11"),
});
