import { describe, expect, it } from "@jest/globals";
import { silentLogger } from "@zs/core";
import { IMPORT_SOURCE_TYPES, openBuiltinImportSource } from "../src/index.js";

const context = { logger: silentLogger, configDir: "." };

describe("built-in import sources", () => {
  it("zs secret import reads aws, gcp, azure and vault", () => {
    expect([...IMPORT_SOURCE_TYPES].sort()).toEqual(["aws", "azure", "gcp", "vault"]);
  });

  it("an unknown type is a validation error naming the sources", async () => {
    await expect(openBuiltinImportSource("s3", {}, context)).rejects.toMatchObject({
      code: "VALIDATION_ERROR",
      message: "Cannot import from 's3': the sources are aws, gcp, azure, vault.",
    });
  });

  it.each([
    ["vault", { vault_adr: "x" }, "Unknown option for import from 'vault': 'vault_adr'. Allowed options: vault_addr, vault_token, vault_namespace, mount_point."],
    ["aws", { region: "eu-west-1", prefix: "zs/" }, "Unknown option for import from 'aws': 'prefix'. Allowed options: region, endpoint, access_key_id, secret_access_key."],
    ["gcp", {}, "Invalid options for import from 'gcp': project_id: "],
    ["azure", { vault_url: "http://v" }, "Invalid options for import from 'azure': vault_url: must be an https:// URL. Allowed options: vault_url, tenant_id,"],
  ])("the options of %s are its store's, checked by the store's schema", async (type, options, message) => {
    await expect(openBuiltinImportSource(type, options, context)).rejects.toMatchObject({ code: "VALIDATION_ERROR", message: expect.stringContaining(message) });
  });
});
