import { ZsError } from "../errors.js";
import type { SecretValues, SecretValuesPatch } from "./secret-schema.js";

/**
 * The merge patch of an update that sets `set` and removes `remove`, as the CLI's
 * `--remove-keys` means it (model.md): removing a key the secret does not have, or a key
 * also being set, is a `VALIDATION_ERROR` — unlike a bare `null`, which ignores missing keys.
 */
export function removalPatch(secretName: string, currentKeys: readonly string[], set: SecretValues, remove: readonly string[]): SecretValuesPatch {
  const patch: SecretValuesPatch = { ...set };
  for (const key of remove) {
    if (Object.hasOwn(set, key)) {
      throw new ZsError("VALIDATION_ERROR", `Key '${key}' of secret '${secretName}' cannot be both set and removed.`);
    }
    if (!currentKeys.includes(key)) {
      throw new ZsError("VALIDATION_ERROR", `Cannot remove key '${key}' from secret '${secretName}': no such key.`);
    }
    patch[key] = null;
  }
  return patch;
}
