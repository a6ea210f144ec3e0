import path from "node:path";

/** How `zs resolve` reads a file: by its format, escaping each resolved value for where it sits, or as plain text. */
export const RESOLVE_FORMATS = ["json", "yaml", "env", "text"] as const;
export type ResolveFormat = (typeof RESOLVE_FORMATS)[number];

/** Resolves templates in one resolution, in order. */
export type ResolveTexts = (templates: string[]) => Promise<string[]>;

/** The format a file's name says: `.json`, `.yaml`/`.yml`, `.env`/`.env.*`/`*.env`; anything else (and stdin) text. */
export function formatOfFile(file: string): ResolveFormat {
  const name = path.basename(file).toLowerCase();
  if (name.endsWith(".json")) return "json";
  if (name.endsWith(".yaml") || name.endsWith(".yml")) return "yaml";
  if (name === ".env" || name.startsWith(".env.") || name.endsWith(".env")) return "env";
  return "text";
}

/** `text` with its references resolved as `format` says; `source` names the file in errors. */
export async function resolveByFormat(text: string, format: ResolveFormat, source: string, resolveTexts: ResolveTexts): Promise<string> {
  switch (format) {
    case "json":
      return (await import("./resolve-json.js")).resolveJson(text, source, resolveTexts);
    case "yaml":
      return (await import("./resolve-yaml.js")).resolveYaml(text, source, resolveTexts);
    case "env":
      return (await import("./resolve-env.js")).resolveEnv(text, source, resolveTexts);
    case "text":
      // One text, as always: failures say "the text".
      return (await resolveTexts([text]))[0]!;
  }
}
