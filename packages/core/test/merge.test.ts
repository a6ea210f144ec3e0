import { describe, expect, it } from "@jest/globals";
import { keysOf, mergeValues } from "../src/index.js";

describe("mergeValues", () => {
  it("a string value overwrites an existing key", () => {
    expect(mergeValues({ user: "old", host: "h" }, { user: "new" })).toEqual({ user: "new", host: "h" });
  });

  it("a string value for a new key adds it and keeps every key not mentioned", () => {
    expect(mergeValues({ user: "u" }, { password: "p" })).toEqual({ user: "u", password: "p" });
  });

  it("a null value removes that key", () => {
    expect(mergeValues({ user: "u", password: "p" }, { password: null })).toEqual({ user: "u" });
  });

  it("removing a missing key is a silent no-op", () => {
    expect(mergeValues({ user: "u" }, { nothere: null })).toEqual({ user: "u" });
  });

  it("an empty string is kept as an empty string, never as a removal", () => {
    const merged = mergeValues({ user: "u" }, { user: "", note: "" });
    expect(merged).toEqual({ user: "", note: "" });
  });

  it("an empty patch changes nothing", () => {
    expect(mergeValues({ a: "1", b: "2" }, {})).toEqual({ a: "1", b: "2" });
  });

  it("sets, overwrites and removes in one patch", () => {
    expect(mergeValues({ a: "1", b: "2", c: "3" }, { a: "one", b: null, d: "4", e: null })).toEqual({ a: "one", c: "3", d: "4" });
  });

  it("changes neither input and returns a new map", () => {
    const current = Object.freeze({ a: "1", b: "2" });
    const patch = Object.freeze({ a: "x", b: null, c: "3" });
    const merged = mergeValues(current, patch);
    expect(current).toEqual({ a: "1", b: "2" });
    expect(patch).toEqual({ a: "x", b: null, c: "3" });
    expect(merged).not.toBe(current);
    expect(merged).toEqual({ a: "x", c: "3" });
  });
});

describe("keysOf", () => {
  it("returns the key names sorted", () => {
    expect(keysOf({ zeta: "1", alpha: "2", "db.password": "3", Beta: "4", _x: "5" })).toEqual(["Beta", "_x", "alpha", "db.password", "zeta"]);
  });

  it("of an empty map is empty", () => {
    expect(keysOf({})).toEqual([]);
  });

  it("never returns values", () => {
    expect(keysOf({ key: "a-distinctive-value" })).toEqual(["key"]);
  });
});
