import { decodeStoredValues, encodeStoredValues, type SecretValues, type StoredJsonFormat } from "@zs/core";

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
 * The values map as one Key Vault secret value: JSON text when it fits, else gzipped JSON in
 * base64 (JSON escaping can multiply control characters sixfold). Refused with
 * `SECRET_TOO_LARGE` when the values or even the base64 text exceed `format.maxBytes`.
 */
export async function encodeValues(values: SecretValues, format: StoredJsonFormat): Promise<EncodedValues> {
  const encoded = await encodeStoredValues(values, format);
  return encoded.compressed
    ? { value: Buffer.from(encoded.data).toString("base64"), contentType: GZIP_CONTENT_TYPE }
    : { value: encoded.text, contentType: JSON_CONTENT_TYPE };
}

/** The values map a stored secret holds; `undefined` when it is not one zs wrote. */
export function decodeValues(encoded: { value: string; contentType?: string | undefined }): Promise<SecretValues | undefined> {
  return decodeStoredValues(
    encoded.contentType === GZIP_CONTENT_TYPE ? { compressed: true, data: Buffer.from(encoded.value, "base64") } : { compressed: false, text: encoded.value },
  );
}
