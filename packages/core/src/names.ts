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

/** The UUID rule as JSON Schema (a name must not match it), for the OpenAPI document. */
const UUID_JSON_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

// The rules are spelled as zod checks (length, pattern) rather than one refinement so that the
// OpenAPI document, generated from these schemas, carries them; `abort` keeps one message per value.

/** A secret, workspace or user name. */
export const nameSchema = z
  .string()
  .min(1, { error: NAME_RULE, abort: true })
  .max(LIMITS.maxNameLength, { error: NAME_RULE, abort: true })
  .regex(NAME_PATTERN, { error: NAME_RULE, abort: true })
  .refine((value) => !isUuid(value), { error: NAME_RULE })
  .meta({ not: { pattern: UUID_JSON_PATTERN } });

/** A string following the key rule (`isValidKey`); `message` says what is wrong with an input. */
export function keyRuleSchema(message: (input: string) => string) {
  const error = (issue: { input: unknown }) => message(String(issue.input));
  return z
    .string()
    .min(1, { error, abort: true })
    .max(LIMITS.maxNameLength, { error, abort: true })
    .regex(KEY_PATTERN, { error, abort: true })
    .refine((value) => value !== "__proto__", { error })
    .meta({ not: { const: "__proto__" } });
}

/** A key of a secret's values. */
export const keySchema = keyRuleSchema((input) => `invalid key '${inputExcerpt(input)}': ${KEY_RULE}`);
