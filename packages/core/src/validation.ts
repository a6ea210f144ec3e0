import type { z } from "zod";
import { ZsError, type ErrorCode } from "./errors.js";

/**
 * Describes every issue of a failed parse as `path: rule`. Only paths and rules are used,
 * never the rejected input, so a secret value cannot reach the message.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path.map(String).join(".");
      if (issue.code === "unrecognized_keys") {
        const fields = issue.keys.map((key) => `'${key}'`).join(", ");
        return `${path ? `${path}: ` : ""}unknown field${issue.keys.length > 1 ? "s" : ""} ${fields}`;
      }
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join("; ");
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
