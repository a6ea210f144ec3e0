import type { z } from "zod";
import { ZsError, type ErrorCode } from "./errors.js";
import { inputExcerpt } from "./input-excerpt.js";

/** The most problems one validation error lists; the rest are counted ("… and N more"). */
export const MAX_LISTED_PROBLEMS = 20;

/** How a failed parse is described. */
export interface DescribeIssuesOptions {
  /**
   * Name unknown fields and invalid record keys. Off for unauthenticated callers, so a public
   * route never echoes what an anonymous client sent. @default true
   */
  quoteInput?: boolean;
}

/** One broken rule, described only when it is among the listed ones. */
type Problem = { issue: z.core.$ZodIssue; parentPath: readonly PropertyKey[]; unknownField?: string };

/**
 * Describes the issues of a failed parse as `path: rule`, at most `MAX_LISTED_PROBLEMS` of them
 * then "… and N more" (each unknown field counts as one). Only paths and rules are used, never
 * the rejected values, so a secret value cannot reach the message. Problems past the limit are
 * counted, never formatted, so thousands of them cost little.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], options: DescribeIssuesOptions = {}): string {
  const quoteInput = options.quoteInput ?? true;
  const listed: Problem[] = [];
  let total = 0;
  const visit = (issue: z.core.$ZodIssue, parentPath: readonly PropertyKey[]): void => {
    if ((issue.code === "invalid_key" || issue.code === "invalid_element") && issue.issues.length > 0) {
      // zod gives these a generic message ("Invalid key in record"); the rule broken is in the nested issues.
      const nestedPath = listed.length < MAX_LISTED_PROBLEMS ? [...parentPath, ...issue.path] : parentPath;
      for (const nested of issue.issues) {
        if (issue.code === "invalid_key" && !quoteInput) {
          count({ issue: { ...nested, message: "invalid key" } as z.core.$ZodIssue, parentPath: nestedPath });
        } else {
          visit(nested, nestedPath);
        }
      }
    } else if (issue.code === "unrecognized_keys" && quoteInput) {
      for (const key of issue.keys) count({ issue, parentPath, unknownField: key });
    } else {
      count({ issue, parentPath });
    }
  };
  const count = (problem: Problem): void => {
    total++;
    if (listed.length < MAX_LISTED_PROBLEMS) listed.push(problem);
  };
  for (const issue of issues) visit(issue, []);

  const lines = groupUnknownFields(listed).map((problem) => describeProblem(problem, quoteInput));
  return total > listed.length ? `${lines.join("; ")}; … and ${total - listed.length} more` : lines.join("; ");
}

/** Unknown fields of one object listed together: `unknown fields 'a', 'b'`. */
function groupUnknownFields(problems: readonly Problem[]): (Problem & { unknownFields?: string[] })[] {
  const grouped: (Problem & { unknownFields?: string[] })[] = [];
  for (const problem of problems) {
    const previous = grouped[grouped.length - 1];
    if (problem.unknownField !== undefined && previous?.unknownFields && previous.issue === problem.issue) {
      previous.unknownFields.push(problem.unknownField);
    } else {
      grouped.push(problem.unknownField === undefined ? problem : { ...problem, unknownFields: [problem.unknownField] });
    }
  }
  return grouped;
}

function describeProblem(problem: Problem & { unknownFields?: string[] }, quoteInput: boolean): string {
  const { issue } = problem;
  const path = [...problem.parentPath, ...issue.path].map(String).join(".");
  const prefix = path ? `${path}: ` : "";
  if (issue.code === "unrecognized_keys") {
    if (!quoteInput || !problem.unknownFields) return `${prefix}unknown fields are not allowed`;
    const fields = problem.unknownFields.map((key) => `'${inputExcerpt(key)}'`).join(", ");
    return `${prefix}unknown field${problem.unknownFields.length > 1 ? "s" : ""} ${fields}`;
  }
  return `${prefix}${issue.message}`;
}

/**
 * Validates `input` against `schema`; on failure throws a `ZsError` (default
 * `VALIDATION_ERROR`) naming the fields and rules broken (at most `MAX_LISTED_PROBLEMS`).
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
  code: ErrorCode = "VALIDATION_ERROR",
  options: DescribeIssuesOptions = {},
): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ZsError(code, `Invalid ${what}: ${describeIssues(result.error.issues, options)}.`);
}
