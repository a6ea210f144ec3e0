import { describe, expect, it } from "@jest/globals";
import { LIMITS, isUuid, isValidKey, isValidName, keySchema, nameSchema } from "../src/index.js";

const UUID = "3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b";

describe("names", () => {
  it.each(["db", "DB", "a", "my-secret_2", "0", "-", "_", "x".repeat(LIMITS.maxNameLength)])("'%s' is a valid name", (name) => {
    expect(isValidName(name)).toBe(true);
    expect(nameSchema.safeParse(name).success).toBe(true);
  });

  it.each([
    ["a b", "a space"],
    ["a.b", "a dot"],
    ["", "the empty string"],
    ["x".repeat(LIMITS.maxNameLength + 1), "256 characters"],
    [UUID, "a UUID"],
    [UUID.toUpperCase(), "an upper-case UUID"],
    ["{x}", "braces"],
    ["é", "a non-ASCII letter"],
    ["a/b", "a slash"],
  ])("'%s' is not a valid name (%s)", (name) => {
    expect(isValidName(name)).toBe(false);
    expect(nameSchema.safeParse(name).success).toBe(false);
  });

  it("the name rule says what is allowed", () => {
    const result = nameSchema.safeParse("a b");
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/1-255 characters of A-Z a-z 0-9 _ - and not a UUID/);
  });

  it("names are case-sensitive: a name differing only in case is a different valid name", () => {
    expect(isValidName("Db")).toBe(true);
    expect("Db").not.toBe("db");
  });
});

describe("keys", () => {
  it.each(["db.password", "api-key", "_x", "a", "A1", "x".repeat(LIMITS.maxNameLength), "a.b.c", "a-"])("'%s' is a valid key", (key) => {
    expect(isValidKey(key)).toBe(true);
    expect(keySchema.safeParse(key).success).toBe(true);
  });

  it.each([
    ["12abc", "a digit first"],
    ["abc d", "a space"],
    ["", "the empty string"],
    [".a", "a dot first"],
    ["-a", "a dash first"],
    ["x".repeat(LIMITS.maxNameLength + 1), "256 characters"],
    ["a{b}", "braces"],
  ])("'%s' is not a valid key (%s)", (key) => {
    expect(isValidKey(key)).toBe(false);
    expect(keySchema.safeParse(key).success).toBe(false);
  });

  it("the key rule names the key and says what is allowed", () => {
    const message = keySchema.safeParse("12abc").error?.issues[0]?.message;
    expect(message).toContain("'12abc'");
    expect(message).toMatch(/start with a letter or '_'/);
  });
});

describe("isUuid", () => {
  it("accepts the canonical 8-4-4-4-12 form in either case", () => {
    expect(isUuid(UUID)).toBe(true);
    expect(isUuid(UUID.toUpperCase())).toBe(true);
  });

  it.each([
    UUID.replace(/-/g, ""),
    UUID.slice(0, 8),
    `${UUID}0`,
    ` ${UUID}`,
    UUID.replace("3", "g"),
    "",
  ])("rejects '%s'", (value) => {
    expect(isUuid(value)).toBe(false);
  });
});
