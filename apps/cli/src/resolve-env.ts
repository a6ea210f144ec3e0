import { dotenvValue, scanEnv, unportableValueError } from "./env-format.js";
import type { ResolveTexts } from "./resolve-format.js";
import { spliceResolved } from "./resolve-splice.js";

/**
 * A .env file with the references in its values resolved, each value re-quoted as `export
 * --format env` writes it (npm dotenv and python-dotenv read it back exactly); keys, `export`,
 * comments and every other byte are kept. A resolved value no dotenv form carries is an error
 * naming its key; a reference in a comment is left as written.
 */
export async function resolveEnv(text: string, source: string, resolveTexts: ResolveTexts): Promise<string> {
  let scanned;
  try {
    scanned = scanEnv(text);
  } catch (error) {
    throw new Error(`${source} is not valid dotenv: ${(error as Error).message} --format text resolves it as plain text.`);
  }
  const entries = scanned.filter((entry) => entry.value.includes("{{"));
  const splices = entries.map((entry) => ({ start: entry.start, end: entry.end, template: entry.value, line: entry.line }));
  return spliceResolved(text, splices, source, resolveTexts, (value, i) => {
    const written = dotenvValue(value);
    if (written === undefined) throw unportableValueError(entries[i]!.key, "a JSON or YAML file");
    return written;
  });
}
