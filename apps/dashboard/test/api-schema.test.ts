import { describe, expect, it } from "@jest/globals";
import { readFile } from "node:fs/promises";
import { renderApiSchema, SCHEMA_FILE } from "./support/openapi-schema";

describe("the dashboard's API client is checked against the server's contract", () => {
  it("src/api/schema.ts is what openapi-typescript generates from a real zs-server's /openapi.json today", async () => {
    const committed = await readFile(SCHEMA_FILE, "utf8");
    const generated = await renderApiSchema();
    // On failure: `pnpm --filter @zs/dashboard generate-schema`, then fix what no longer type-checks.
    expect(committed === generated ? "up to date" : "src/api/schema.ts differs from the server's document: run `pnpm --filter @zs/dashboard generate-schema`").toBe("up to date");
  });
});
