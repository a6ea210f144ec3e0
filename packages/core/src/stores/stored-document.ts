import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import { ZsError } from "../errors.js";
import type { SecretValues } from "../secrets/secret-schema.js";
import { assertValuesFit, type ValueSizeLimit } from "../secrets/secret-size.js";

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

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

/**
 * How the `aws` and `gcp` stores wrapped a secret's values before they stored the bare values
 * map: `{"zs-deployment":"<deployment id>","values":{…}}` (gzipped when too large, as the values
 * map is today). Only read, never written: an object in it is rewritten as a bare values map on
 * its next write.
 */
export interface LegacyEnvelope {
  "zs-deployment": string;
  values: SecretValues;
}

/**
 * Parsed JSON in the legacy envelope: exactly the keys `zs-deployment` (a string) and `values`
 * (an object of strings). No values map has that shape, whatever its keys: every value of a
 * values map is a string, and the envelope's `values` is an object. So a secret whose keys are
 * `zs-deployment` and `values` is never taken for an envelope.
 */
export function isLegacyEnvelope(value: unknown): value is LegacyEnvelope {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const candidate = value as Record<string, unknown>;
  const keys = Object.keys(candidate);
  return keys.length === 2 && typeof candidate["zs-deployment"] === "string" && isValuesMap(candidate.values);
}

/**
 * A values map as a cloud store keeps it: the bare map as JSON, exactly the secret's values, so
 * other tools read it directly (the owning deployment is kept beside it, in tags or metadata).
 * Refused with `SECRET_TOO_LARGE` when the values exceed the limit, or their JSON does not fit
 * even compressed; it makes no backend call.
 */
export function encodeStoredValues(values: SecretValues, format: StoredJsonFormat): Promise<EncodedJson> {
  return encodeWithinLimit(values, format);
}

/**
 * The values a stored object holds: a bare values map, or one in the legacy envelope the `aws`
 * and `gcp` stores wrote before (see `isLegacyEnvelope`), unwrapped; `undefined` for anything
 * zs did not write (not JSON, not gzip, another shape). Ownership is not looked at: stores
 * check it before writes and deletes, where a mistake would destroy another deployment's data.
 */
export async function decodeStoredValues(encoded: EncodedJson): Promise<SecretValues | undefined> {
  const parsed = await decodeJson(encoded);
  if (isValuesMap(parsed)) return { ...parsed };
  if (isLegacyEnvelope(parsed)) return { ...parsed.values };
  return undefined;
}

async function encodeWithinLimit(values: SecretValues, format: StoredJsonFormat): Promise<EncodedJson> {
  const bytes = assertValuesFit(values, format);
  const text = JSON.stringify(values);
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
