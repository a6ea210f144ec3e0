process.env.METADATA_SERVER_DETECTION = "none";

import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { runValuesStoreConformance, type TestApi } from "@zs/store-conformance";
import type { GcpSecretManagerEmulator } from "@zs/emulators";
import { createStore, startEmulator } from "./support/gcp-fixture.js";

const jestApi = { describe, it, expect, beforeAll, afterAll } as unknown as TestApi;
let emulator: GcpSecretManagerEmulator | undefined;

runValuesStoreConformance({
  name: "gcp (real SDK over gRPC against the Secret Manager emulator)",
  api: jestApi,
  async createStore() {
    emulator ??= await startEmulator();
    return createStore(emulator, "6f1c2a9e-0d4b-4c1e-9a57-3b8f0e2d7c11");
  },
  async cleanup() {
    await emulator?.close();
  },
});
