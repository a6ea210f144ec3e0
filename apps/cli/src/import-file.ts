import path from "node:path";
import { ZsError, documentImportSource, documentSecrets, type ImportSource } from "@zs/core";
import { parseEnv } from "./env-format.js";
import { UsageError } from "./usage-error.js";
import { readTextFile } from "./values-input.js";

/** The formats `zs secret import -f` reads, told by the file's name. */
type ImportFileFormat = "env" | "json" | "yaml";

function formatOf(file: string): ImportFileFormat {
  const name = path.basename(file).toLowerCase();
  if (name.endsWith(".env")) return "env";
  if (name.endsWith(".json")) return "json";
  if (name.endsWith(".yaml") || name.endsWith(".yml")) return "yaml";
  throw new UsageError(`Cannot tell the format of '${file}' from its name: import reads .env, .json, .yaml and .yml files.`);
}

/** `line L, column C` of a character offset. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split("\n");
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

// The parsers' messages quote the text around a mistake, which may be a value: only the position is kept.

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const offset = /at position (\d+)/.exec((error as Error).message)?.[1];
    throw new ZsError("VALIDATION_ERROR", `${what} is not valid JSON${offset === undefined ? "" : ` (${lineAndColumn(text, Number(offset))})`}.`);
  }
}

async function parseYaml(text: string, what: string): Promise<unknown> {
  const { parseYamlAsText } = await import("./yaml-format.js");
  try {
    return parseYamlAsText(text);
  } catch (error) {
    const at = (error as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    throw new ZsError("VALIDATION_ERROR", `${what} is not valid YAML${at ? ` (line ${at.line}, column ${at.col})` : ""}.`);
  }
}

/**
 * The secrets of a file as an import source: a `.env` file is one secret, named by `name`; a
 * JSON or YAML map of maps is one secret per top-level key; a flat JSON or YAML map is one
 * secret, named by `name`. YAML scalars are read as text (`1.10` stays `1.10`).
 */
export async function openFileSource(file: string, name: string | undefined): Promise<ImportSource> {
  const format = formatOf(file);
  if (format === "env" && name === undefined) throw new UsageError("A .env file holds one secret: name it with --name.");
  const text = await readTextFile(file);
  if (format === "env") return documentImportSource(new Map([[name!, parseEnv(text)]]));
  const what = `'${file}'`;
  const held = documentSecrets(format === "json" ? parseJson(text, what) : await parseYaml(text, what), what);
  if (held.kind === "values") {
    if (name === undefined) throw new UsageError(`${what} is one flat map of keys and values: name the secret with --name.`);
    return documentImportSource(new Map([[name, held.values]]));
  }
  if (name !== undefined) throw new UsageError(`${what} holds a map per secret, named by its top-level keys: --name is only for a .env file or a flat map.`);
  return documentImportSource(held.secrets);
}
