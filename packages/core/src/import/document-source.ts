import { ZsError } from "../errors.js";
import { inputExcerpt } from "../input-excerpt.js";
import type { ImportSource } from "./import-source.js";

/** A map of values, as a document holds one secret's. */
export type DocumentValues = Record<string, unknown>;

/** What a document (a parsed JSON or YAML file) holds: maps, one secret each, or one flat map of values. */
export type DocumentSecrets = { kind: "secrets"; secrets: Map<string, DocumentValues> } | { kind: "values"; values: DocumentValues };

const isMap = (value: unknown): value is DocumentValues => typeof value === "object" && value !== null && !Array.isArray(value);

/** How many names a message lists. */
const LISTED_NAMES = 5;
const listNames = (names: string[]) =>
  names
    .slice(0, LISTED_NAMES)
    .map((name) => `'${inputExcerpt(name)}'`)
    .join(", ") + (names.length > LISTED_NAMES ? ", …" : "");

/**
 * Tells what `document` holds: a map whose every value is a map (one secret per top-level
 * key), or a map of which no value is a map (the values of one secret, to be named by the
 * caller). Anything else, an empty map or a mix of both, is a `VALIDATION_ERROR` naming `what`.
 */
export function documentSecrets(document: unknown, what: string): DocumentSecrets {
  if (!isMap(document)) {
    throw new ZsError("VALIDATION_ERROR", `${what} must be a mapping: of secret names to maps of keys and values, or of keys to values (one secret).`);
  }
  const names = Object.keys(document);
  if (names.length === 0) throw new ZsError("VALIDATION_ERROR", `${what} holds nothing to import.`);
  const maps = names.filter((name) => isMap(document[name]));
  if (maps.length === names.length) return { kind: "secrets", secrets: new Map(maps.map((name) => [name, document[name] as DocumentValues])) };
  if (maps.length === 0) return { kind: "values", values: document };
  const plain = names.filter((name) => !isMap(document[name]));
  throw new ZsError(
    "VALIDATION_ERROR",
    `${what} mixes maps (one secret each: ${listNames(maps)}) with plain values (${listNames(plain)}); it must hold one or the other.`,
  );
}

/** An import source over secrets already in memory (read from a file): each name with its map of values. */
export function documentImportSource(secrets: ReadonlyMap<string, DocumentValues>): ImportSource {
  return {
    async list() {
      return [...secrets.keys()].map((externalName) => ({ externalName }));
    },
    async read(externalName) {
      return { kind: "map", map: secrets.get(externalName) ?? {} };
    },
    async close() {},
  };
}
