import { describe, expect, it } from "@jest/globals";
import { ApiError } from "../src/api/api-error";
import { fieldErrorsOf } from "../src/api/field-errors";

// The messages are the server's own, as it answers them (see the end-to-end tests for the real ones).
describe("a server's refusal is shown next to the field it is about", () => {
  it("a bad name and bad keys go to the name field and to each key", () => {
    const error = new ApiError(
      400,
      "VALIDATION_ERROR",
      "Invalid secret: name: must be 1-255 characters of A-Z a-z 0-9 _ - and not a UUID.; values.1a: invalid key '1a': must start with a letter; values.: invalid key '': must be 1-255 characters; values.db.password: too long",
    );
    expect(fieldErrorsOf(error)).toEqual({
      fields: {
        name: "must be 1-255 characters of A-Z a-z 0-9 _ - and not a UUID.",
        "key:1a": "invalid key '1a': must start with a letter",
        "key:": "invalid key '': must be 1-255 characters",
        "key:db.password": "too long",
      },
    });
  });

  it("codes that are about one field go to it, with the server's message", () => {
    expect(fieldErrorsOf(new ApiError(409, "SECRET_EXISTS", "A workspace-scoped secret named 'db' already exists in workspace 'default'."))).toEqual({
      fields: { name: "A workspace-scoped secret named 'db' already exists in workspace 'default'." },
    });
    expect(fieldErrorsOf(new ApiError(413, "SECRET_TOO_LARGE", "Secret 'big' would be 70001 bytes; the limit is 65536.")).fields.values).toMatch(/65536/);
  });

  it("a password rule, an existing user and a refused list filter go to their fields", () => {
    expect(fieldErrorsOf(new ApiError(400, "VALIDATION_ERROR", "Invalid request body: password: must be at least 8 characters."))).toEqual({ fields: { password: "must be at least 8 characters" } });
    expect(fieldErrorsOf(new ApiError(409, "USER_EXISTS", "User 'admin' already exists.")).fields).toEqual({ name: "User 'admin' already exists." });
    const filter = "Invalid 'since' date 'yesterday': use ISO-8601 (2026-01-01T00:00:00Z) or 'YYYY-MM-DD[ HH:MM[:SS]]' (UTC).";
    expect(fieldErrorsOf(new ApiError(400, "INVALID_FILTER", filter))).toEqual({ fields: { since: filter } });
  });

  it("what names no field goes to the form, never dropped", () => {
    expect(fieldErrorsOf(new ApiError(400, "VALIDATION_ERROR", "Nothing to update: give a new name, scope or values."))).toEqual({
      form: "Nothing to update: give a new name, scope or values",
      fields: {},
    });
    expect(fieldErrorsOf(new ApiError(503, "BACKEND_UNAVAILABLE", "The values store did not answer."))).toEqual({ form: "The values store did not answer.", fields: {} });
    expect(fieldErrorsOf(new TypeError("Failed to fetch"))).toEqual({ form: "Failed to fetch", fields: {} });
  });
});
