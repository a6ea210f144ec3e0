import { randomBytes } from "node:crypto";
import { expect } from "@jest/globals";
import type { ZsResult } from "./zs-process.js";

/** A value that cannot turn up anywhere by chance. */
export const distinctive = (label: string) => `imp-${label}-${randomBytes(8).toString("hex")}`;

/** Asserts that none of `values` appears in any output of `results`. */
export function expectNoLeak(results: readonly ZsResult[], values: readonly string[]): void {
  for (const result of results) for (const value of values) expect(`${result.stdout}${result.stderr}`).not.toContain(value);
}
