import { UsageError } from "./usage-error.js";

// What npm `dotenv` and `python-dotenv` both read back exactly (each parser checked, see
// test/portable-files.test.ts):
// - bare: these characters only (neither parser unescapes a bare value; `#` starts a comment,
//   edges are trimmed, quotes start a quoted value);
// - double quotes: npm reads only `\n` and `\r` as escapes, python-dotenv also `\\`, `\'`,
//   `\"`, `\a`, `\b`, `\f`, `\t`, `\v` — so no `"`, and no backslash before one of those
//   letters or at the end; newlines and carriage returns are written `\n` and `\r`;
// - single quotes: npm reads no escape, python-dotenv `\\` and `\'` — so no `'`, no `\\`, no
//   final backslash, and no carriage return (both read `\r` in a file as a line break);
// - `${NAME}` is expanded by python-dotenv in every form, and cannot be escaped.
const BARE = /^[A-Za-z0-9_./:@%+,=\\-]+$/;
const PYTHON_DOTENV_VARIABLE = /\$\{[^}:]*(?::-[^}]*)?\}/;
const DOUBLE_QUOTE_BREAKERS = /"|\\(?=[\\'"abfnrtv\n\r]|$)/;
const SINGLE_QUOTE_BREAKERS = /'|\r|\\\\|\\$/;

/** A value as dotenv writes it, or `undefined` when no form reads back exactly in both parsers. */
export function dotenvValue(value: string): string | undefined {
  if (PYTHON_DOTENV_VARIABLE.test(value)) return undefined;
  if (BARE.test(value)) return value;
  if (!DOUBLE_QUOTE_BREAKERS.test(value)) return `"${value.replace(/\n/g, "\\n").replace(/\r/g, "\\r")}"`;
  if (!SINGLE_QUOTE_BREAKERS.test(value)) return `'${value}'`;
  return undefined;
}

/** The error for a key whose value no dotenv form carries; it names the key, never the value. */
export function unportableValueError(key: string, alternative: string): Error {
  return new Error(
    `The value of '${key}' cannot be written as dotenv that npm dotenv and python-dotenv both read back exactly ` +
      `(a value holding both ' and ", or \${…}, for example); use ${alternative} instead.`,
  );
}

/**
 * `KEY=value` lines (a `.env` file) that npm `dotenv`, `python-dotenv` and `parseEnv` all read
 * back exactly: bare when safe, else double- or single-quoted. A value no form carries is an
 * error naming its key (`alternative` says what to use instead); nothing is returned then.
 */
export function formatEnv(values: Record<string, string>, alternative: string): string {
  return Object.entries(values)
    .map(([key, value]) => {
      const written = dotenvValue(value);
      if (written === undefined) throw unportableValueError(key, alternative);
      return `${key}=${written}\n`;
    })
    .join("");
}

// Any word before `=` is taken as the key, so an invalid one (`12abc=x`) reaches core's key
// check and is refused for what it is, not as "not dotenv".
const KEY_AT_LINE = /^[ \t]*(?:export[ \t]+)?([^\s=#:'"]+)[ \t]*=[ \t]*/;
const BLANK_OR_COMMENT = /^\s*(#.*)?\r?$/;

/**
 * True when `text` is dotenv data: its first line that is neither blank nor a comment is
 * `KEY=…`. Only the first line is looked at, since a quoted value may span several lines.
 */
export function looksLikeDotenv(text: string): boolean {
  const first = text.split("\n").find((line) => !BLANK_OR_COMMENT.test(line));
  return first !== undefined && KEY_AT_LINE.test(first);
}

/** One `KEY=value` assignment of dotenv text. */
export interface DotenvEntry {
  key: string;
  value: string;
  /** Where the value is written in the text (quotes included, a trailing comment not): `text.slice(start, end)`. */
  start: number;
  end: number;
  /** The line the assignment starts on, from 1. */
  line: number;
}

// python-dotenv's double-quote escapes; any other backslash is kept as written.
const DOUBLE_QUOTE_ESCAPES: Record<string, string> = { "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };

/**
 * Reads dotenv text: `KEY=value` lines, optional `export`, `#` comments and blank lines, values
 * bare (to the end of the line or a ` #` comment, trimmed), single-quoted (literal, may span
 * lines; `'\''` joins a quote as in a shell) or double-quoted (may span lines; the escapes
 * python-dotenv reads: `\\`, `\'`, `\"`, `\a`, `\b`, `\f`, `\n`, `\r`, `\t`, `\v`; any other
 * backslash is kept). What `formatEnv` writes, this reads back exactly.
 */
export function scanEnv(text: string): DotenvEntry[] {
  const entries: DotenvEntry[] = [];
  let i = 0;
  let line = 1;
  while (i < text.length) {
    const lineEnd = text.indexOf("\n", i) === -1 ? text.length : text.indexOf("\n", i);
    const current = text.slice(i, lineEnd);
    if (BLANK_OR_COMMENT.test(current)) {
      i = lineEnd + 1;
      line += 1;
      continue;
    }
    const match = KEY_AT_LINE.exec(current);
    if (!match) throw new UsageError(`Line ${line} of the dotenv data is not KEY=VALUE.`);
    const key = match[1]!;
    const startLine = line;
    i += match[0].length;
    const start = i;
    let value = "";
    let quoted = false;
    for (;;) {
      const c = text[i];
      if (c === "'") {
        const close = text.indexOf("'", i + 1);
        if (close === -1) throw new UsageError(`The value of '${key}' (line ${line}) has an unclosed single quote.`);
        const part = text.slice(i + 1, close);
        line += part.split("\n").length - 1;
        value += part;
        i = close + 1;
        quoted = true;
      } else if (c === '"') {
        i += 1;
        for (;;) {
          const d = text[i];
          if (d === undefined) throw new UsageError(`The value of '${key}' (line ${line}) has an unclosed double quote.`);
          i += 1;
          if (d === '"') break;
          const escaped = d === "\\" ? DOUBLE_QUOTE_ESCAPES[text[i] ?? ""] : undefined;
          if (escaped !== undefined) {
            value += escaped;
            i += 1;
          } else {
            if (d === "\n") line += 1;
            value += d;
          }
        }
        quoted = true;
      } else if (c === "\\" && text[i + 1] === "'" && quoted) {
        // The `'\''` idiom: an escaped quote between two single-quoted parts.
        value += "'";
        i += 2;
      } else {
        break;
      }
    }
    const end = text.indexOf("\n", i) === -1 ? text.length : text.indexOf("\n", i);
    const rest = text.slice(i, end).replace(/\r$/, "");
    let valueEnd = i;
    if (quoted) {
      if (!/^\s*(#.*)?$/.test(rest)) throw new UsageError(`Unexpected text after the quoted value of '${key}' (line ${line}).`);
    } else {
      value = rest.replace(/\s+#.*$/, "").trim();
      valueEnd = i + rest.replace(/\s+#.*$/, "").trimEnd().length;
    }
    entries.push({ key, value, start, end: valueEnd, line: startLine });
    i = end + 1;
    line += 1;
  }
  return entries;
}

/** Dotenv text as a values map (`scanEnv`); a later assignment of a key wins. */
export function parseEnv(text: string): Record<string, string> {
  return Object.fromEntries(scanEnv(text).map((entry) => [entry.key, entry.value]));
}
