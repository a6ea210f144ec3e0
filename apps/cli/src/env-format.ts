import { UsageError } from "./usage-error.js";

const SAFE_UNQUOTED = /^[A-Za-z0-9_./:@%+,=-]+$/;

/** Quotes a value for a POSIX shell and for `parseEnv`: bare when safe, else single-quoted. */
function quote(value: string): string {
  if (SAFE_UNQUOTED.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `KEY=value` lines, quoted where needed, for `eval`, `source` or a .env file. */
export function formatEnv(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}=${quote(value)}\n`)
    .join("");
}

// Any word before `=` is taken as the key, so an invalid one (`12abc=x`) reaches core's key
// check and is refused for what it is, not as "not dotenv".
const KEY_AT_LINE = /^[ \t]*(?:export[ \t]+)?([^\s=#:'"]+)[ \t]*=/;

/**
 * True when `text` is dotenv data: its first line that is neither blank nor a comment is
 * `KEY=…`. Only the first line is looked at, since a quoted value may span several lines.
 */
export function looksLikeDotenv(text: string): boolean {
  const first = text.split("\n").find((line) => !/^\s*(#.*)?\r?$/.test(line));
  return first !== undefined && KEY_AT_LINE.test(first);
}

/**
 * Parses dotenv lines: `KEY=value`, optional `export`, `#` comments and blank lines, values
 * bare (to the end of the line or a ` #` comment), single-quoted (literal, may span lines,
 * `'\''` for a quote) or double-quoted (`\\`, `\"`, `\n`, `\t`, `\$`, `` \` `` escapes).
 * What `formatEnv` writes, this reads back exactly.
 */
export function parseEnv(text: string): Record<string, string> {
  const values = new Map<string, string>();
  let i = 0;
  let line = 1;
  while (i < text.length) {
    const lineEnd = text.indexOf("\n", i) === -1 ? text.length : text.indexOf("\n", i);
    const current = text.slice(i, lineEnd);
    if (/^\s*(#.*)?\r?$/.test(current)) {
      i = lineEnd + 1;
      line += 1;
      continue;
    }
    const match = KEY_AT_LINE.exec(current);
    if (!match) throw new UsageError(`Line ${line} of the dotenv data is not KEY=VALUE.`);
    const key = match[1]!;
    i += match[0].length;
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
          if (d === "\\") {
            const e = text[i];
            i += 1;
            value += e === "n" ? "\n" : e === "t" ? "\t" : e === "r" ? "\r" : e === undefined ? "\\" : e;
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
    if (quoted) {
      if (!/^\s*(#.*)?$/.test(rest)) throw new UsageError(`Unexpected text after the quoted value of '${key}' (line ${line}).`);
    } else {
      value = rest.replace(/\s+#.*$/, "").trim();
    }
    values.set(key, value);
    i = end + 1;
    line += 1;
  }
  return Object.fromEntries(values);
}
