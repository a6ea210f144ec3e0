import { CST, Parser, parseAllDocuments } from "yaml";
import { plainScalarIsAmbiguous, yamlDoubleQuoted } from "./yaml-format.js";
import type { ResolveTexts } from "./resolve-format.js";
import { lineAt, resolveTemplates } from "./resolve-splice.js";

// `key: {{db.password}}` unquoted is, to YAML, a flow mapping inside a flow mapping; zs reads it
// as the reference it is meant to be (as text substitution always did).
const BARE_REFERENCE = /^\{\{ *[A-Za-z0-9_-]+\.[A-Za-z_][A-Za-z0-9_.-]* *\}\}$/;
// Written plain only when no YAML reader can take it for structure: no `#`, quotes, flow or other
// indicators (`@`, `%`, `-`, `=` not first: reserved, a directive, a list item, PyYAML's "value"),
// no space at either end, no `:` before a space or at the end.
const PLAIN_SAFE = /^[A-Za-z0-9_./+~](?:[A-Za-z0-9_./@%+=~: -]*[A-Za-z0-9_./@%+=~-])?$/;
const COLON_BEFORE_SPACE = /: /;
const PRINTABLE_LINE = /^[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;

interface Site {
  token: CST.Token;
  template: string;
  /** The scalar's style in the file; `undefined` for an unquoted `{{…}}` (a flow mapping to YAML). */
  style?: string;
  context: { afterKey?: boolean; implicitKey?: boolean; inFlow?: boolean };
}

/** The source of a flow collection without what follows its closing bracket (spaces, a comment). */
function flowSource(token: CST.FlowCollection): string {
  const close = token.end.findIndex((end) => end.type === "flow-map-end" || end.type === "flow-seq-end");
  return CST.stringify({ ...token, end: token.end.slice(0, close + 1) });
}

function collect(token: CST.Token | null | undefined, context: Site["context"], sites: Site[]): void {
  if (!token) return;
  if (token.type === "document") return collect(token.value, {}, sites);
  if (token.type === "flow-collection" && BARE_REFERENCE.test(flowSource(token))) {
    sites.push({ token, template: flowSource(token), context });
    return;
  }
  if (token.type === "block-map" || token.type === "block-seq" || token.type === "flow-collection") {
    const inFlow = token.type === "flow-collection";
    for (const item of token.items) {
      if ("key" in item) collect(item.key, { implicitKey: true, inFlow }, sites);
      collect(item.value, { afterKey: "key" in item && !inFlow, inFlow }, sites);
    }
    return;
  }
  const scalar = CST.resolveAsScalar(token);
  if (scalar?.value.includes("{{")) sites.push({ token, template: scalar.value, style: scalar.type ?? undefined, context });
}

/** The style a resolved value is written in: the file's own where it carries the value exactly, else double quotes. */
function styleFor(site: Site, value: string): "PLAIN" | "QUOTE_SINGLE" | "QUOTE_DOUBLE" {
  const bare = site.style === undefined;
  if ((bare || site.style === "PLAIN") && PLAIN_SAFE.test(value) && !COLON_BEFORE_SPACE.test(value) && (bare || !plainScalarIsAmbiguous(value))) return "PLAIN";
  if (site.style === "QUOTE_SINGLE" && PRINTABLE_LINE.test(value)) return "QUOTE_SINGLE";
  return "QUOTE_DOUBLE";
}

/**
 * YAML with the references in its strings (keys and values, any style) resolved, each written
 * so a YAML 1.1 or 1.2 reader reads exactly the resolved text: in the file's own quoting where
 * that carries it, else double-quoted. Comments, layout and every other byte are kept; a
 * reference in a comment is left as written. An unquoted `{{name.key}}` is resolved too, plain
 * when the value can be (so `port: {{db.port}}` stays a number), else quoted.
 */
export async function resolveYaml(text: string, source: string, resolveTexts: ResolveTexts): Promise<string> {
  for (const document of parseAllDocuments(text) as Iterable<{ errors: { code: string; linePos?: [{ line: number; col: number }, ...unknown[]] }[] }>) {
    const [error] = document.errors;
    if (error) {
      const where = error.linePos ? ` (line ${error.linePos[0].line}, column ${error.linePos[0].col})` : "";
      throw new Error(`${source} is not valid YAML${where}: ${error.code}; --format text resolves it as plain text.`);
    }
  }
  const tokens = [...new Parser().parse(text)];
  const sites: Site[] = [];
  for (const token of tokens) collect(token, {}, sites);
  if (sites.length === 0) return text;
  const values = await resolveTemplates(
    sites.map((site) => ({ template: site.template, line: lineAt(text, site.token.offset) })),
    source,
    resolveTexts,
  );
  sites.forEach((site, i) => {
    const value = values[i]!;
    const type = styleFor(site, value);
    CST.setScalarValue(site.token, value, { ...site.context, type });
    // One line, every special character escaped: the library would fold a long or multi-line one.
    if (type === "QUOTE_DOUBLE") (site.token as CST.FlowScalar).source = yamlDoubleQuoted(value);
  });
  return tokens.map((token) => CST.stringify(token)).join("");
}
