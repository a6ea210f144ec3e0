import { describe, expect, it } from "@jest/globals";
import path from "node:path";
import { traceSdkLoading } from "@zs/store-conformance";

describe("vault store module loading", () => {
  it("importing the store definition and parsing options does not load node-vault; creating the store does", async () => {
    const trace = await traceSdkLoading({
      packageEntry: path.resolve(__dirname, "../src/index.ts"),
      imports: ["tsx"],
      conditions: ["source"],
      sdkPrefixes: ["node-vault"],
      options: { vault_addr: "http://127.0.0.1:9", vault_token: "t" },
    });
    expect(trace).toEqual({ afterImport: [], afterParse: [], afterCreate: ["node-vault"] });
  });
});
