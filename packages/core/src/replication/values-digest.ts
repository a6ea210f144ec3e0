import { createHash } from "node:crypto";
import type { SecretValues } from "../secrets/secret-schema.js";

/**
 * The SHA-256 (hex) of a values map's canonical JSON: keys in code-unit order, no spaces. Two
 * stores hold the same values exactly when their digests are equal, whatever order each keeps
 * the keys in.
 */
export function valuesDigest(values: SecretValues): string {
  const canonical = Object.fromEntries(Object.keys(values).sort().map((key) => [key, values[key]]));
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}
