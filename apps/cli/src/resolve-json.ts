import type { ResolveTexts } from "./resolve-format.js";
import { lineAt, spliceResolved, type Splice } from "./resolve-splice.js";

// In valid JSON every `"` outside a string opens one, so this finds exactly its strings.
const JSON_STRING = /"(?:[^"\\]|\\.)*"/g;

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position).split("\n");
  return `line ${before.length}, column ${before.at(-1)!.length + 1}`;
}

/**
 * JSON with the references in its strings (keys and values) resolved, each string written back
 * JSON-escaped; every other byte is kept. The file must be valid JSON, so a reference outside a
 * string (`"port": {{db.port}}`) is an error that names where, not a guess.
 */
export async function resolveJson(text: string, source: string, resolveTexts: ResolveTexts): Promise<string> {
  try {
    JSON.parse(text);
  } catch (error) {
    // Only the position: the parser's message may quote the file.
    const position = /at position (\d+)/.exec((error as Error).message)?.[1];
    const where = position === undefined ? "" : ` (${lineAndColumn(text, Number(position))})`;
    throw new Error(`${source} is not valid JSON${where}: a reference must sit inside a JSON string ("{{db.password}}"); --format text resolves it as plain text.`);
  }
  const splices: Splice[] = [];
  for (const match of text.matchAll(JSON_STRING)) {
    const template = JSON.parse(match[0]) as string;
    if (template.includes("{{")) splices.push({ start: match.index, end: match.index + match[0].length, template, line: lineAt(text, match.index) });
  }
  return spliceResolved(text, splices, source, resolveTexts, (value) => JSON.stringify(value));
}
