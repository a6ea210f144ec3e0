import type { SecretValuesStore, VersionedWrite } from "../stores/values-store.js";

/** How many earlier value versions per secret stay readable unless `ZS_HISTORY_MAX_VERSIONS` says otherwise. */
export const DEFAULT_HISTORY_MAX_VERSIONS = 10;

/** The most `ZS_HISTORY_MAX_VERSIONS` may be: more would make every write of a busy secret prune a long tail. */
export const MAX_HISTORY_MAX_VERSIONS = 1000;

/**
 * What a write that makes `version` tells `store` about versions: the `VersionedWrite` for a
 * store declaring `versioned`, nothing for one without (it keeps no version, and is not asked to).
 */
export function versionedWriteFor(store: SecretValuesStore, version: number, keep: number): VersionedWrite | undefined {
  return store.capabilities.versioned === true ? { version, keep } : undefined;
}
