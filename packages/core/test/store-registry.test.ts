import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { z } from "zod";
import {
  STORE_API_VERSION,
  StoreRegistry,
  defineStore,
  noneStore,
  silentLogger,
  type SecretValues,
  type SecretValuesStore,
  type StoreContext,
  type StoreDefinition,
  type StoreLoader,
} from "../src/index.js";
import { rejection } from "./support/thrown.js";

const DEPLOYMENT_ID = "6a0c7e1d-2b3f-4c5d-8e9f-0a1b2c3d4e5f";
/** zod as core resolves it, required by absolute path from the fixture modules. */
const ZOD_PATH = require.resolve("zod", { paths: [path.join(__dirname, "..")] });

let root: string;
let context: StoreContext;

/** A store definition in CommonJS source; `schema` is the options schema expression. */
function storeSource(type: string, schema: string, exportLine: string, apiVersion = "1"): string {
  return `"use strict";
const { z } = require(${JSON.stringify(ZOD_PATH)});
const definition = {
  apiVersion: ${apiVersion},
  type: ${JSON.stringify(type)},
  optionsSchema: ${schema},
  async create(options, context) {
    const data = new Map();
    return {
      type: ${JSON.stringify(type)},
      capabilities: { maxValueBytes: 65536 },
      received: { options, deploymentId: context.deploymentId, configDir: context.configDir },
      async putValues(id, values) { data.set(id, values); },
      async getValues(id) { return data.get(id); },
      async deleteValues(id) { return data.delete(id); },
    };
  },
};
${exportLine}
`;
}

/** A minimal schema object without zod: `region` is required, nothing else is allowed. */
const HAND_WRITTEN_SCHEMA = `{
    safeParse(input) {
      const issues = [];
      if (typeof input.region !== "string") issues.push({ code: "custom", path: ["region"], message: "is required" });
      for (const key of Object.keys(input)) if (key !== "region") issues.push({ code: "custom", path: [key], message: "is not an option" });
      return issues.length === 0 ? { success: true, data: { region: input.region } } : { success: false, error: { issues } };
    },
  }`;

const ZOD_SCHEMA = `z.strictObject({
    region: z.string(),
    endpoint: z.url().optional(),
    retries: z.string().regex(/^[0-9]+$/, { error: "must be a whole number" }).optional(),
    secret_access_key: z.string().min(40).optional(),
  })`;

async function writePackage(name: string, source: string): Promise<void> {
  const dir = path.join(root, "node_modules", ...name.split("/"));
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "package.json"), JSON.stringify({ name, version: "1.0.0", main: "index.js" }));
  await writeFile(path.join(dir, "index.js"), source);
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "zs-store-registry-"));
  context = { deploymentId: DEPLOYMENT_ID, logger: silentLogger, configDir: root };
  await writePackage("@acme/zs-store-test", storeSource("acme-test", ZOD_SCHEMA, "module.exports = { default: definition };"));
  await writePackage("@acme/zs-store-direct", storeSource("acme-direct", ZOD_SCHEMA, "module.exports = definition;"));
  await writePackage("@acme/zs-store-broken", `"use strict";\nthrow new Error("boom while loading the acme store");\n`);
  await writeFile(path.join(root, "my-store.cjs"), storeSource("my-store", HAND_WRITTEN_SCHEMA, "module.exports = definition;"));
  await writeFile(path.join(root, "throws.cjs"), `"use strict";\nrequire("@acme/sdk-that-is-not-installed");\n`);
  await writeFile(path.join(root, "not-a-store.cjs"), `"use strict";\nmodule.exports = { hello: "world" };\n`);
  await writeFile(
    path.join(root, "no-create.cjs"),
    storeSource("no-create", ZOD_SCHEMA, "delete definition.create;\nmodule.exports = { default: definition };"),
  );
  await writeFile(
    path.join(root, "no-schema.cjs"),
    storeSource("no-schema", "{ parse() {} }", "module.exports = definition;"),
  );
  await writeFile(path.join(root, "string-version.cjs"), storeSource("string-version", ZOD_SCHEMA, "module.exports = definition;", '"1"'));
  await writeFile(path.join(root, "future.cjs"), storeSource("future", ZOD_SCHEMA, "module.exports = definition;", "2"));
  await writeFile(path.join(root, "past.cjs"), storeSource("past", ZOD_SCHEMA, "module.exports = { default: definition };", "0"));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const loadFailure = (run: () => Promise<unknown>) => rejection(run());

interface FixtureStore extends SecretValuesStore {
  received: { options: Record<string, unknown>; deploymentId: string; configDir: string };
}

function inMemoryDefinition(type: string): StoreDefinition<{ region?: string | undefined }> {
  return defineStore({
    apiVersion: STORE_API_VERSION,
    type,
    optionsSchema: z.strictObject({ region: z.string().optional() }),
    async create() {
      const data = new Map<string, SecretValues>();
      return {
        type,
        capabilities: { maxValueBytes: 65536 },
        putValues: async (id, values) => void data.set(id, values),
        getValues: async (id) => data.get(id),
        deleteValues: async (id) => data.delete(id),
      };
    },
  });
}

function countingLoader(type: string): StoreLoader & { calls: number } {
  const loader = Object.assign(
    async () => {
      loader.calls += 1;
      return inMemoryDefinition(type) as StoreDefinition<any>;
    },
    { calls: 0 },
  );
  return loader;
}

describe("StoreRegistry: built-in types", () => {
  it("loads a built-in type lazily: its loader runs only when that type is asked for", async () => {
    const sql = countingLoader("sql");
    const aws = countingLoader("aws");
    const gcp = countingLoader("gcp");
    const registry = new StoreRegistry({ sql, aws, gcp });
    expect(registry.builtinTypes.sort()).toEqual(["aws", "gcp", "none", "sql"]);
    expect([sql.calls, aws.calls, gcp.calls]).toEqual([0, 0, 0]);

    const definition = await registry.load("sql", root);
    expect(definition.type).toBe("sql");
    expect([sql.calls, aws.calls, gcp.calls]).toEqual([1, 0, 0]);

    const store = await registry.create("aws", { region: "eu-west-1" }, context);
    expect(store.type).toBe("aws");
    expect([sql.calls, aws.calls, gcp.calls]).toEqual([1, 1, 0]);
  });

  it("a built-in store created through the registry works", async () => {
    const store = await new StoreRegistry({ sql: countingLoader("sql") }).create("sql", {}, context);
    await store.putValues("id-1", { k: "v" });
    expect(await store.getValues("id-1")).toEqual({ k: "v" });
  });

  it("an unknown option of a built-in type is invalid_options naming it", async () => {
    const error = await loadFailure(() => new StoreRegistry({ sql: countingLoader("sql") }).create("sql", { regoin: "eu" }, context));
    expect(error.code).toBe("CONFIGURATION_ERROR");
    expect(error.details?.reason).toBe("invalid_options");
    expect(error.message).toContain("'regoin'");
    expect(error.message).toContain("Allowed options: region.");
    expect(error.message).toContain("ZS_SECRETS_STORE_<OPTION>");
  });

  it("'none' is built in, even with no loaders registered", async () => {
    const registry = new StoreRegistry();
    expect(registry.builtinTypes).toEqual(["none"]);
    expect(await registry.load("none", root)).toBe(noneStore);
  });

  it("every operation of the 'none' store throws SECRETS_STORE_DISABLED", async () => {
    const store = await new StoreRegistry().create("none", {}, context);
    expect(store.type).toBe("none");
    for (const operation of [() => store.putValues("id", { k: "v" }), () => store.getValues("id"), () => store.deleteValues("id")]) {
      const error = await loadFailure(operation);
      expect(error.code).toBe("SECRETS_STORE_DISABLED");
      expect(error.message).toContain("ZS_SECRETS_STORE_TYPE=none");
    }
  });

  it("the 'none' store takes no options", async () => {
    const error = await loadFailure(() => new StoreRegistry().create("none", { region: "eu" }, context));
    expect(error.details?.reason).toBe("invalid_options");
    expect(error.message).toContain("'region'");
  });
});

describe("StoreRegistry: custom stores", () => {
  it("loads a store by package name from the config's node_modules (module.exports = { default })", async () => {
    const registry = new StoreRegistry();
    const definition = await registry.load("@acme/zs-store-test", root);
    expect(definition.apiVersion).toBe(STORE_API_VERSION);
    expect(definition.type).toBe("acme-test");

    const store = (await registry.create("@acme/zs-store-test", { region: "eu", retries: "3" }, context)) as FixtureStore;
    expect(store.type).toBe("acme-test");
    expect(store.received).toEqual({ options: { region: "eu", retries: "3" }, deploymentId: DEPLOYMENT_ID, configDir: root });
    await store.putValues("id-1", { password: "p" });
    expect(await store.getValues("id-1")).toEqual({ password: "p" });
    expect(await store.deleteValues("id-1")).toBe(true);
  });

  it("loads a package whose module.exports is the definition itself", async () => {
    const store = (await new StoreRegistry().create("@acme/zs-store-direct", { region: "us" }, context)) as FixtureStore;
    expect(store.type).toBe("acme-direct");
    expect(store.received.options).toEqual({ region: "us" });
  });

  it("loads a store by a path relative to the config's directory, with a schema that is not zod", async () => {
    const store = (await new StoreRegistry().create("./my-store.cjs", { region: "ap" }, context)) as FixtureStore;
    expect(store.type).toBe("my-store");
    expect(store.received.options).toEqual({ region: "ap" });
  });

  it("loads a store by absolute path", async () => {
    expect((await new StoreRegistry().load(path.join(root, "my-store.cjs"), os.tmpdir())).type).toBe("my-store");
  });

  it("a relative path resolves from the config's directory, not the working directory", async () => {
    const elsewhere = await mkdtemp(path.join(root, "elsewhere-"));
    const error = await loadFailure(() => new StoreRegistry().load("./my-store.cjs", elsewhere));
    expect(error.details?.reason).toBe("not_installed");
  });

  it("a package that is not installed: not_installed, naming it and where it was looked for", async () => {
    const error = await loadFailure(() => new StoreRegistry().create("@acme/zs-store-missing", {}, context));
    expect(error.code).toBe("CONFIGURATION_ERROR");
    expect(error.details).toEqual({ reason: "not_installed" });
    expect(error.message).toContain("'@acme/zs-store-missing'");
    expect(error.message).toContain(root);
    expect(error.message).toContain("install the package");
  });

  it("a path to a missing file: not_installed", async () => {
    const error = await loadFailure(() => new StoreRegistry().load("./missing.cjs", root));
    expect(error.details?.reason).toBe("not_installed");
    expect(error.message).toContain("'./missing.cjs'");
  });

  it("a module that throws while loading: not_loadable, with its error", async () => {
    const error = await loadFailure(() => new StoreRegistry().load("@acme/zs-store-broken", root));
    expect(error.code).toBe("CONFIGURATION_ERROR");
    expect(error.details?.reason).toBe("not_loadable");
    expect(error.message).toContain("'@acme/zs-store-broken'");
    expect(error.message).toContain("boom while loading the acme store");
  });

  it("a module whose own dependency is missing: not_loadable, naming that dependency", async () => {
    const error = await loadFailure(() => new StoreRegistry().load("./throws.cjs", root));
    expect(error.details?.reason).toBe("not_loadable");
    expect(error.message).toContain("@acme/sdk-that-is-not-installed");
  });

  it.each([
    ["./not-a-store.cjs", "exports something else"],
    ["./no-create.cjs", "has no create function"],
    ["./no-schema.cjs", "has no options schema with safeParse"],
    ["./string-version.cjs", "has a non-numeric apiVersion"],
  ])("'%s' (a module that %s) is not_a_store", async (specifier) => {
    const error = await loadFailure(() => new StoreRegistry().load(specifier, root));
    expect(error.code).toBe("CONFIGURATION_ERROR");
    expect(error.details?.reason).toBe("not_a_store");
    expect(error.message).toContain(`'${specifier}'`);
    expect(error.message).toContain("{ apiVersion, type, optionsSchema, create }");
  });

  it.each([
    ["./future.cjs", 2],
    ["./past.cjs", 0],
  ])("%s with apiVersion %d is incompatible_api_version, naming both versions", async (specifier, version) => {
    const error = await loadFailure(() => new StoreRegistry().load(specifier, root));
    expect(error.code).toBe("CONFIGURATION_ERROR");
    expect(error.details?.reason).toBe("incompatible_api_version");
    expect(error.message).toContain(`version ${version}`);
    expect(error.message).toContain(`supports version ${STORE_API_VERSION}`);
  });

  it("invalid options (zod schema) list every invalid option at once", async () => {
    const error = await loadFailure(() =>
      new StoreRegistry().create("@acme/zs-store-test", { endpoint: "not a url", retries: "many", colour: "red" }, context),
    );
    expect(error.code).toBe("CONFIGURATION_ERROR");
    expect(error.details?.reason).toBe("invalid_options");
    expect(error.message).toContain("'@acme/zs-store-test'");
    expect(error.message).toMatch(/region: /);
    expect(error.message).toMatch(/endpoint: /);
    expect(error.message).toContain("retries: must be a whole number");
    expect(error.message).toContain("unknown field 'colour'");
  });

  it("invalid options (hand-written schema) list every invalid option at once", async () => {
    const error = await loadFailure(() => new StoreRegistry().create("./my-store.cjs", { zone: "a", tier: "b" }, context));
    expect(error.details?.reason).toBe("invalid_options");
    expect(error.message).toContain("region: is required");
    expect(error.message).toContain("zone: is not an option");
    expect(error.message).toContain("tier: is not an option");
  });

  it("an invalid option's value never appears in the error", async () => {
    const error = await loadFailure(() =>
      new StoreRegistry().create("@acme/zs-store-test", { region: "eu", secret_access_key: "tooshort-s3cr3t" }, context),
    );
    expect(error.details?.reason).toBe("invalid_options");
    expect(error.message).toContain("secret_access_key: ");
    expect(error.message).not.toContain("tooshort-s3cr3t");
  });

  it("each failure has its own reason", async () => {
    const registry = new StoreRegistry();
    const reasons = await Promise.all(
      [
        () => registry.load("@acme/zs-store-missing", root),
        () => registry.load("@acme/zs-store-broken", root),
        () => registry.load("./not-a-store.cjs", root),
        () => registry.load("./future.cjs", root),
        () => registry.create("./my-store.cjs", {}, context),
      ].map(async (run) => (await loadFailure(run)).details?.reason),
    );
    expect(reasons).toEqual(["not_installed", "not_loadable", "not_a_store", "incompatible_api_version", "invalid_options"]);
  });
});
