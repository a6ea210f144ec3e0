import { UsageError } from "./usage-error.js";

/** How a command may be given a password: the option, or standard input. */
export interface PasswordOptions {
  /** `--password P` (visible in the process list; the stdin and environment ways are not). */
  password?: string;
  /** `--password-stdin`: read it from standard input. */
  passwordStdin?: boolean;
}

/**
 * All of standard input, less one trailing newline (what `echo` and a here-string add), for
 * the option `flag` that asked for it; nothing there is a usage error.
 */
export async function readCredentialFromStdin(flag: string): Promise<string> {
  // Loaded here, not at start: the command modules stay light for `zs --help`.
  const { text } = await import("node:stream/consumers");
  const input = await text(process.stdin);
  const value = input.endsWith("\r\n") ? input.slice(0, -2) : input.endsWith("\n") ? input.slice(0, -1) : input;
  if (value === "") throw new UsageError(`${flag} read nothing from standard input; pipe the value in, e.g. printf '%s' "$VALUE" | zs … ${flag}.`);
  return value;
}

/** A hidden answer on the terminal; without one, nothing is asked: `missing` says how else to give it. */
export async function askHidden(prompt: string, missing: string): Promise<string> {
  if (!process.stdin.isTTY) throw new UsageError(missing);
  const { password } = await import("@inquirer/prompts");
  return password({ message: prompt });
}

/**
 * The password for a command, from the first of: `--password`, `--password-stdin`,
 * `ZS_PASSWORD` in `env` (empty counts as unset; no `env` when the password is not the
 * caller's own, e.g. a new user's), a hidden prompt showing `prompt` on a terminal. Without a
 * terminal nothing is asked: a missing password is a usage error naming the ways to give one.
 * `--password` with `--password-stdin` is a usage error too.
 */
export async function passwordFrom(options: PasswordOptions, env: Readonly<Record<string, string | undefined>> | undefined, prompt: string): Promise<string> {
  if (options.password !== undefined && options.passwordStdin) throw new UsageError("Give the password with --password or with --password-stdin, not both.");
  if (options.password !== undefined) return options.password;
  if (options.passwordStdin) return readCredentialFromStdin("--password-stdin");
  if (env?.ZS_PASSWORD) return env.ZS_PASSWORD;
  const ways = env ? "pipe it in with --password-stdin, or set ZS_PASSWORD" : "pipe it in with --password-stdin";
  return askHidden(prompt, `No password given and no terminal to ask for it on: ${ways}.`);
}
