import { describe, expect, it } from "@jest/globals";
import { LIMITS, assertSecretSize, assertValuesFit, secretSizeInBytes, type ValueSizeLimit } from "../src/index.js";
import { thrown } from "./support/thrown.js";

describe("secret size", () => {
  it("counts keys plus values in UTF-8 bytes", () => {
    expect(secretSizeInBytes({ ab: "cde" })).toBe(5);
    expect(secretSizeInBytes({ k: "é" })).toBe(3);
    expect(secretSizeInBytes({ k: "€" })).toBe(4);
    expect(secretSizeInBytes({ k: "😀" })).toBe(5);
    expect(secretSizeInBytes({})).toBe(0);
  });

  it("a secret of exactly 65,536 bytes is accepted", () => {
    const values = { k: "x".repeat(LIMITS.maxSecretBytes - 1) };
    expect(secretSizeInBytes(values)).toBe(65536);
    expect(() => assertSecretSize(values, "big")).not.toThrow();
  });

  it("one byte more is SECRET_TOO_LARGE, naming the secret and the limit", () => {
    const error = thrown(() => assertSecretSize({ k: "x".repeat(LIMITS.maxSecretBytes) }, "big"));
    expect(error.code).toBe("SECRET_TOO_LARGE");
    expect(error.message).toContain("'big'");
    expect(error.message).toContain("65536");
  });

  it("multi-byte UTF-8 is counted in bytes, not characters", () => {
    // 21,845 three-byte characters plus a one-char key: 65,536 bytes, but only 21,846 characters.
    const atLimit = { k: "€".repeat(21845) };
    expect(secretSizeInBytes(atLimit)).toBe(65536);
    expect(() => assertSecretSize(atLimit, "euro")).not.toThrow();
    const overLimit = { k: `${"€".repeat(21845)}x` };
    expect(overLimit.k.length).toBeLessThan(LIMITS.maxSecretBytes);
    expect(thrown(() => assertSecretSize(overLimit, "euro")).code).toBe("SECRET_TOO_LARGE");
  });

  it("keys count towards the size", () => {
    const values = { [`k${"y".repeat(200)}`]: "x".repeat(LIMITS.maxSecretBytes - 201) };
    expect(() => assertSecretSize(values, "s")).not.toThrow();
    const longer = { [`k${"y".repeat(201)}`]: "x".repeat(LIMITS.maxSecretBytes - 201) };
    expect(thrown(() => assertSecretSize(longer, "s")).code).toBe("SECRET_TOO_LARGE");
  });

  it("1,000 keys are accepted; 1,001 keys are SECRET_TOO_LARGE", () => {
    const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, ""]));
    expect(() => assertSecretSize(keys(LIMITS.maxKeys), "many")).not.toThrow();
    const error = thrown(() => assertSecretSize(keys(LIMITS.maxKeys + 1), "many"));
    expect(error.code).toBe("SECRET_TOO_LARGE");
    expect(error.message).toContain("1001 keys");
    expect(error.message).toContain("1000");
  });

  it("the error never contains a value", () => {
    const value = `${"the-value-itself-".repeat(4000)}`;
    const error = thrown(() => assertSecretSize({ k: value }, "s"));
    expect(error.message).not.toContain("the-value-itself");
  });
});

describe("a store's value size limit", () => {
  const limit: ValueSizeLimit = { store: "kv", maxBytes: 10, holder: "one kv entry" };

  it("values at the limit pass and their size comes back", () => {
    expect(assertValuesFit({ k: "x".repeat(9) }, limit)).toBe(10);
  });

  it("one byte more is SECRET_TOO_LARGE, naming the store, the size and the limit, never a value", () => {
    const error = thrown(() => assertValuesFit({ k: "secretval!" }, limit));
    expect(error.code).toBe("SECRET_TOO_LARGE");
    expect(error.message).toBe("kv: the values are 11 bytes (keys and values, UTF-8); one kv entry holds at most 10.");
  });

  it("the limit as documented follows the number", () => {
    const error = thrown(() => assertValuesFit({ k: "x".repeat(10) }, { ...limit, documentedAs: "10 B" }));
    expect(error.message).toMatch(/holds at most 10 \(10 B\)\.$/);
  });
});
