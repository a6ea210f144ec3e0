import { findReferences } from "../references/reference-parser.js";

/**
 * The references (`secret.key`) in `texts`, sorted and once each: what a resolution read, for
 * its audit event. A malformed text is skipped (the call itself reports it).
 */
export function referencedKeys(texts: readonly string[]): string[] {
  const keys = new Set<string>();
  for (const text of texts) {
    try {
      for (const reference of findReferences(text)) keys.add(`${reference.name}.${reference.key}`);
    } catch {
      // The call fails with its own error; the event lists what parsed.
    }
  }
  return [...keys].sort();
}
