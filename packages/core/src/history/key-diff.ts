import type { SecretValues } from "../secrets/secret-schema.js";

/** How two values maps differ, by key name only: never a value. */
export interface KeyDiff {
  /** Keys in `after` only, sorted. */
  added: string[];
  /** Keys in `before` only, sorted. */
  removed: string[];
  /** Keys in both whose values differ, sorted. */
  changed: string[];
}

/** The key names `after` adds, removes and changes relative to `before`. */
export function diffKeys(before: SecretValues, after: SecretValues): KeyDiff {
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  for (const key of Object.keys(after)) {
    if (!Object.hasOwn(before, key)) added.push(key);
    else if (before[key] !== after[key]) changed.push(key);
  }
  for (const key of Object.keys(before)) if (!Object.hasOwn(after, key)) removed.push(key);
  return { added: added.sort(), removed: removed.sort(), changed: changed.sort() };
}

/** True when the diff changes nothing. */
export function isEmptyDiff(diff: KeyDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0;
}
