import { CommanderError } from "commander";
import { ChildExit, ChildNotStarted } from "./child-exit.js";
import { UsageError } from "./usage-error.js";

/**
 * Exit codes of cli.md: 0 success, 1 a failed operation, 2 a usage error; `zs run` exits with
 * its command's status (126/127 when it could not be started, as a shell does).
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

/** True for the error a prompt throws when the person presses Ctrl-C. */
export function isPromptInterrupt(error: unknown): boolean {
  return (error as Error | undefined)?.name === "ExitPromptError";
}

/** True for the end of `zs run`'s command, which zs reports with its exit status alone. */
export function isChildExit(error: unknown): boolean {
  return error instanceof ChildExit;
}

/**
 * The one place an error becomes an exit code: usage errors 2, `zs run`'s command its own
 * status, every other failure (a `ZsError` included) 1.
 */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (error instanceof ChildExit || error instanceof ChildNotStarted) return error.status;
  if (error instanceof UsageError) return EXIT.usage;
  if (isPromptInterrupt(error)) return EXIT.interrupted;
  return EXIT.failure;
}
