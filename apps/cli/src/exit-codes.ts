import { CommanderError } from "commander";
import { UsageError } from "./usage-error.js";

/** Exit codes of cli.md: 0 success, 1 a failed operation, 2 a usage error. */
export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

/** True for the error a prompt throws when the person presses Ctrl-C. */
export function isPromptInterrupt(error: unknown): boolean {
  return (error as Error | undefined)?.name === "ExitPromptError";
}

/** The one place an error becomes an exit code: usage errors 2, every other failure (a `ZsError` included) 1. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (error instanceof UsageError) return EXIT.usage;
  if (isPromptInterrupt(error)) return EXIT.interrupted;
  return EXIT.failure;
}
