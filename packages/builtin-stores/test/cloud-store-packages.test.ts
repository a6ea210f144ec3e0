import { describe, expect, it } from "@jest/globals";
import { importStorePackage } from "../src/cloud-store-packages.js";

describe("cloud store packages (optional peer dependencies)", () => {
  it("a store whose package is not installed is a configuration error naming the package and how to install it", async () => {
    // A real import of a package that is not installed anywhere in the workspace.
    const missing = "@zs/store-not-installed";
    await expect(importStorePackage("gcp", missing, () => import(missing))).rejects.toMatchObject({
      code: "CONFIGURATION_ERROR",
      message: `Values store 'gcp' needs the package ${missing}, which is not installed: npm install ${missing}`,
      details: { reason: "not_installed", package: missing },
    });
  });

  it("a dependency missing inside an installed store package is reported as it is, not as the store's package", async () => {
    const missingDependency = "zs-missing-cloud-sdk";
    const error = await importStorePackage("gcp", "@zs/store-gcp", () => import(missingDependency)).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ message: expect.stringContaining("'zs-missing-cloud-sdk'") });
    expect((error as { code?: string }).code).not.toBe("CONFIGURATION_ERROR");
  });

  it("an installed store package is returned as imported", async () => {
    const aws = await importStorePackage("aws", "@zs/store-aws", () => import("@zs/store-aws"));
    expect([aws.default.type, aws.default.apiVersion]).toEqual(["aws", 1]);
  });
});
