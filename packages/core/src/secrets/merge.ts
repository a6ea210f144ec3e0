import type { SecretValues, SecretValuesPatch } from "./secret-schema.js";

/**
 * Merge-on-update: a string adds or overwrites its key, `null` removes it (a missing key is
 * a silent no-op), keys not mentioned are kept. Returns a new map; neither input changes.
 */
export function mergeValues(current: SecretValues, patch: SecretValuesPatch): SecretValues {
  const merged: SecretValues = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/** The sorted key names of a values map: what a secret's metadata records. */
export function keysOf(values: SecretValues): string[] {
  return Object.keys(values).sort();
}
