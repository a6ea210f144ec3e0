import { ZsError, diffKeys, hasErrorCode, type Caller, type KeyDiff, type Lookup, type SecretValues } from "@zs/core";
import type { SecretsApi } from "./secrets-api.js";

/** Which versions `Client.diffSecret` compares. */
export interface DiffOptions {
  /** The older side; 0 means no values at all (before creation). @default `to - 1` */
  from?: number;
  /** The newer side. @default the current version */
  to?: number;
  /** Also answer both sides' values of the keys that differ. @default false */
  withValues?: boolean;
}

/** How two versions of a secret differ, by key name; values only when asked for. */
export interface SecretDiff extends KeyDiff {
  id: string;
  name: string;
  from: number;
  to: number;
  /** With `withValues`: each differing key's value on each side (absent on the side without the key). */
  values?: Record<string, { from?: string; to?: string }>;
}

/**
 * Compares the values of two versions of a secret. Without values asked for, two consecutive
 * versions are compared from the newer one's history entry when their values are not kept (a
 * store without the versioned capability, or pruned): the entry names the keys it changed.
 */
export async function diffSecret(api: SecretsApi, caller: Caller, nameOrId: string, options: DiffOptions, lookup: Lookup): Promise<SecretDiff> {
  const secret = await api.findSecret(caller, nameOrId, lookup);
  const at = { workspace: secret.workspace };
  const to = options.to ?? secret.version;
  const from = options.from ?? to - 1;
  for (const [flag, version] of [["to", to], ["from", from]] as const) {
    if (!Number.isSafeInteger(version) || version < (flag === "from" ? 0 : 1)) {
      throw new ZsError("VALIDATION_ERROR", `Invalid ${flag} version: must be a whole number from ${flag === "from" ? 0 : 1}.`);
    }
  }
  const read = async (version: number): Promise<SecretValues> => (version === 0 ? {} : (await api.getSecretVersion(caller, secret.id, version, at)).values);
  let before: SecretValues;
  let after: SecretValues;
  try {
    [before, after] = [await read(from), await read(to)];
  } catch (error) {
    if (!hasErrorCode(error, "HISTORY_UNAVAILABLE") || options.withValues || to !== from + 1) throw error;
    // Entries run from the current version down without gaps, so version `to` is on this page of one.
    const page = await api.listSecretHistory(caller, secret.id, { page: secret.version - to + 1, size: 1 }, at).catch(() => undefined);
    const entry = page?.items[0];
    if (entry?.version !== to) throw error;
    return { id: secret.id, name: secret.name, from, to, added: entry.keysAdded, removed: entry.keysRemoved, changed: entry.keysChanged };
  }
  const diff: SecretDiff = { id: secret.id, name: secret.name, from, to, ...diffKeys(before, after) };
  if (options.withValues) {
    diff.values = {};
    for (const key of [...diff.added, ...diff.removed, ...diff.changed].sort()) {
      diff.values[key] = { ...(Object.hasOwn(before, key) ? { from: before[key] } : {}), ...(Object.hasOwn(after, key) ? { to: after[key] } : {}) };
    }
  }
  return diff;
}
