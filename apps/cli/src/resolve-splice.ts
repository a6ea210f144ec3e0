import { assertWellFormedReferences, isZsError } from "@zs/core";
import type { ResolveTexts } from "./resolve-format.js";

/** A string of a file that holds references, and the line it starts on (from 1). */
export interface Template {
  template: string;
  line: number;
}

/** A span of a file, `text.slice(start, end)`, to be replaced. */
export interface Splice extends Template {
  start: number;
  end: number;
}

/** The line (from 1) of `offset` in `text`. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line += 1;
  return line;
}

/**
 * The templates resolved in one resolution (each secret read once), in order. A failure names
 * the line of `source` a reference sits on: the resolve route only numbers its texts.
 */
export async function resolveTemplates(templates: readonly Template[], source: string, resolveTexts: ResolveTexts): Promise<string[]> {
  for (const { template, line } of templates) assertWellFormedReferences(template, `Line ${line} of ${source}`);
  try {
    return await resolveTexts(templates.map(({ template }) => template));
  } catch (error) {
    const wanted = isZsError(error) ? /wanted by (?:the text|text (\d+))\)/.exec(error.message) : null;
    const site = wanted && templates[wanted[1] === undefined ? 0 : Number(wanted[1]) - 1];
    if (wanted && site) (error as Error).message = (error as Error).message.replace(wanted[0], `wanted by line ${site.line} of ${source})`);
    throw error;
  }
}

/**
 * `text` with each span replaced by `write(resolved, index)`, its template resolved (all in one
 * resolution). Spans are in order and do not overlap.
 */
export async function spliceResolved(
  text: string,
  splices: readonly Splice[],
  source: string,
  resolveTexts: ResolveTexts,
  write: (value: string, index: number) => string,
): Promise<string> {
  if (splices.length === 0) return text;
  const values = await resolveTemplates(splices, source, resolveTexts);
  let out = "";
  let from = 0;
  splices.forEach((splice, i) => {
    out += text.slice(from, splice.start) + write(values[i]!, i);
    from = splice.end;
  });
  return out + text.slice(from);
}
