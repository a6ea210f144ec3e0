import { EXIT } from "./exit-codes.js";

/**
 * A reader that stops early (`zs secret get db -o json | head -c1`) closes zs's stdout; the
 * next write then fails with EPIPE. zs ends quietly with 0 then, as `cat` or `git` piped into
 * `head` do in a script (which checks the pipeline's last command anyway), instead of dying
 * with a stack trace. Any other error on stdout is still reported.
 */
export function endQuietlyWhenStdoutCloses(): void {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(EXIT.ok);
    throw error;
  });
}
