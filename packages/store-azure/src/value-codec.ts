import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import type { SecretValues } from "@zs/core";

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** Content type of a values map stored as JSON text. */
export const JSON_CONTENT_TYPE = "application/json";
/** Content type of a values map stored as gzipped JSON, base64-encoded (Key Vault values are text). */
export const GZIP_CONTENT_TYPE = "application/json+gzip; encoding=base64";

/** A secret value and the content type that says how to read it back. */
export interface EncodedValues {
  value: string;
  contentType: string;
}

/**
 * The values map as one Key Vault secret value of at most `maxBytes`: JSON text when it fits,
 * else gzipped JSON in base64 (JSON escaping can multiply control characters sixfold);
 * `undefined` when even that does not fit.
 */
export async function encodeValues(values: SecretValues, maxBytes: number): Promise<EncodedValues | undefined> {
  const text = JSON.stringify(values);
  if (Buffer.byteLength(text) <= maxBytes) return { value: text, contentType: JSON_CONTENT_TYPE };
  const compressed = (await gzipAsync(Buffer.from(text, "utf8"))).toString("base64");
  return compressed.length <= maxBytes ? { value: compressed, contentType: GZIP_CONTENT_TYPE } : undefined;
}

/** The values map a stored secret holds; `undefined` when it is not one zs wrote. */
export async function decodeValues(encoded: { value: string; contentType?: string | undefined }): Promise<SecretValues | undefined> {
  try {
    const text =
      encoded.contentType === GZIP_CONTENT_TYPE ? (await gunzipAsync(Buffer.from(encoded.value, "base64"))).toString("utf8") : encoded.value;
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
    const entries = Object.entries(parsed);
    return entries.every(([, v]) => typeof v === "string") ? (Object.fromEntries(entries) as SecretValues) : undefined;
  } catch {
    return undefined;
  }
}
