import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import { ZsError } from "./errors.js";
import type { SecretValues } from "./secret-schema.js";
import { assertValuesFit, type ValueSizeLimit } from "./secret-size.js";

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * What a cloud store keeps in one backend object: the values map plus the deployment that
 * owns it, so a single read both fetches the values and checks ownership (tags or labels
 * would take a second call). Written as JSON: `{"zs-deployment":"<id>","values":{…}}`.
 */
export interface StoredDocument {
  "zs-deployment": string;
  values: SecretValues;
}

/** How a backend holds the JSON a store writes: its size limit, and what compressed data travels as. */
export interface StoredJsonFormat extends ValueSizeLimit {
  /**
   * `bytes` where the backend takes binary data (the gzip data is stored as it is); `base64`
   * where it takes text only (the gzip data is stored base64-encoded, and that text is what
   * must fit `maxBytes`).
   */
  compressedAs: "bytes" | "base64";
}

/**
 * JSON as a store writes it: the UTF-8 text when it fits the backend's limit, else its gzip
 * compression (how the data is stored, and told apart from text on reading, is the store's).
 */
export type EncodedJson = { compressed: false; text: string } | { compressed: true; data: Uint8Array };

/** A values map: an object, not an array, whose every value is a string. */
export function isValuesMap(value: unknown): value is SecretValues {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === "string");
}

/** A `StoredDocument`, as parsed from JSON someone (zs or not) wrote. */
export function isStoredDocument(value: unknown): value is StoredDocument {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate["zs-deployment"] === "string" && isValuesMap(candidate.values);
}

/**
 * The stored document as the backend will hold it, refusing with `SECRET_TOO_LARGE` values
 * over the limit and JSON that does not fit even compressed; it makes no backend call.
 */
export function encodeStoredDocument(document: StoredDocument, format: StoredJsonFormat): Promise<EncodedJson> {
  return encodeWithinLimit(document.values, document, format);
}

/** A bare values map (ownership kept elsewhere, e.g. in tags) as the backend will hold it, refused as `encodeStoredDocument` refuses. */
export function encodeStoredValues(values: SecretValues, format: StoredJsonFormat): Promise<EncodedJson> {
  return encodeWithinLimit(values, values, format);
}

/**
 * The values of a stored document written by `deploymentId`; `undefined` for another
 * deployment's document, and for anything zs did not write (not JSON, not gzip, another shape).
 */
export async function decodeStoredDocument(encoded: EncodedJson, deploymentId: string): Promise<SecretValues | undefined> {
  const document = await decodeJson(encoded);
  if (!isStoredDocument(document) || document["zs-deployment"] !== deploymentId) return undefined;
  return { ...document.values };
}

/** The bare values map stored; `undefined` for anything zs did not write. */
export async function decodeStoredValues(encoded: EncodedJson): Promise<SecretValues | undefined> {
  const values = await decodeJson(encoded);
  return isValuesMap(values) ? { ...values } : undefined;
}

async function encodeWithinLimit(values: SecretValues, payload: unknown, format: StoredJsonFormat): Promise<EncodedJson> {
  const bytes = assertValuesFit(values, format);
  const text = JSON.stringify(payload);
  if (Buffer.byteLength(text) <= format.maxBytes) return { compressed: false, text };
  // JSON escaping can make a value six times longer (a control character becomes \u0001).
  const data = await gzipAsync(Buffer.from(text, "utf8"));
  // Base64 turns every 3 bytes, the last ones padded, into 4 characters.
  const stored = format.compressedAs === "base64" ? 4 * Math.ceil(data.length / 3) : data.length;
  if (stored > format.maxBytes) {
    throw new ZsError(
      "SECRET_TOO_LARGE",
      `${format.store}: the values (${bytes} bytes) do not fit ${format.holder} (${format.maxBytes} bytes) even compressed.`,
    );
  }
  return { compressed: true, data };
}

/** The parsed JSON, or `undefined` when the data is neither JSON text nor gzipped JSON. */
async function decodeJson(encoded: EncodedJson): Promise<unknown> {
  try {
    return JSON.parse(encoded.compressed ? (await gunzipAsync(encoded.data)).toString("utf8") : encoded.text);
  } catch {
    return undefined;
  }
}
