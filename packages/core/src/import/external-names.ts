import { inputExcerpt } from "../input-excerpt.js";
import { LIMITS } from "../limits.js";
import { isUuid } from "../names.js";

/** The zs secret name an external name becomes, or why it has none. */
export type NameMapping = { name: string } | { problem: string };

/** Printable ASCII (space included): each such character a secret name cannot hold becomes `_`. */
const PRINTABLE_ASCII = /^[\x20-\x7e]$/;
const NOT_IN_NAMES = /[^A-Za-z0-9_-]/g;

/**
 * The secret name for `externalName` (which starts with `prefix`): the prefix and any leading
 * or trailing `/` taken off, then every printable ASCII character a name cannot hold (`/`,
 * `.`, `@`, `+`, `=`, `:`, a space, …) replaced by `_`, so `prod/db.main` becomes
 * `prod_db_main`. Anything else (a non-ASCII letter, a control character) has no stand-in:
 * such a name is a problem, not guessed at; so is one left empty, too long, or a UUID.
 */
export function secretNameFor(externalName: string, prefix = ""): NameMapping {
  const rest = externalName.slice(prefix.length).replace(/^\/+|\/+$/g, "");
  if (rest === "") return { problem: "nothing is left of the name once the prefix and slashes are taken off" };
  const unmappable = [...new Set([...rest].filter((character) => !PRINTABLE_ASCII.test(character)))];
  if (unmappable.length > 0) {
    const codes = unmappable.slice(0, 5).map((character) => `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`);
    return { problem: `it holds characters a secret name cannot (A-Z a-z 0-9 _ -) and that have no stand-in: ${codes.join(", ")}${unmappable.length > 5 ? ", …" : ""}` };
  }
  const name = rest.replace(NOT_IN_NAMES, "_");
  if (name.length > LIMITS.maxNameLength) return { problem: `'${inputExcerpt(name)}' is longer than ${LIMITS.maxNameLength} characters` };
  if (isUuid(name)) return { problem: `'${name}' is a UUID, which a secret name cannot be` };
  return { name };
}
