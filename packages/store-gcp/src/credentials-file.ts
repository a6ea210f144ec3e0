import { readFile } from "node:fs/promises";
import path from "node:path";
import { ZsError } from "@zs/core";

/**
 * Resolves `credentials_file` against the configuration's directory and checks, at start,
 * that it is a readable Google credentials JSON file (a service account key, an external
 * account, an authorized user…), so a typo is a clear configuration error rather than a
 * failure of the first call. Neither the content nor the parser's message (which quotes the
 * content) ever reaches an error.
 */
export async function resolveCredentialsFile(file: string, configDir: string): Promise<string> {
  const resolved = path.resolve(configDir, file);
  let text: string;
  try {
    text = await readFile(resolved, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new ZsError("CONFIGURATION_ERROR", `gcp: credentials_file '${resolved}' cannot be read (${code}).`, { reason: "gcp_credentials_file" });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== "object" || parsed === null || typeof (parsed as { type?: unknown }).type !== "string") {
    throw new ZsError(
      "CONFIGURATION_ERROR",
      `gcp: credentials_file '${resolved}' is not a Google credentials JSON file (a JSON object with a "type", e.g. a service account key).`,
      { reason: "gcp_credentials_file" },
    );
  }
  return resolved;
}
