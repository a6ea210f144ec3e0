import * as z from "zod";
import { inputExcerpt } from "./input-excerpt.js";
import { LIMITS } from "./limits.js";

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NAME_PATTERN = /^[A-Za-z0-9_-]+$/;
const KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** True for a UUID in its canonical 8-4-4-4-12 form (any case). */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** True for a secret, workspace or user name: 1–255 of `A-Z a-z 0-9 _ -`, not a UUID. */
export function isValidName(value: string): boolean {
  return value.length <= LIMITS.maxNameLength && NAME_PATTERN.test(value) && !isUuid(value);
}

/**
 * True for a key: 1–255 chars, a letter or `_` first, then letters, digits, `_`, `-`, `.`.
 * `__proto__` is refused: JavaScript objects cannot hold it as an ordinary key.
 */
export function isValidKey(value: string): boolean {
  return value.length <= LIMITS.maxNameLength && KEY_PATTERN.test(value) && value !== "__proto__";
}

const NAME_RULE = `must be 1-${LIMITS.maxNameLength} characters of A-Z a-z 0-9 _ - and not a UUID`;
const KEY_RULE = `must be 1-${LIMITS.maxNameLength} characters, start with a letter or '_', then letters, digits, '_', '-' or '.' (and not __proto__)`;

/** A secret, workspace or user name. */
export const nameSchema = z.string().refine(isValidName, { error: NAME_RULE });

/** A key of a secret's values. */
export const keySchema = z.string().refine(isValidKey, {
  error: (issue) => `invalid key '${inputExcerpt(String(issue.input))}': ${KEY_RULE}`,
});
