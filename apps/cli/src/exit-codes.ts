import { CommanderError } from "commander";
import { UsageError } from "./usage-error.js";

/** Exit codes of cli.md: 0 success, 1 a failed operation, 2 a usage error. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** The one place an error becomes an exit code: usage errors 2, every other failure (a `ZsError` included) 1. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (error instanceof UsageError) return EXIT.usage;
  return EXIT.failure;
}
