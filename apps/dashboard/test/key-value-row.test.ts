import { describe, expect, it } from "@jest/globals";
import { localRowErrors, newRow, rowsWithDotenv } from "../src/secrets/key-value-row";

const pairs = (rows: { key: string; value: string }[]) => rows.map(({ key, value }) => [key, value]);

describe("key/value rows of a secret being written", () => {
  it("a pasted .env block fills rows: quotes, export and comments as dotenv reads them; its keys replace rows of the same key", () => {
    const rows = [newRow("host", "db.internal"), newRow("DB_USER", "old"), newRow()];
    const filled = rowsWithDotenv(rows, ['# a comment', 'DB_USER=app', 'export DB_PASSWORD="p#ss word"', "EMPTY=", "MULTI=\"line1\\nline2\""].join("\n"));
    expect(pairs(filled)).toEqual([
      ["host", "db.internal"],
      ["DB_USER", "app"],
      ["DB_PASSWORD", "p#ss word"],
      ["EMPTY", ""],
      ["MULTI", "line1\nline2"],
    ]);
  });

  it("an empty key and a key given twice (or already in the secret) are caught before asking the server", () => {
    const rows = [newRow("a", "1"), newRow("", "2"), newRow("a", "3"), newRow("kept", "4")];
    expect(Object.values(localRowErrors(rows))).toEqual(["Enter a key name.", "Key 'a' is given more than once."]);
    expect(localRowErrors(rows)).toEqual({ [rows[1]!.id]: "Enter a key name.", [rows[2]!.id]: "Key 'a' is given more than once." });
    expect(Object.values(localRowErrors([newRow("kept", "x")], ["kept"]))).toEqual(["Key 'kept' is given more than once."]);
  });

  it("keys the server would refuse (1a, spaces) are left for the server to judge", () => {
    expect(localRowErrors([newRow("1a", "x"), newRow("a b", "y")])).toEqual({});
  });
});
