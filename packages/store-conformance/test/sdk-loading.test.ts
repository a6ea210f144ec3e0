import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { traceSdkLoading } from "../src/index.js";

// Two stores as plain ES modules, standing in for SDKs with node:zlib (imported) and
// node:dns (never imported): one loads its "SDK" in create, the other as its module loads.
const LAZY_STORE = `
export default {
  optionsSchema: { parse: (options) => ({ ...options }) },
  async create() {
    await import("node:zlib");
    return { close() {} };
  },
};
`;
const EAGER_STORE = `import "node:zlib";\n${LAZY_STORE}`;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "zs-sdk-loading-test-"));
  await writeFile(path.join(dir, "lazy-store.mjs"), LAZY_STORE);
  await writeFile(path.join(dir, "eager-store.mjs"), EAGER_STORE);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("traceSdkLoading", () => {
  const probe = (file: string) => ({ packageEntry: path.join(dir, file), sdkPrefixes: ["node:zlib", "node:dns"], options: {} });

  it("a store that imports its SDK in create shows it after create only, and never what it does not import", async () => {
    expect(await traceSdkLoading(probe("lazy-store.mjs"))).toEqual({ afterImport: [], afterParse: [], afterCreate: ["node:zlib"] });
  });

  it("a store that imports its SDK as its module loads shows it from the import on", async () => {
    expect(await traceSdkLoading(probe("eager-store.mjs"))).toEqual({ afterImport: ["node:zlib"], afterParse: ["node:zlib"], afterCreate: ["node:zlib"] });
  });

  it("a store that fails to load is a rejection carrying the child's error output", async () => {
    await expect(traceSdkLoading(probe("missing-store.mjs"))).rejects.toThrow(/missing-store\.mjs/);
  });
});
