import { readFile, rename, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import path from "node:path";
import * as z from "zod";
import { ZsError, ensureOwnerOnlyDirectory, nameSchema } from "@zs/core";

/** A server `zs connect` saved: its URL and the session token or API key to present. */
export const savedConnectionSchema = z.object({
  url: z.string(),
  token: z.string(),
  kind: z.enum(["session", "api_key"]),
  /** The user the token belongs to, as the server named them. */
  user: z.string(),
  /** The active workspace on that server. @default "default" */
  workspace: nameSchema.optional(),
});
export type SavedConnection = z.infer<typeof savedConnectionSchema>;

/** What the client remembers between runs, in a 0600 file. */
export const clientSettingsSchema = z.object({
  /** The active workspace of local mode, chosen with `zs workspace set`. @default "default" */
  workspace: nameSchema.optional(),
  /** The server of remote mode; absent means local mode. */
  server: savedConnectionSchema.optional(),
});
export type ClientSettings = z.infer<typeof clientSettingsSchema>;

const SETTINGS_FILE = "config.json";

/** Reads the settings file in `dir`; a missing file is empty settings. */
export async function readClientSettings(dir: string): Promise<ClientSettings> {
  const file = path.join(dir, SETTINGS_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ZsError("CONFIGURATION_ERROR", `The settings file ${file} is not valid JSON; fix or delete it.`);
  }
  const result = clientSettingsSchema.safeParse(parsed);
  if (!result.success) throw new ZsError("CONFIGURATION_ERROR", `The settings file ${file} is damaged; fix or delete it.`);
  return result.data;
}

/** Replaces the settings file atomically, mode 0600, in a directory of mode 0700 (tightened if an older zs left it wider). */
export async function writeClientSettings(dir: string, settings: ClientSettings): Promise<void> {
  await ensureOwnerOnlyDirectory(dir);
  const file = path.join(dir, SETTINGS_FILE);
  const draft = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(draft, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  await rename(draft, file);
}
