/**
 * How `zs run` ends when its command did not succeed: zs exits with `status`, the command's
 * own exit status (128 + N when a signal N ended it), printing nothing of its own.
 */
export class ChildExit extends Error {
  override readonly name = "ChildExit";

  constructor(readonly status: number) {
    super(`The command exited with status ${status}.`);
  }
}

/**
 * The command of `zs run` could not be started: `status` is the shell's 127 (not found) or
 * 126 (found but not runnable), and the message says which.
 */
export class ChildNotStarted extends Error {
  override readonly name = "ChildNotStarted";

  constructor(
    readonly status: 126 | 127,
    message: string,
  ) {
    super(message);
  }
}
