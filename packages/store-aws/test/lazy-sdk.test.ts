import { describe, expect, it } from "@jest/globals";
import path from "node:path";
import { traceSdkLoading } from "@zs/store-conformance";

describe("aws store module loading", () => {
  it("importing the store definition and parsing options does not load @aws-sdk; creating the store does", async () => {
    const trace = await traceSdkLoading({
      packageEntry: path.resolve(__dirname, "../src/index.ts"),
      imports: ["tsx"],
      conditions: ["source"],
      sdkPrefixes: ["@aws-sdk/"],
      options: { region: "eu-west-1", endpoint: "http://127.0.0.1:9", access_key_id: "a", secret_access_key: "b" },
      env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    });
    expect(trace).toEqual({ afterImport: [], afterParse: [], afterCreate: ["@aws-sdk/"] });
  });
});
