import { spawn } from "node:child_process";
import { constants } from "node:os";
import { ChildNotStarted } from "./child-exit.js";

/** Signals zs passes on to the command it runs, so that stopping zs stops the command. */
const FORWARDED: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"];

function notStarted(command: string, error: NodeJS.ErrnoException): ChildNotStarted {
  if (error.code === "ENOENT") return new ChildNotStarted(127, `Cannot run '${command}': command not found.`);
  if (error.code === "EACCES") return new ChildNotStarted(126, `Cannot run '${command}': permission denied.`);
  return new ChildNotStarted(126, `Cannot run '${command}': ${error.code ?? error.message}.`);
}

/**
 * Runs `argv` with `env` as its whole environment and zs's stdin, stdout and stderr; resolves
 * with its exit status (128 + N when signal N ended it). While it runs, the signals zs gets
 * are passed on to it instead of ending zs, so the command decides how to stop. (On a
 * terminal, Ctrl-C reaches the command directly too: it is in zs's process group.)
 */
export function runChild(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [command, ...args] = argv as [string, ...string[]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", env });
    const forward = (signal: NodeJS.Signals) => {
      child.kill(signal);
    };
    for (const signal of FORWARDED) process.on(signal, forward);
    const stopForwarding = () => {
      for (const signal of FORWARDED) process.off(signal, forward);
    };
    child.once("error", (error: NodeJS.ErrnoException) => {
      stopForwarding();
      reject(notStarted(command, error));
    });
    child.once("exit", (code, signal) => {
      stopForwarding();
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}
