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

runValuesStoreConformance({
  name: "file (default size limit)",
  api,
  createStore: () => createFileStore({ directory: "default-limit" }, root),
});

runValuesStoreConformance({
  name: "file (max_value_bytes=1000)",
  api,
  createStore: () => createFileStore({ directory: "small-limit", max_value_bytes: "1000" }, root),
});
