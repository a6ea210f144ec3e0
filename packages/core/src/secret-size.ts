import { ZsError } from "./errors.js";
import { LIMITS } from "./limits.js";
import type { SecretValues } from "./secret-schema.js";

/** Keys plus values of a secret, in UTF-8 bytes: the measure of model.md's size limit. */
export function secretSizeInBytes(values: SecretValues): number {
  let bytes = 0;
  for (const [key, value] of Object.entries(values)) bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  return bytes;
}

/** Throws `SECRET_TOO_LARGE` when a values map breaks a limit of model.md. */
export function assertSecretSize(values: SecretValues, secretName: string): void {
  const keyCount = Object.keys(values).length;
  if (keyCount > LIMITS.maxKeys) {
    throw new ZsError("SECRET_TOO_LARGE", `Secret '${secretName}' would have ${keyCount} keys; the limit is ${LIMITS.maxKeys}.`);
  }
  const bytes = secretSizeInBytes(values);
  if (bytes > LIMITS.maxSecretBytes) {
    throw new ZsError(
      "SECRET_TOO_LARGE",
      `Secret '${secretName}' would be ${bytes} bytes (keys and values, UTF-8); the limit is ${LIMITS.maxSecretBytes}.`,
    );
  }
}
