import { describe, expect, it } from "@jest/globals";
import path from "node:path";
import { traceSdkLoading } from "@zs/store-conformance";

describe("azure store module loading", () => {
  it("importing the store definition and parsing options loads no Azure SDK; creating the store loads both", async () => {
    const trace = await traceSdkLoading({
      packageEntry: path.resolve(__dirname, "../src/index.ts"),
      imports: ["tsx"],
      conditions: ["source"],
      sdkPrefixes: ["@azure/keyvault-secrets", "@azure/identity"],
      options: { vault_url: "https://127.0.0.1:9", tenant_id: "t", client_id: "c", client_secret: "s", authority_host: "https://127.0.0.1:9" },
    });
    expect(trace).toEqual({ afterImport: [], afterParse: [], afterCreate: ["@azure/keyvault-secrets", "@azure/identity"] });
  });
});
