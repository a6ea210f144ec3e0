process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { runValuesStoreConformance } from "@zs/store-conformance";
import type { AwsSecretsManagerEmulator } from "@zs/emulators";
import { createStore, startEmulator } from "./support/aws-fixture.js";

const jestApi = { describe, it, expect, beforeAll, afterAll };
let emulator: AwsSecretsManagerEmulator | undefined;

runValuesStoreConformance({
  name: "aws (real SDK against the Secrets Manager emulator)",
  api: jestApi,
  async createStore() {
    emulator ??= await startEmulator();
    return createStore(emulator, "6f1c2a9e-0d4b-4c1e-9a57-3b8f0e2d7c11");
  },
  async cleanup() {
    await emulator?.close();
  },
});
