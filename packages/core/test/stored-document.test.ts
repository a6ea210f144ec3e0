import { describe, expect, it } from "@jest/globals";
import { gunzipSync, gzipSync } from "node:zlib";
import {
  decodeStoredValues,
  encodeStoredValues,
  isLegacyEnvelope,
  isValuesMap,
  type EncodedJson,
  type SecretValues,
  type StoredJsonFormat,
} from "../src/index.js";
import { rejection } from "./support/thrown.js";

const DEPLOYMENT = "5d0c8e2a-7b14-4f39-9a6e-2c8f1b3d7e40";
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

/** The legacy envelope exactly as the aws and gcp stores wrote it: JSON text, gzipped when too large. */
function legacyEnvelope(values: SecretValues, compressed = false): EncodedJson {
  const text = JSON.stringify({ "zs-deployment": DEPLOYMENT, values });
  return compressed ? { compressed: true, data: gzipSync(text) } : { compressed: false, text };
}

describe("stored document", () => {
  it("a values map that fits is its JSON text, exactly the values", async () => {
    expect(await encodeStoredValues({ user: "admin", empty: "" }, binary)).toEqual({ compressed: false, text: '{"user":"admin","empty":""}' });
    expect(await encodeStoredValues({ k: "v" }, text)).toEqual({ compressed: false, text: '{"k":"v"}' });
  });

  it("JSON that escaping pushes past the limit is gzipped, as bytes or as text, and reads back", async () => {
    const values = { control: "\u0001".repeat(900) };
    for (const format of [binary, text]) {
      const encoded = await encodeStoredValues(values, format);
      expect(encoded.compressed).toBe(true);
      expect(jsonOf(encoded)).toBe(JSON.stringify(values));
      expect(await decodeStoredValues(encoded)).toEqual(values);
    }
  });

  it("the gzip data is exactly what zlib's defaults make of the JSON text", async () => {
    const values = { control: "\u0001".repeat(900) };
    const encoded = await encodeStoredValues(values, binary);
    expect(encoded.compressed && Buffer.from(encoded.data).equals(gzipSync(JSON.stringify(values)))).toBe(true);
  });

  it("values over the limit are SECRET_TOO_LARGE, naming the store, the holder and the sizes, never a value", async () => {
    const error = await rejection(encodeStoredValues({ k1: "the-value".repeat(111) }, binary));
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

  it("the legacy envelope, as text or gzipped, reads as the values it wraps, whichever deployment it names", async () => {
    const values = { user: "admin", empty: "" };
    expect(await decodeStoredValues(legacyEnvelope(values))).toEqual(values);
    expect(await decodeStoredValues(legacyEnvelope(values, true))).toEqual(values);
    const foreign = JSON.stringify({ "zs-deployment": "e81f4b27-0c93-4d5a-b6e2-9f7a3c1d5b08", values });
    expect(await decodeStoredValues({ compressed: false, text: foreign })).toEqual(values);
  });

  it("a values map whose keys are the envelope's reads as itself: its 'values' is a string, never an object", async () => {
    const lookalikes: SecretValues[] = [
      { "zs-deployment": DEPLOYMENT, values: '{"user":"admin"}' },
      { "zs-deployment": DEPLOYMENT, values: "{}" },
      { "zs-deployment": DEPLOYMENT, values: '{"user":"admin"}', extra: "x" },
      { values: '{"user":"admin"}' },
    ];
    for (const values of lookalikes) {
      expect(await decodeStoredValues(await encodeStoredValues(values, binary))).toEqual(values);
      expect(isLegacyEnvelope(values)).toBe(false);
    }
  });

  it("what zs did not write reads as absent: not JSON, not gzip, another shape, a value that is not a string", async () => {
    const unreadable: EncodedJson[] = [
      { compressed: false, text: "" },
      { compressed: false, text: "not json" },
      { compressed: false, text: '"a string"' },
      { compressed: false, text: "[]" },
      { compressed: false, text: '{"k":null}' },
      { compressed: true, data: new Uint8Array([1, 2, 3]) },
      { compressed: false, text: JSON.stringify({ values: { k: "v" } }) },
      { compressed: false, text: JSON.stringify({ "zs-deployment": DEPLOYMENT, values: { k: 1 } }) },
      { compressed: false, text: JSON.stringify({ "zs-deployment": DEPLOYMENT, values: ["v"] }) },
      { compressed: false, text: JSON.stringify({ "zs-deployment": DEPLOYMENT, values: { k: "v" }, extra: "x" }) },
      { compressed: false, text: JSON.stringify([DEPLOYMENT]) },
    ];
    for (const encoded of unreadable) expect(await decodeStoredValues(encoded)).toBeUndefined();
    expect(await decodeStoredValues({ compressed: true, data: gzipSync('{"k":"v"}') })).toEqual({ k: "v" });
  });

  it("a values map is an object of strings; the legacy envelope is exactly a deployment string and a values map", () => {
    const maps: [unknown, boolean][] = [[{}, true], [{ a: "" }, true], [{ a: 1 }, false], [[], false], [null, false], ["{}", false]];
    for (const [value, expected] of maps) expect(isValuesMap(value)).toBe(expected);
    const values: SecretValues = { a: "b" };
    expect(isLegacyEnvelope({ "zs-deployment": DEPLOYMENT, values })).toBe(true);
    expect(isLegacyEnvelope({ "zs-deployment": 7, values })).toBe(false);
    expect(isLegacyEnvelope({ "zs-deployment": DEPLOYMENT })).toBe(false);
    expect(isLegacyEnvelope({ "zs-deployment": DEPLOYMENT, values, other: "x" })).toBe(false);
  });
});
