import { describe, expect, it } from "@jest/globals";
import { VALIDATION_LEVELS, describeMissingReferences, parseValidationLevel } from "../src/index.js";
import { thrown } from "./support/thrown.js";

describe("parseValidationLevel", () => {
  it.each(VALIDATION_LEVELS)("%s is a level", (level) => {
    expect(parseValidationLevel(level)).toBe(level);
  });

  it.each(["none", "STRICT", "", " NONE", 1, undefined, null])("%j is a VALIDATION_ERROR naming the three allowed", (level) => {
    const error = thrown(() => parseValidationLevel(level));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.message).toContain("use one of NONE, SECRET_EXISTS, SECRET_AND_KEY_EXISTS");
  });
});

describe("describeMissingReferences", () => {
  it("says one line per missing reference: name.key, who wants it, and what is missing", () => {
    expect(
      describeMissingReferences([
        { component: "c", attribute: "password", secret: "s", key: "k", problem: "secret_missing" },
        { component: null, attribute: "URL", secret: "db", key: "a.b", problem: "key_missing" },
      ]),
    ).toBe("  - s.k (wanted by component 'c' attribute 'password'): no secret 's'\n  - db.a.b (wanted by --env URL): secret 'db' has no key 'a.b'");
  });
});
