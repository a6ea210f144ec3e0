import { ZsError } from "../errors.js";
import type { SecretMetadata } from "../secrets/secret-schema.js";
import type { SecretValuesStore } from "../stores/values-store.js";
import type { HistoryReader } from "./history-repository.js";

/** Where the values of one version of a secret are: the current values, or a version the values store kept. */
export type VersionValuesSource = { kind: "current" } | { kind: "kept"; backendVersion: string; writtenAt: number };

/** `NOT_FOUND` for a version the secret never had. */
export function versionNotFound(secret: Pick<SecretMetadata, "name" | "version">, version: number): ZsError {
  return new ZsError(
    "NOT_FOUND",
    `Secret '${secret.name}' has no version ${version}: its versions are 1 to ${secret.version}.`,
    { version: secret.version, reason: "no_such_version" },
  );
}

/** `HISTORY_UNAVAILABLE`: the history knows the version, but its values are not kept. */
export function historyUnavailable(secret: Pick<SecretMetadata, "name">, version: number, why: string, reason: string): ZsError {
  return new ZsError("HISTORY_UNAVAILABLE", `The values of version ${version} of secret '${secret.name}' are not available: ${why}`, { reason });
}

/**
 * Finds where the values of `version` of `secret` are (lifecycle.md "Versions and history"):
 * - the current version, and any later-renamed or rescoped version whose values no later
 *   version changed: the current values, on every store;
 * - otherwise the values the newest version at or before it wrote, if the values store kept
 *   them (`backendVersion`).
 * Throws `NOT_FOUND` for a version outside 1..current, `HISTORY_UNAVAILABLE` when the values
 * were not kept (a store without the capability, or a version older than the history). A kept
 * version the store has since pruned is found out by reading it (`undefined`).
 */
export async function locateVersionValues(
  history: HistoryReader,
  secret: Pick<SecretMetadata, "id" | "name" | "version">,
  version: number,
  store: Pick<SecretValuesStore, "type" | "capabilities">,
): Promise<VersionValuesSource> {
  if (version > secret.version) throw versionNotFound(secret, version);
  if (version === secret.version) return { kind: "current" };
  const entry = await history.findEntry(secret.id, version);
  if (!entry) {
    throw historyUnavailable(secret, version, "zs began keeping this secret's history after that version.", "before_history");
  }
  const newestWrite = await history.latestValuesWrite(secret.id);
  if (!newestWrite || newestWrite.version <= version) return { kind: "current" };
  const write = entry.valuesWritten ? entry : await history.latestValuesWrite(secret.id, version);
  if (!write) {
    throw historyUnavailable(secret, version, "zs began keeping this secret's history after its values were written.", "before_history");
  }
  if (write.valuesMoved) {
    throw historyUnavailable(
      secret,
      version,
      `they were written before the values moved to the '${store.type}' values store (zs secret migrate), which received only the versions the old store still kept within ZS_HISTORY_MAX_VERSIONS.`,
      "migrated",
    );
  }
  if (write.backendVersion === undefined && store.capabilities.versioned !== true) {
    throw historyUnavailable(secret, version, `the '${store.type}' values store keeps no earlier values (it lacks the versioned capability).`, "not_versioned");
  }
  if (write.backendVersion === undefined) {
    throw historyUnavailable(secret, version, `the '${store.type}' values store gave no version of them to keep.`, "not_kept");
  }
  return { kind: "kept", backendVersion: write.backendVersion, writtenAt: write.version };
}

/** `HISTORY_UNAVAILABLE` for values the store has pruned under retention. */
export function versionPruned(secret: Pick<SecretMetadata, "name">, version: number, keep: number): ZsError {
  return historyUnavailable(
    secret,
    version,
    `they were pruned; zs keeps the last ${keep} earlier value version${keep === 1 ? "" : "s"} of each secret (ZS_HISTORY_MAX_VERSIONS).`,
    "pruned",
  );
}
