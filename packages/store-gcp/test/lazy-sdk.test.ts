import { describe, expect, it } from "@jest/globals";
import path from "node:path";
import { traceSdkLoading } from "@zs/store-conformance";

describe("gcp store module loading", () => {
  it("importing the store definition and parsing options loads neither the SDK, google-gax nor grpc-js; creating the store loads all three", async () => {
    const trace = await traceSdkLoading({
      packageEntry: path.resolve(__dirname, "../src/index.ts"),
      imports: ["tsx"],
      conditions: ["source"],
      sdkPrefixes: ["@google-cloud/secret-manager", "google-gax", "@grpc/grpc-js"],
      options: { project_id: "zs-lazy-test", emulator_host: "127.0.0.1:9" },
      env: { METADATA_SERVER_DETECTION: "none" },
    });
    expect(trace).toEqual({ afterImport: [], afterParse: [], afterCreate: ["@google-cloud/secret-manager", "google-gax", "@grpc/grpc-js"] });
  });
});
