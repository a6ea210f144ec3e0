import type { z } from "zod";
import { ZsError, type ErrorCode } from "./errors.js";

/**
 * Describes every issue of a failed parse as `path: rule`. Only paths and rules are used,
 * never the rejected input, so a secret value cannot reach the message.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.flatMap((issue) => describeIssue(issue, [])).join("; ");
}

function describeIssue(issue: z.core.$ZodIssue, parentPath: readonly PropertyKey[]): string[] {
  const fullPath = [...parentPath, ...issue.path];
  if ((issue.code === "invalid_key" || issue.code === "invalid_element") && issue.issues.length > 0) {
    // zod gives these a generic message ("Invalid key in record"); the rule broken is in the nested issues.
    return issue.issues.flatMap((nested) => describeIssue(nested, fullPath));
  }
  const path = fullPath.map(String).join(".");
  if (issue.code === "unrecognized_keys") {
    const fields = issue.keys.map((key) => `'${key}'`).join(", ");
    return [`${path ? `${path}: ` : ""}unknown field${issue.keys.length > 1 ? "s" : ""} ${fields}`];
  }
  return [path ? `${path}: ${issue.message}` : issue.message];
}

/**
 * Validates `input` against `schema`; on failure throws a `ZsError` (default
 * `VALIDATION_ERROR`) naming every field and rule broken.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
  code: ErrorCode = "VALIDATION_ERROR",
): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ZsError(code, `Invalid ${what}: ${describeIssues(result.error.issues)}.`);
}
