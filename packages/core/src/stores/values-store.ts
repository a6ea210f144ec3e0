import type { z } from "zod";
import type { SecretValues } from "../secrets/secret-schema.js";

/** What a values store promises; the conformance suite checks each declared capability. */
export interface ValuesStoreCapabilities {
  /** Largest values map it accepts, in UTF-8 bytes of keys plus values; larger puts throw `SECRET_TOO_LARGE`. */
  maxValueBytes: number;
  /**
   * The store keeps earlier values readable (lifecycle.md "Versions and history"): a put given a
   * `VersionedWrite` returns a `backendVersion` that `getValues(id, { backendVersion })` reads
   * back until retention prunes it. Without it, history keeps key names only and reading an old
   * version is `HISTORY_UNAVAILABLE`. @default false
   */
  versioned?: boolean;
  /** The backend's writes are check-and-set. @default false */
  compareAndSet?: boolean;
  /**
   * The store keeps each secret's values in the metadata database itself (the `sql` store), so
   * that a lookup can read their stored form in its own query (`SecretReadOptions`) and hand it
   * to `getValues` (`GetValuesHint`): one database round trip per get instead of two.
   * @default false
   */
  storedWithMetadata?: boolean;
}

/** What the caller of `getValues` already read, given only to a store declaring `storedWithMetadata`. */
export interface GetValuesHint {
  /**
   * The secret's values in the form the store stored them (`FoundSecret.storedValues`), read
   * from the metadata database with the secret's metadata; `null` when none were there. The
   * store decodes these instead of reading again.
   */
  stored: string | null;
}

/** Reads the values a versioned store kept under `backendVersion` (`PutValuesResult`). */
export interface VersionRead {
  backendVersion: string;
}

/** What `getValues` may be given: the stored form (`storedWithMetadata`) or an earlier version (`versioned`). */
export type GetValuesOptions = GetValuesHint | VersionRead;

/**
 * What a write tells a store declaring `versioned`: which version of the secret it makes, and
 * how many earlier value versions must stay readable. A store without the capability ignores it.
 */
export interface VersionedWrite {
  /** The secret's version counter once this write is done (history's `version`; AWS labels it `zs-v<version>`). */
  version: number;
  /**
   * How many earlier value versions stay readable besides the one written (`ZS_HISTORY_MAX_VERSIONS`;
   * 0 keeps none): older ones are pruned from the backend in this same write.
   */
  keep: number;
}

/** What a `putValues` answers: a versioned store's id of the values just written. */
export interface PutValuesResult {
  /** Opaque to core; kept in the history entry and handed back to `getValues` to read these values. */
  backendVersion?: string;
}

/**
 * What the caller of `putValues` knows about the secret id, so that a store may spare a
 * backend call. A store may use it only to save calls, and must stay correct when it turns out
 * wrong: fall back to what it does without a hint, never lose values, never touch another
 * deployment's object. A store that ignores it conforms.
 */
export interface PutValuesHint {
  /**
   * `true`: the caller has just created the secret with a fresh id, so no values were ever
   * written under it by this deployment; the store may try a create-only write first (and
   * must fall back when the object exists after all, e.g. a retried put or a deleted and
   * re-created id).
   *
   * `false`: the caller read this id's values with this same store's `getValues` earlier in
   * the same operation and got a values map, so the object existed then and, as far as that
   * `getValues` checks ownership (if it does; the built-in cloud stores' reads do not, so they
   * check before every write), it is this deployment's; the store may skip checking that
   * again. It must still cope with the object having been deleted since (or never written,
   * when the promise is broken that way).
   * Do not pass `false` without that read: give no hint instead.
   */
  isNew: boolean;
}

/**
 * A values store: values maps kept under a secret id, nothing else. It never validates names,
 * merges values or resolves scopes; `@zs/core` does.
 */
export interface SecretValuesStore {
  readonly type: string;
  readonly capabilities: ValuesStoreCapabilities;
  /**
   * Creates or overwrites the values of `secretId`. `hint` says whether the caller knows the
   * id to be new or existing; without it (a backup copy, a migration, a direct caller) nothing
   * is known. The hint may only save backend calls: the outcome is the same with or without
   * it, and when it is wrong. @default no hint
   *
   * `versioned` (given only to stores declaring `versioned`): the secret's version and retention;
   * the store keeps these values readable under the `backendVersion` it returns and prunes
   * earlier ones beyond `keep`. Without it (a backup copy, a migration) the store need keep no
   * version. @default none
   */
  putValues(secretId: string, values: SecretValues, hint?: PutValuesHint, versioned?: VersionedWrite): Promise<PutValuesResult | void>;
  /**
   * The values of `secretId`, or `undefined` when it has none. With a `GetValuesHint` (stores
   * declaring `storedWithMetadata` only), from the stored form it carries; with a `VersionRead`
   * (stores declaring `versioned` only), the values written under that backend version, or
   * `undefined` when that version was pruned. @default the current values
   */
  getValues(secretId: string, options?: GetValuesOptions): Promise<SecretValues | undefined>;
  /** Deletes the values of `secretId`, every kept version with them; `false` when there were none. */
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
