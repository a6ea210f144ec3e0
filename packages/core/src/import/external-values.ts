import { inputExcerpt } from "../input-excerpt.js";
import { isValidKey } from "../names.js";
import type { SecretValues } from "../secrets/secret-schema.js";
import type { ExternalValue } from "./import-source.js";

/** The values an external secret becomes, or why it cannot be imported. Never quotes a value. */
export type ValuesConversion = { values: SecretValues } | { problem: string };

/** The key a value that is not a JSON object is imported under. */
export const PLAIN_VALUE_KEY = "value";

/** How many invalid keys a problem names. */
const LISTED_KEYS = 5;

/**
 * A read external secret as zs values: a map's entries (or a JSON object's, when the text is
 * one) become keys, non-string values their JSON text (nested objects too); any other text
 * becomes the key `value`. Binary data, an empty object, and keys zs cannot hold are problems.
 */
export function secretValuesOf(value: Exclude<ExternalValue, { kind: "skip" }>): ValuesConversion {
  switch (value.kind) {
    case "binary":
      return { problem: `${value.description}: zs secrets hold text only` };
    case "map":
      return valuesOfMap(value.map);
    case "text": {
      const object = jsonObjectIn(value.text);
      return object ? valuesOfMap(object) : { values: { [PLAIN_VALUE_KEY]: value.text } };
    }
  }
}

/** The object `text` holds as JSON, or `undefined` for any other text (the parser's message quotes the text: never shown). */
function jsonObjectIn(text: string): Record<string, unknown> | undefined {
  if (!text.trimStart().startsWith("{")) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function valuesOfMap(map: Record<string, unknown>): ValuesConversion {
  const keys = Object.keys(map);
  if (keys.length === 0) return { problem: "an empty object: no keys to import" };
  const invalid = keys.filter((key) => !isValidKey(key));
  if (invalid.length > 0) {
    const listed = invalid.slice(0, LISTED_KEYS).map((key) => `'${inputExcerpt(key)}'`);
    const more = invalid.length > LISTED_KEYS ? ` and ${invalid.length - LISTED_KEYS} more` : "";
    return {
      problem:
        `key${invalid.length > 1 ? "s" : ""} ${listed.join(", ")}${more} cannot be zs keys ` +
        "(a key starts with a letter or '_', then letters, digits, '_', '-' or '.')",
    };
  }
  // fromEntries keeps `__proto__`-like keys as data; isValidKey has refused `__proto__` itself.
  return { values: Object.fromEntries(keys.map((key) => [key, textOf(map[key])])) };
}

function textOf(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
}
