import { readFile } from "node:fs/promises";
import path from "node:path";
import { ZsError, readConfig, type ZsConfig } from "@zs/core";
import { parse } from "yaml";

/**
 * The server's settings (stores.md): `ZS_*` variables over the YAML file given with
 * `--config`, whose keys are the variable names without `ZS_` (`database_url: …`).
 */
export async function readServerConfig(configFile: string | undefined, env: Record<string, string | undefined>): Promise<ZsConfig> {
  if (configFile === undefined) return readConfig({ env });
  let text: string;
  try {
    text = await readFile(configFile, "utf8");
  } catch (error) {
    throw new ZsError("CONFIGURATION_ERROR", `Cannot read the config file ${configFile}: ${(error as NodeJS.ErrnoException).code ?? "unreadable"}.`);
  }
  let file: unknown;
  try {
    file = parse(text);
  } catch {
    throw new ZsError("CONFIGURATION_ERROR", `The config file ${configFile} is not valid YAML.`);
  }
  if (file !== null && (typeof file !== "object" || Array.isArray(file))) {
    throw new ZsError("CONFIGURATION_ERROR", `The config file ${configFile} must be a YAML mapping of settings.`);
  }
  return readConfig({ env, file: (file ?? {}) as Record<string, unknown>, configDir: path.dirname(path.resolve(configFile)) });
}
