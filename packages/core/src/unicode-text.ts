import * as z from "zod";

/** A UTF-16 surrogate that is not half of a pair. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * True when `value` is valid Unicode: no lone surrogate, which has no UTF-8 form (drivers and
 * cloud SDKs would silently store U+FFFD instead, so what is read back would differ).
 */
export function isWellFormedText(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}

/**
 * A stored text value (a secret's value, a component's attribute): any valid Unicode string,
 * `""` included. The rule is named, never the value.
 */
export const textValueSchema = z.string().refine(isWellFormedText, {
  error: "must be valid Unicode text (it holds a lone surrogate, e.g. \\ud800)",
});
