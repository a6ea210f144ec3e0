import { describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { inspect } from "node:util";
import { isZsError } from "@zs/core";
import { SqlDatabase } from "../src/index.js";

async function openFailure(url: string): Promise<unknown> {
  return SqlDatabase.open(url).then(
    async (database) => {
      await database.close();
      throw new Error("the database opened");
    },
    (error: unknown) => error,
  );
}

describe("opening a PostgreSQL database that cannot be reached", () => {
  it("is BACKEND_UNAVAILABLE naming the database without the URL's user-info; the password appears nowhere in the error", async () => {
    const password = `db-pw-${randomUUID()}`;
    // Port 1: nothing listens there, so the connection is refused at once.
    const error = await openFailure(`postgres://zsuser:${password}@127.0.0.1:1/zs`);
    expect(isZsError(error)).toBe(true);
    expect(error).toMatchObject({ code: "BACKEND_UNAVAILABLE" });
    const { message } = error as Error;
    expect(message).toContain("Cannot open the database at postgres://127.0.0.1:1/zs: ");
    expect(message).toContain("ECONNREFUSED");
    expect(inspect(error, { depth: 10 })).not.toContain(password);
    expect(message).not.toContain("zsuser");
  });

  it("a password with an unencoded '@' or '/' does not show either", async () => {
    for (const password of [`pw@ss-${randomUUID()}`, `pa/ss-${randomUUID()}`]) {
      const error = await openFailure(`postgres://zsuser:${password}@127.0.0.1:1/zs`);
      const text = inspect(error, { depth: 10 });
      for (const piece of password.split(/[@/]/).filter((p) => p.length >= 4)) expect(text).not.toContain(piece);
    }
  });
});
