import { describe, expect, it } from "@jest/globals";
import { secretValuesOf } from "../src/index.js";

describe("secretValuesOf: external values become zs values", () => {
  it("a JSON object's entries become keys; non-string values, nested objects too, become their JSON text", () => {
    const text = JSON.stringify({ user: "admin", port: 5432, tls: true, none: null, hosts: ["a", "b"], nested: { a: { b: 1 } } });
    expect(secretValuesOf({ kind: "text", text })).toEqual({
      values: { user: "admin", port: "5432", tls: "true", none: "null", hosts: '["a","b"]', nested: '{"a":{"b":1}}' },
    });
  });

  it.each([
    ["a plain string", "hunter2"],
    ["an empty string", ""],
    ["a JSON array", "[1, 2]"],
    ["a JSON number", "42"],
    ["text that starts like JSON but is not", "{not json"],
  ])("%s becomes the key 'value', unchanged", (_what, text) => {
    expect(secretValuesOf({ kind: "text", text })).toEqual({ values: { value: text } });
  });

  it("a map (Vault data, a file's) becomes keys the same way", () => {
    expect(secretValuesOf({ kind: "map", map: { password: "pw", retries: 3 } })).toEqual({ values: { password: "pw", retries: "3" } });
  });

  it("binary data is a problem saying what it is, never what it holds", () => {
    expect(secretValuesOf({ kind: "binary", description: "a binary secret (SecretBinary)" })).toEqual({
      problem: "a binary secret (SecretBinary): zs secrets hold text only",
    });
  });

  it("keys zs cannot hold are a problem naming them (and not the values); so is an empty object", () => {
    const result = secretValuesOf({ kind: "text", text: JSON.stringify({ "1st": "v-secret-1", "a b": "v-secret-2", ok: "v" }) });
    expect(result).toEqual({ problem: expect.stringMatching(/^keys '1st', 'a b' cannot be zs keys/) });
    expect(JSON.stringify(result)).not.toContain("v-secret");
    expect(secretValuesOf({ kind: "text", text: '{"__proto__": "x"}' })).toEqual({ problem: expect.stringContaining("'__proto__'") });
    expect(secretValuesOf({ kind: "map", map: {} })).toEqual({ problem: "an empty object: no keys to import" });
  });

  it("many invalid keys: five are named, the rest counted", () => {
    const map = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`${i}k`, "v"]));
    expect(secretValuesOf({ kind: "map", map })).toEqual({ problem: expect.stringContaining("'0k', '1k', '2k', '3k', '4k' and 3 more") });
  });
});
