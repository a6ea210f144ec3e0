import { describe, expect, it } from "@jest/globals";
import path from "node:path";

const BUDGET_BYTES = 250 * 1024;

describe("the dashboard's JavaScript stays small", () => {
  it("dist/assets/*.js together are at most 250 KB gzipped", async () => {
    // The same measure the build prints and enforces (the jest globalSetup builds dist/).
    const { gzippedScriptSizes, LIMIT_BYTES } = require("../scripts/check-bundle-size.cjs") as {
      gzippedScriptSizes(dir: string): Promise<{ name: string; bytes: number }[]>;
      LIMIT_BYTES: number;
    };
    expect(LIMIT_BYTES).toBe(BUDGET_BYTES);
    const sizes = await gzippedScriptSizes(path.join(__dirname, "..", "dist", "assets"));
    expect(sizes.length).toBeGreaterThan(0);
    expect(sizes.reduce((sum, { bytes }) => sum + bytes, 0)).toBeLessThanOrEqual(BUDGET_BYTES);
  });
});
