/**
 * Values that break naive quoting in YAML, JSON, dotenv and POSIX shells. Every key is a valid
 * shell variable name, so `-o env` output can be `eval`-ed and each variable printed.
 */
export const NASTY_VALUES: Readonly<Record<string, string>> = {
  double_quotes: 'say "hi" and ""',
  single_quotes: "it's 'quoted'",
  quote_mix: `'"\`$\\`,
  three_single_quotes: "'''",
  backticks: "`whoami` $(id)",
  dollars: "$HOME ${PATH} $1 $$",
  backslashes: "C:\\new\\table\\\\ end\\",
  hash: "a #not a comment",
  hash_start: "#start",
  lead_trail: "  spaced out  ",
  only_space: " ",
  tab: "\tTab\t",
  newlines: "line1\nline2\n",
  crlf: "a\r\nb\r\n",
  lone_cr: "x\ry",
  trailing_newline: "end\n",
  unicode: "héllo ✓ 日本語 🎉 \u2028 \u0085 \ufeffbom",
  empty: "",
  empty_quotes: '""',
  number_like: "1.10",
  leading_zero: "007",
  exponent: "1e3",
  bool_true: "true",
  bool_yes: "yes",
  bool_off: "off",
  null_word: "null",
  tilde: "~",
  colon_space: "a: b",
  dash_space: "- item",
  brace: "{x: 1}",
  bracket: "[1, 2]",
  ampersand: "&anchor",
  star: "*alias",
  bang: "!tag",
  question: "? q",
  pipe: "| x",
  greater: "> x",
  percent: "%YAML 1.2",
  at: "@not-a-file",
  equals: "a=b=c",
  semicolon: "a; echo injected >&2",
  doc_marker: "---",
};

/** The key rule of model.md as core words it. */
export const KEY_RULE = "must be 1-255 characters, start with a letter or '_', then letters, digits, '_', '-' or '.' (and not __proto__)";

/** The name rule of model.md as core words it. */
export const NAME_RULE = "must be 1-255 characters of A-Z a-z 0-9 _ - and not a UUID";

/** Core's message for an invalid key in a create (`secret`) or an update (`update`). */
export function invalidKeyMessage(what: "secret" | "update", key: string): string {
  return `Invalid ${what}: values.${key}: invalid key '${key}': ${KEY_RULE}.`;
}

/** ISO-8601 UTC with milliseconds, as model.md gives `created` and `updated`. */
export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A UUID v4. */
export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Splits a borderless table line into its cells (columns are two or more spaces apart). */
export function cells(line: string): string[] {
  return line.trim().split(/ {2,}/);
}

/** A secret as `create`, `update` and `get` print it: a metadata table, then KEY / VALUE rows. */
export interface PrintedSecret {
  header: string[];
  about: string[];
  keyHeader: string[];
  rows: string[][];
  /** The lines after the KEY / VALUE table (`Secret 'N' created.`), without the blank line. */
  trailer: string[];
}

/** Parses `PrintedSecret` out of stdout (for values without double spaces or newlines). */
export function parseSecretOutput(stdout: string): PrintedSecret {
  const lines = stdout.split("\n");
  if (lines.at(-1) !== "") throw new Error(`Output does not end with a newline: ${JSON.stringify(stdout)}`);
  lines.pop();
  const [header = "", about = "", blank = "x", keyHeader = "", ...rest] = lines;
  if (blank !== "") throw new Error(`Expected a blank line after the metadata table: ${JSON.stringify(stdout)}`);
  const end = rest.indexOf("");
  const rows = (end < 0 ? rest : rest.slice(0, end)).map(cells);
  return { header: cells(header), about: cells(about), keyHeader: cells(keyHeader), rows, trailer: end < 0 ? [] : rest.slice(end + 1) };
}
