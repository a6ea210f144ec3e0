import { ZsError } from "../errors.js";

/** A `{{name.key}}` reference. */
export interface SecretReference {
  name: string;
  key: string;
  /** The reference as written, braces included. */
  raw: string;
}

/** A template is literal text with references embedded. */
export type TemplateSegment = { kind: "text"; text: string } | ({ kind: "reference" } & SecretReference);

// `{{`, optional spaces, a name (no dot, space or brace), a dot, a key (dots allowed),
// optional spaces, `}}` (references.md).
const REFERENCE_AT = /\{\{ *([A-Za-z0-9_-]+)\.([A-Za-z_][A-Za-z0-9_.-]*) *\}\}/y;

function matchAt(pattern: RegExp, text: string, index: number): RegExpExecArray | null {
  pattern.lastIndex = index;
  return pattern.exec(text);
}

interface Scan {
  segments: TemplateSegment[];
  /** `{{…}}` spans that look like references but are not. */
  malformed: string[];
}

function scan(text: string): Scan {
  const segments: TemplateSegment[] = [];
  const malformed: string[] = [];
  let literal = "";
  let i = 0;
  // Index of the first `}` at or after the last search (-1: none left). Kept across positions
  // so a text full of `{{` without `}}` is scanned in linear, not quadratic, time.
  let close: number | undefined;
  // End of the last malformed span: the spans starting inside it are its own suffixes, not news.
  let malformedEnd = 0;
  const flush = () => {
    if (literal) segments.push({ kind: "text", text: literal });
    literal = "";
  };
  while (i < text.length) {
    if (text.startsWith("\\{{", i)) {
      literal += "{{";
      i += 3;
      continue;
    }
    if (text.startsWith("{{", i) && text[i - 1] !== "$") {
      const reference = matchAt(REFERENCE_AT, text, i);
      if (reference) {
        flush();
        segments.push({ kind: "reference", name: reference[1]!, key: reference[2]!, raw: reference[0] });
        i += reference[0].length;
        continue;
      }
      // A malformed span is `{{`, anything but `}`, then `}}`.
      if (close === undefined || (close !== -1 && close < i + 2)) close = text.indexOf("}", i + 2);
      if (close !== -1 && text[close + 1] === "}" && i >= malformedEnd) {
        malformed.push(text.slice(i, close + 2));
        malformedEnd = close + 2;
      }
    }
    literal += text[i];
    i += 1;
  }
  flush();
  return { segments, malformed };
}

/**
 * `text` with every reference to secret `from` naming secret `to` instead, everything else
 * (spacing inside the braces, `\{{` escapes, malformed spans) kept byte for byte. Walks the
 * text as the parser does, so exactly the references it finds are rewritten.
 */
export function renameReferences(text: string, from: string, to: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    if (text.startsWith("\\{{", i)) {
      out += "\\{{";
      i += 3;
      continue;
    }
    if (text.startsWith("{{", i) && text[i - 1] !== "$") {
      const reference = matchAt(REFERENCE_AT, text, i);
      if (reference) {
        // The name is the first run of name characters after `{{` and spaces.
        out += reference[1] === from ? reference[0].replace(from, to) : reference[0];
        i += reference[0].length;
        continue;
      }
    }
    out += text[i];
    i += 1;
  }
  return out;
}

/** Splits `text` into literal text and references; `\{{` is a literal `{{`. Never throws. */
export function parseTemplate(text: string): TemplateSegment[] {
  return scan(text).segments;
}

/** Every reference in `text`, in order of appearance. */
export function findReferences(text: string): SecretReference[] {
  return parseTemplate(text).filter((s): s is Extract<TemplateSegment, { kind: "reference" }> => s.kind === "reference").map(({ name, key, raw }) => ({ name, key, raw }));
}

/** `{{…}}` spans in `text` that look like references but are malformed (e.g. `{{db . password}}`). */
export function findMalformedReferences(text: string): string[] {
  return scan(text).malformed;
}

/** True when the whole of `text` is exactly one reference. */
export function isReference(text: string): boolean {
  const segments = parseTemplate(text);
  return segments.length === 1 && segments[0]!.kind === "reference";
}

/** Parses a string that must be exactly one reference; throws `INVALID_REFERENCE` otherwise. */
export function parseReference(text: string): SecretReference {
  const [only, ...rest] = parseTemplate(text);
  if (only?.kind !== "reference" || rest.length > 0) {
    throw new ZsError("INVALID_REFERENCE", `'${text}' is not a reference; write {{secret_name.key}}.`);
  }
  return { name: only.name, key: only.key, raw: only.raw };
}

/** Renders a template, replacing each reference with `valueOf(reference)`. */
export function renderTemplate(segments: readonly TemplateSegment[], valueOf: (reference: SecretReference) => string): string {
  return segments.map((segment) => (segment.kind === "text" ? segment.text : valueOf(segment))).join("");
}

/**
 * Refuses `text` with `INVALID_REFERENCE` when it holds a malformed reference, naming where it
 * sits (`where`, e.g. "attribute 'url'") and the offending span.
 */
export function assertWellFormedReferences(text: string, where: string): void {
  const [first] = findMalformedReferences(text);
  if (first === undefined) return;
  const shown = first.length > 60 ? `${first.slice(0, 60)}…` : first;
  throw new ZsError(
    "INVALID_REFERENCE",
    `${where} holds a malformed reference '${shown}': write {{secret_name.key}}, or \\{{ for a literal '{{'.`,
  );
}
