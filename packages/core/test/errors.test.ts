import { describe, expect, it } from "@jest/globals";
import { ERROR_CODES, ZsError, detailsFromWire, detailsToWire, hasErrorCode, isZsError } from "../src/index.js";

describe("ZsError", () => {
  it("carries its code, message, details and the name 'ZsError'", () => {
    const error = new ZsError("SECRET_AMBIGUOUS", "Id prefix matches several secrets", { candidates: ["a", "b"] });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("ZsError");
    expect(error.code).toBe("SECRET_AMBIGUOUS");
    expect(error.message).toBe("Id prefix matches several secrets");
    expect(error.details).toEqual({ candidates: ["a", "b"] });
  });

  it("has no details unless given", () => {
    expect(new ZsError("INTERNAL", "bug").details).toBeUndefined();
  });

  it("every error code is UPPER_SNAKE and listed once", () => {
    for (const code of ERROR_CODES) expect(code).toMatch(/^[A-Z]+(?:_[A-Z]+)*$/);
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });
});

describe("isZsError", () => {
  it("recognises a ZsError", () => {
    expect(isZsError(new ZsError("NOT_FOUND", "gone"))).toBe(true);
  });

  it("recognises a foreign error carrying the brand Symbol.for('zs.error'), as a custom store's own copy of core makes", () => {
    class ForeignZsError extends Error {
      readonly code = "BACKEND_UNAVAILABLE";
      constructor(message: string) {
        super(message);
        Object.defineProperty(this, Symbol.for("zs.error"), { value: true });
      }
    }
    const foreign = new ForeignZsError("the backend is down");
    expect(foreign instanceof ZsError).toBe(false);
    expect(isZsError(foreign)).toBe(true);
    expect(isZsError({ [Symbol.for("zs.error")]: true, code: "INTERNAL", message: "plain object" })).toBe(true);
  });

  it("rejects plain errors, look-alikes without the brand, a brand that is not true, and non-objects", () => {
    expect(isZsError(new Error("plain"))).toBe(false);
    expect(isZsError({ name: "ZsError", code: "INTERNAL", message: "look-alike" })).toBe(false);
    expect(isZsError({ [Symbol("zs.error")]: true, code: "INTERNAL" })).toBe(false);
    expect(isZsError({ [Symbol.for("zs.error")]: "yes", code: "INTERNAL" })).toBe(false);
    for (const value of [null, undefined, "ZsError", 42, true]) expect(isZsError(value)).toBe(false);
  });
});

describe("hasErrorCode", () => {
  it("is true only for a ZsError (native or branded) with that code", () => {
    expect(hasErrorCode(new ZsError("SECRET_NOT_FOUND", "x"), "SECRET_NOT_FOUND")).toBe(true);
    expect(hasErrorCode(new ZsError("SECRET_NOT_FOUND", "x"), "SECRET_EXISTS")).toBe(false);
    expect(hasErrorCode({ [Symbol.for("zs.error")]: true, code: "RATE_LIMITED" }, "RATE_LIMITED")).toBe(true);
    expect(hasErrorCode({ code: "RATE_LIMITED" }, "RATE_LIMITED")).toBe(false);
    expect(hasErrorCode(Object.assign(new Error("x"), { code: "INTERNAL" }), "INTERNAL")).toBe(false);
  });
});

describe("error details on the wire", () => {
  it("go out snake_case and come back camelCase, values untouched", () => {
    const details = { retryAfterSeconds: 3, totalPages: 2, candidates: [{ someId: "a" }], reason: "x" };
    const wire = detailsToWire(details);
    expect(wire).toEqual({ retry_after_seconds: 3, total_pages: 2, candidates: [{ someId: "a" }], reason: "x" });
    expect(detailsFromWire(wire)).toEqual(details);
  });
});
