import { ZsError } from "../errors.js";
import { LIMITS } from "../limits.js";
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

/** A values store's limit on one secret's values, and how its messages name it. */
export interface ValueSizeLimit {
  /** The store's type, which starts its messages: `aws`. */
  store: string;
  /** Most bytes one secret's values may take: the store's `capabilities.maxValueBytes`. */
  maxBytes: number;
  /** What holds one secret's values, as messages name it: `one Secrets Manager secret`. */
  holder: string;
  /** The limit as the backend's documentation states it, added to the message: `25 KB`. @default none */
  documentedAs?: string;
}

/**
 * Refuses a values map over a store's limit with `SECRET_TOO_LARGE`, so a store can check
 * before any backend call; returns the map's size (keys plus values, UTF-8 bytes).
 */
export function assertValuesFit(values: SecretValues, limit: ValueSizeLimit): number {
  const bytes = secretSizeInBytes(values);
  if (bytes > limit.maxBytes) {
    const documented = limit.documentedAs ? ` (${limit.documentedAs})` : "";
    throw new ZsError(
      "SECRET_TOO_LARGE",
      `${limit.store}: the values are ${bytes} bytes (keys and values, UTF-8); ${limit.holder} holds at most ${limit.maxBytes}${documented}.`,
    );
  }
  return bytes;
}
