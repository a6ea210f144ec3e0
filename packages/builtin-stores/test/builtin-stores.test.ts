import { describe, expect, it, jest } from "@jest/globals";
import { StoreRegistry, defineStore, type StoreDefinition } from "@zs/core";
import { z } from "zod";

// Each store package's module body counts its loads; the registry must run none until asked.
const loads = { aws: 0, gcp: 0, azure: 0, vault: 0 };
jest.doMock("@zs/store-aws", () => {
  loads.aws += 1;
  return jest.requireActual("@zs/store-aws");
});
jest.doMock("@zs/store-gcp", () => {
  loads.gcp += 1;
  return jest.requireActual("@zs/store-gcp");
});
jest.doMock("@zs/store-azure", () => {
  loads.azure += 1;
  return jest.requireActual("@zs/store-azure");
});
jest.doMock("@zs/store-vault", () => {
  loads.vault += 1;
  return jest.requireActual("@zs/store-vault");
});

const sqlStub: StoreDefinition<Record<string, never>> = defineStore({
  apiVersion: 1,
  type: "sql",
  optionsSchema: z.strictObject({}),
  create: async () => {
    throw new Error("not used");
  },
});

const context = { deploymentId: "d", logger: { debug() {}, info() {}, warn() {}, error() {} }, configDir: "." };

describe("built-in stores", () => {
  it("the registry knows none, sql, aws, gcp, azure and vault, and importing or creating it loads no store package", async () => {
    const { BUILTIN_STORE_TYPES, createBuiltinStoreRegistry } = await import("../src/index.js");
    const registry = createBuiltinStoreRegistry({ sql: async () => sqlStub });
    expect(registry).toBeInstanceOf(StoreRegistry);
    expect([...registry.builtinTypes].sort()).toEqual(["aws", "azure", "gcp", "none", "sql", "vault"]);
    expect([...BUILTIN_STORE_TYPES].sort()).toEqual(["aws", "azure", "gcp", "none", "sql", "vault"]);
    expect(loads).toEqual({ aws: 0, gcp: 0, azure: 0, vault: 0 });
  });

  it("each cloud type loads its own package only when asked for, and gets its definition", async () => {
    const { createBuiltinStoreRegistry } = await import("../src/index.js");
    const registry = createBuiltinStoreRegistry({ sql: async () => sqlStub });
    expect(await registry.load("sql", ".")).toBe(sqlStub);
    expect(loads).toEqual({ aws: 0, gcp: 0, azure: 0, vault: 0 });

    const expected = { aws: 0, gcp: 0, azure: 0, vault: 0 };
    for (const type of ["vault", "aws", "gcp", "azure"] as const) {
      const definition = await registry.load(type, ".");
      expect([definition.type, definition.apiVersion]).toEqual([type, 1]);
      expected[type] = 1;
      expect(loads).toEqual(expected);
    }
  });

  it.each([
    ["vault", { vault_adr: "x" }, "Allowed options: vault_addr, vault_token, vault_namespace, mount_point."],
    ["gcp", { project_id: "zs-project", region: "x" }, "Allowed options: project_id, api_endpoint, credentials_file, emulator_host."],
    [
      "azure",
      { vault_url: "https://v.vault.azure.net", region: "x" },
      "Allowed options: vault_url, tenant_id, client_id, client_secret, authority_host, disable_instance_discovery, disable_challenge_resource_verification, purge_on_delete.",
    ],
  ])("a built-in type's options are validated by its own schema, naming the allowed ones (%s)", async (type, options, allowed) => {
    const { createBuiltinStoreRegistry } = await import("../src/index.js");
    const registry = createBuiltinStoreRegistry({ sql: async () => sqlStub });
    await expect(registry.create(type, options, context)).rejects.toMatchObject({
      code: "CONFIGURATION_ERROR",
      message: expect.stringContaining(allowed),
    });
  });
});
