import type { z } from "zod";
import type { SecretValues } from "./secret-schema.js";

/** What a values store promises; the conformance suite checks each declared capability. */
export interface ValuesStoreCapabilities {
  /** Largest values map it accepts, in UTF-8 bytes of keys plus values; larger puts throw `SECRET_TOO_LARGE`. */
  maxValueBytes: number;
  /** The backend keeps earlier versions of a value. @default false */
  versioned?: boolean;
  /** The backend's writes are check-and-set. @default false */
  compareAndSet?: boolean;
}

/**
 * A values store: values maps kept under a secret id, nothing else. It never validates names,
 * merges values or resolves scopes; `@zs/core` does.
 */
export interface SecretValuesStore {
  readonly type: string;
  readonly capabilities: ValuesStoreCapabilities;
  /** Creates or overwrites the values of `secretId`. */
  putValues(secretId: string, values: SecretValues): Promise<void>;
  /** The values of `secretId`, or `undefined` when it has none. */
  getValues(secretId: string): Promise<SecretValues | undefined>;
  /** Deletes the values of `secretId`; `false` when there were none. */
  deleteValues(secretId: string): Promise<boolean>;
  /** Health check: throws `BACKEND_UNAVAILABLE` with a reason. */
  check?(): Promise<void>;
  /** Releases connections; calling it twice is harmless. */
  close?(): Promise<void>;
}

/** Structured logger a store may write to (pino's shape). Never pass it a value. */
export interface Logger {
  debug(object: Record<string, unknown>, message?: string): void;
  info(object: Record<string, unknown>, message?: string): void;
  warn(object: Record<string, unknown>, message?: string): void;
  error(object: Record<string, unknown>, message?: string): void;
}

/** What a store's `create` is given besides its options. */
export interface StoreContext {
  /** A UUID created with the database; tag backend objects with it. */
  deploymentId: string;
  logger: Logger;
  /** Directory of the configuration, for resolving relative paths in options. */
  configDir: string;
}

/** The values-store plugin API version this core implements. */
export const STORE_API_VERSION = 1;

/** A values-store plugin: the default export of a store package. */
export interface StoreDefinition<O = unknown> {
  apiVersion: typeof STORE_API_VERSION;
  /** The store's type name, e.g. `aws`. */
  type: string;
  /** Validates the options (every issue is reported) before `create` is called. */
  optionsSchema: z.ZodType<O>;
  create(options: O, context: StoreContext): Promise<SecretValuesStore>;
}

/** Declares a values store; returns the definition unchanged, typed. */
export function defineStore<O>(definition: StoreDefinition<O>): StoreDefinition<O> {
  return definition;
}

/** A logger that drops everything: the default where none is given. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
