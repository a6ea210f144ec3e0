import { Document, parse, visit, type Scalar } from "yaml";

// Commands import this module only when they read or write YAML, so the YAML library stays out
// of every other command's start-up. (Imported statically here: a dynamic import of the
// CommonJS package itself would yield only its `default` export once bundled.)

// The plain scalars a YAML 1.2 (core schema) or YAML 1.1 reader resolves to something other than
// a string (`yes`, `on`, `1:20`, `1_000`, `0o17`, `2026-01-01`, `~`, `<<`, …), from the yaml
// library's own schemas, and PyYAML's `=` (its 1.1 "value" type, which it cannot even load).
const IMPLICIT_TYPES: readonly RegExp[] = [
  ...(["1.1", "1.2"] as const).flatMap((version) =>
    new Document(null, { version }).schema.tags.flatMap((tag) => ("test" in tag && tag.test instanceof RegExp ? [tag.test] : [])),
  ),
  /^=$/,
];
// What PyYAML reads as a line break (NEL, LS, PS) or refuses outright (non-printable), though
// the yaml library writes it as is even inside double quotes.
const PYYAML_UNSAFE = /[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;
const PYYAML_RAW = /[\x7f-\x9f\u2028\u2029\ufffe\uffff]/g;
const ESCAPES: Record<string, string> = { "\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P" };

/** True when `text` as a plain scalar could be read as anything but that string by a YAML 1.1 or 1.2 reader. */
export function plainScalarIsAmbiguous(text: string): boolean {
  return IMPLICIT_TYPES.some((type) => type.test(text)) || PYYAML_UNSAFE.test(text);
}

/**
 * YAML text of a wire object that YAML 1.2 readers (the yaml library) and YAML 1.1 readers
 * (PyYAML) read back alike: a string that either could take for another type, or that holds a
 * character PyYAML reads as a line break or refuses, is double-quoted, those characters escaped.
 */
export function toYaml(value: unknown): string {
  const document = new Document(value);
  visit(document, {
    Scalar(_, node: Scalar) {
      if (typeof node.value === "string" && plainScalarIsAmbiguous(node.value)) node.type = "QUOTE_DOUBLE";
    },
  });
  // Inside double quotes, where every such character now is (a string holding one is quoted).
  return escapeForPyyaml(document.toString());
}

/** `text` as a one-line YAML double-quoted scalar that YAML 1.1 and 1.2 readers read back exactly. */
export function yamlDoubleQuoted(text: string): string {
  // JSON's escapes are YAML's too; what JSON leaves raw and PyYAML would misread is escaped as well.
  return escapeForPyyaml(JSON.stringify(text));
}

function escapeForPyyaml(yaml: string): string {
  return yaml.replace(PYYAML_RAW, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Parses YAML with every scalar read as text, so `1.10` stays `1.10`; an empty document is `null`. */
export function parseYamlAsText(text: string): unknown {
  return parse(text, { schema: "failsafe" });
}
