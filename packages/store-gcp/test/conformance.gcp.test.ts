process.env.METADATA_SERVER_DETECTION = "none";

import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { runValuesStoreConformance } from "@zs/store-conformance";
import { createStore, startEmulator } from "./support/gcp-fixture.js";

runValuesStoreConformance({
  name: "gcp (real SDK over gRPC against the Secret Manager emulator)",
  api: { describe, it, expect, beforeAll, afterAll },
  backend: startEmulator,
  createStore: (emulator) => createStore(emulator, "6f1c2a9e-0d4b-4c1e-9a57-3b8f0e2d7c11"),
});
