import { describe, expect, it } from "@jest/globals";
import { gunzipSync, gzipSync } from "node:zlib";
import {
  decodeStoredDocument,
  decodeStoredValues,
  encodeStoredDocument,
  encodeStoredValues,
  isStoredDocument,
  isValuesMap,
  type EncodedJson,
  type SecretValues,
  type StoredJsonFormat,
} from "../src/index.js";
import { rejection } from "./support/thrown.js";

const DEPLOYMENT = "5d0c8e2a-7b14-4f39-9a6e-2c8f1b3d7e40";
const OTHER_DEPLOYMENT = "e81f4b27-0c93-4d5a-b6e2-9f7a3c1d5b08";
const binary: StoredJsonFormat = { store: "test", holder: "one test object", maxBytes: 1000, compressedAs: "bytes" };
const text: StoredJsonFormat = { ...binary, compressedAs: "base64" };

/** `length` printable ASCII characters from a fixed seed: text that barely compresses. */
function noise(length: number): string {
  let seed = 42;
  return Array.from({ length }, () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return String.fromCharCode(0x20 + (seed % 95));
  }).join("");
}

const jsonOf = (encoded: EncodedJson) => (encoded.compressed ? gunzipSync(encoded.data).toString("utf8") : encoded.text);

describe("stored document", () => {
  it("a document that fits is its JSON text: zs-deployment first, then the values", async () => {
    const encoded = await encodeStoredDocument({ "zs-deployment": DEPLOYMENT, values: { user: "admin", empty: "" } }, binary);
    expect(encoded).toEqual({ compressed: false, text: `{"zs-deployment":"${DEPLOYMENT}","values":{"user":"admin","empty":""}}` });
  });

  it("a bare values map that fits is its JSON text", async () => {
    expect(await encodeStoredValues({ k: "v" }, text)).toEqual({ compressed: false, text: '{"k":"v"}' });
  });

  it("JSON that escaping pushes past the limit is gzipped, as bytes or as text, and reads back", async () => {
    const values = { control: "\u0001".repeat(900) };
    for (const format of [binary, text]) {
      const encoded = await encodeStoredDocument({ "zs-deployment": DEPLOYMENT, values }, format);
      expect(encoded.compressed).toBe(true);
      expect(jsonOf(encoded)).toBe(JSON.stringify({ "zs-deployment": DEPLOYMENT, values }));
      expect(await decodeStoredDocument(encoded, DEPLOYMENT)).toEqual(values);
    }
  });

  it("the gzip data is exactly what zlib's defaults make of the JSON text", async () => {
    const values = { control: "\u0001".repeat(900) };
    const encoded = await encodeStoredValues(values, binary);
    expect(encoded.compressed && Buffer.from(encoded.data).equals(gzipSync(JSON.stringify(values)))).toBe(true);
  });

  it("values over the limit are SECRET_TOO_LARGE, naming the store, the holder and the sizes, never a value", async () => {
    const error = await rejection(encodeStoredDocument({ "zs-deployment": DEPLOYMENT, values: { k1: "the-value".repeat(111) } }, binary));
    expect(error.code).toBe("SECRET_TOO_LARGE");
    expect(error.message).toBe("test: the values are 1001 bytes (keys and values, UTF-8); one test object holds at most 1000.");
    expect(error.message).not.toContain("the-value");
  });

  it("with base64 the encoded text must fit: gzip data that fits as bytes can be too large as text", async () => {
    // 1,000 bytes of values whose JSON grows past 1,000 and whose gzip data is well over 750 bytes.
    const values = { n: noise(978), c: "\u0001".repeat(20) };
    expect(await encodeStoredValues(values, binary)).toMatchObject({ compressed: true });
    const error = await rejection(encodeStoredValues(values, text));
    expect(error.code).toBe("SECRET_TOO_LARGE");
    expect(error.message).toBe("test: the values (1000 bytes) do not fit one test object (1000 bytes) even compressed.");
  });

  it("another deployment's document reads as absent", async () => {
    const encoded = await encodeStoredDocument({ "zs-deployment": OTHER_DEPLOYMENT, values: { k: "v" } }, binary);
    expect(await decodeStoredDocument(encoded, DEPLOYMENT)).toBeUndefined();
    expect(await decodeStoredDocument(encoded, OTHER_DEPLOYMENT)).toEqual({ k: "v" });
  });

  it("what zs did not write reads as absent: not JSON, not gzip, another shape, a value that is not a string", async () => {
    const unreadable: EncodedJson[] = [
      { compressed: false, text: "" },
      { compressed: false, text: "not json" },
      { compressed: true, data: new Uint8Array([1, 2, 3]) },
      { compressed: false, text: JSON.stringify({ values: { k: "v" } }) },
      { compressed: false, text: JSON.stringify({ "zs-deployment": DEPLOYMENT, values: { k: 1 } }) },
      { compressed: false, text: JSON.stringify({ "zs-deployment": DEPLOYMENT, values: ["v"] }) },
      { compressed: false, text: JSON.stringify([DEPLOYMENT]) },
    ];
    for (const encoded of unreadable) expect(await decodeStoredDocument(encoded, DEPLOYMENT)).toBeUndefined();
    expect(await decodeStoredValues({ compressed: false, text: "[]" })).toBeUndefined();
    expect(await decodeStoredValues({ compressed: false, text: '{"k":null}' })).toBeUndefined();
    expect(await decodeStoredValues({ compressed: true, data: gzipSync('{"k":"v"}') })).toEqual({ k: "v" });
  });

  it("a values map is an object of strings; a stored document names its deployment", () => {
    const maps: [unknown, boolean][] = [[{}, true], [{ a: "" }, true], [{ a: 1 }, false], [[], false], [null, false], ["{}", false]];
    for (const [value, expected] of maps) expect(isValuesMap(value)).toBe(expected);
    const values: SecretValues = { a: "b" };
    expect(isStoredDocument({ "zs-deployment": DEPLOYMENT, values })).toBe(true);
    expect(isStoredDocument({ "zs-deployment": 7, values })).toBe(false);
    expect(isStoredDocument({ "zs-deployment": DEPLOYMENT })).toBe(false);
  });
});
