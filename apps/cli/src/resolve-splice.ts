import type { ResolveTexts } from "./resolve-format.js";

/** A span of a file, `text.slice(start, end)`, to be replaced. */
export interface Splice {
  start: number;
  end: number;
}

/**
 * `text` with each span replaced by `write(resolved)`, its template resolved — all templates in
 * one resolution, so each secret is read once. Spans are in order and do not overlap.
 */
export async function spliceResolved(
  text: string,
  splices: readonly (Splice & { template: string })[],
  resolveTexts: ResolveTexts,
  write: (value: string, index: number) => string,
): Promise<string> {
  if (splices.length === 0) return text;
  const values = await resolveTexts(splices.map((splice) => splice.template));
  let out = "";
  let from = 0;
  splices.forEach((splice, i) => {
    out += text.slice(from, splice.start) + write(values[i]!, i);
    from = splice.end;
  });
  return out + text.slice(from);
}
