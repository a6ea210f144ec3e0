import { describe, expect, it } from "@jest/globals";
import { removalPatch } from "../src/index.js";
import { thrown } from "./support/thrown.js";

describe("removalPatch", () => {
  it("sets the given keys and removes the named ones with null", () => {
    expect(removalPatch("db", ["a", "b"], { c: "3" }, ["a"])).toEqual({ c: "3", a: null });
  });

  it("removing a key the secret does not have is refused, naming key and secret", () => {
    const error = thrown(() => removalPatch("db", ["a"], {}, ["missing"]));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.message).toBe("Cannot remove key 'missing' from secret 'db': no such key.");
  });

  it("a key both set and removed is refused", () => {
    const error = thrown(() => removalPatch("db", ["a"], { a: "1" }, ["a"]));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.message).toContain("both set and removed");
  });
});
