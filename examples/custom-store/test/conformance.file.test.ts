import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { runValuesStoreConformance } from "@zs/store-conformance";
import { createFileStore } from "./support/file-store-fixture.js";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "zs-file-store-conformance-"));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const api = { describe, it, expect, beforeAll, afterAll };
// Every store a suite creates is the same deployment's, as a restarted zs would open it.
const DEPLOYMENT = "5b2e9c14-7d3a-4f86-a1e0-c4d8b6f2a937";

runValuesStoreConformance({
  name: "file (default size limit)",
  api,
  createStore: () => createFileStore({ directory: "default-limit" }, root, DEPLOYMENT),
});

runValuesStoreConformance({
  name: "file (max_value_bytes=1000)",
  api,
  createStore: () => createFileStore({ directory: "small-limit", max_value_bytes: "1000" }, root, DEPLOYMENT),
});
