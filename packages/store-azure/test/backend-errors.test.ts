import { describe, expect, it } from "@jest/globals";
import { isDisabledVersion } from "../src/backend-errors.js";

describe("azure backend errors", () => {
  it("a read of a disabled version (403 with the inner code SecretDisabled, as the SDK hands it over) is told apart from a 403 for permissions", () => {
    const disabled = { statusCode: 403, code: "Forbidden", message: "disabled", details: { error: { code: "Forbidden", innerError: { code: "SecretDisabled" } } } };
    const denied = {
      statusCode: 403,
      code: "Forbidden",
      message: "The user, group or application does not have secrets get permission on key vault.",
      details: { error: { code: "Forbidden", innerError: { code: "AccessDenied" } } },
    };
    expect(isDisabledVersion(disabled)).toBe(true);
    expect(isDisabledVersion({ statusCode: 403, message: "Operation get is not allowed on a disabled secret." })).toBe(true);
    expect(isDisabledVersion(denied)).toBe(false);
    expect(isDisabledVersion({ statusCode: 404, details: disabled.details })).toBe(false);
  });
});
