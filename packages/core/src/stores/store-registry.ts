import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ZsError } from "../errors.js";
import { noneStore } from "./none-store.js";
import { describeIssues } from "../validation.js";
import { STORE_API_VERSION, type SecretValuesStore, type StoreContext, type StoreDefinition } from "./values-store.js";

/** Loads a built-in store's definition on demand, so unused SDKs are never imported. */
export type StoreLoader = () => Promise<StoreDefinition<any>>;

/** Why a store could not be loaded; each has its own message. */
export type StoreLoadFailure = "not_installed" | "not_loadable" | "not_a_store" | "incompatible_api_version" | "invalid_options";

function storeError(reason: StoreLoadFailure, message: string): ZsError {
  return new ZsError("CONFIGURATION_ERROR", message, { reason });
}

function isStoreDefinitionShape(value: unknown): value is StoreDefinition<unknown> {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string, unknown>;
  const schema = candidate.optionsSchema as { safeParse?: unknown } | undefined;
  return (
    typeof candidate.apiVersion === "number" &&
    typeof candidate.type === "string" &&
    typeof schema?.safeParse === "function" &&
    typeof candidate.create === "function"
  );
}

/**
 * Maps a store type to its definition: built-in types through lazy loaders the app
 * registers (core imports no store), anything else as a module specifier — a package name
 * or a path — resolved from the configuration's directory.
 */
export class StoreRegistry {
  private readonly builtins = new Map<string, StoreLoader>([["none", async () => noneStore]]);

  constructor(builtins: Record<string, StoreLoader> = {}) {
    for (const [type, loader] of Object.entries(builtins)) this.builtins.set(type, loader);
  }

  /** The built-in type names. */
  get builtinTypes(): string[] {
    return [...this.builtins.keys()];
  }

  /** Finds the definition for `type`, importing its module only now. */
  async load(type: string, configDir: string): Promise<StoreDefinition<unknown>> {
    const builtin = this.builtins.get(type);
    if (builtin) return builtin();
    return loadCustomStore(type, configDir);
  }

  /**
   * Loads the store, validates `options` against its schema (every problem listed) and
   * creates it. `settingPrefix` names where the options come from, for the messages.
   */
  async create(
    type: string,
    options: Record<string, unknown>,
    context: StoreContext,
    settingPrefix = "ZS_SECRETS_STORE_",
  ): Promise<SecretValuesStore> {
    const definition = await this.load(type, context.configDir);
    const parsed = definition.optionsSchema.safeParse(options);
    if (!parsed.success) {
      throw storeError(
        "invalid_options",
        `Invalid options for values store '${type}': ${describeIssues(parsed.error.issues)}. ${allowedOptions(definition)} ` +
          `Options are set with ${settingPrefix}<OPTION>.`,
      );
    }
    return definition.create(parsed.data, context);
  }
}

/** Names the options an object schema allows, so a typo's fix is in the message. */
function allowedOptions(definition: StoreDefinition<unknown>): string {
  const shape = (definition.optionsSchema as { shape?: Record<string, unknown> }).shape;
  if (!shape) return "";
  const names = Object.keys(shape);
  return names.length === 0 ? `The '${definition.type}' store takes no options.` : `Allowed options: ${names.join(", ")}.`;
}

async function loadCustomStore(specifier: string, configDir: string): Promise<StoreDefinition<unknown>> {
  const requireFromConfig = createRequire(path.join(path.resolve(configDir), "noop.js"));
  let resolved: string;
  try {
    resolved = requireFromConfig.resolve(specifier);
  } catch {
    throw storeError(
      "not_installed",
      `Values store '${specifier}' is neither a built-in type nor a module that can be found from ${configDir}; ` +
        "install the package there or give a path to the module.",
    );
  }
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(pathToFileURL(resolved).href)) as Record<string, unknown>;
  } catch (error) {
    throw storeError(
      "not_loadable",
      `Values store module '${specifier}' (${resolved}) failed to load: ${(error as Error).message}`,
    );
  }
  // A CommonJS module imported from ESM arrives as `default`, sometimes nested once more.
  const candidates = [loaded.default, (loaded.default as Record<string, unknown> | undefined)?.default, loaded];
  const definition = candidates.find(isStoreDefinitionShape);
  if (!definition) {
    throw storeError(
      "not_a_store",
      `Module '${specifier}' is not a zs values store: its default export must be a store definition ` +
        "({ apiVersion, type, optionsSchema, create }) made with defineStore.",
    );
  }
  if (definition.apiVersion !== STORE_API_VERSION) {
    throw storeError(
      "incompatible_api_version",
      `Values store '${specifier}' implements store API version ${definition.apiVersion}; this zs supports version ${STORE_API_VERSION}.`,
    );
  }
  return definition;
}
