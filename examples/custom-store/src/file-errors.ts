import { ZsError } from "@zs/core";

/** What the operator must fix: the directory is gone, not a directory, or not writable by zs. */
const CONFIGURATION_CODES = new Set(["ENOENT", "ENOTDIR", "EACCES", "EPERM", "EROFS", "EISDIR"]);

/**
 * Turns a failed file operation into the `ZsError` callers get. The message names the
 * operation, the file and the system error code: never the error's own text, and never a value.
 */
export function toFileStoreError(error: unknown, operation: "read" | "write" | "delete", file: string): ZsError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? "unknown error";
  if (CONFIGURATION_CODES.has(code)) {
    return new ZsError(
      "CONFIGURATION_ERROR",
      `file: cannot ${operation} '${file}' (${code}); check that ZS_SECRETS_STORE_DIRECTORY names a directory zs may read and write.`,
      { reason: "file_access", errno: code },
    );
  }
  return new ZsError("BACKEND_UNAVAILABLE", `file: ${operation} of '${file}' failed (${code}).`, { errno: code });
}
