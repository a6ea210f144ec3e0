import { ZsError } from "../errors.js";
import { inputExcerpt } from "../input-excerpt.js";

/** Fields a list can filter on (model.md "Listing"). */
export const STRING_FILTER_FIELDS = ["id", "name", "scope", "workspace", "user"] as const;
export const DATE_FILTER_FIELDS = ["created", "updated"] as const;
export type StringFilterField = (typeof STRING_FILTER_FIELDS)[number];
export type DateFilterField = (typeof DATE_FILTER_FIELDS)[number];
export type FilterField = StringFilterField | DateFilterField;

export const STRING_OPERATORS = ["equals", "notequals", "contains", "startswith", "endswith"] as const;
export const DATE_OPERATORS = ["equals", "gt", "gte", "lt", "lte"] as const;
export type StringOperator = (typeof STRING_OPERATORS)[number];
export type DateOperator = (typeof DATE_OPERATORS)[number];

const KNOWN_OPERATORS: ReadonlySet<string> = new Set([...STRING_OPERATORS, ...DATE_OPERATORS]);

/**
 * The filter grammar as JSON Schema patterns, for the OpenAPI document (every value they match
 * parses; the parser below stays the judge and words the errors). A bare value with a colon is
 * left out: `equals:foo:bar` says the same without ambiguity.
 */
const STRING_OPERATOR_PREFIX = `(?:${STRING_OPERATORS.join("|")}):`;
/** A calendar date from year 1000: month lengths and leap years included. */
const DATE_TEXT =
  "(?:[1-9]\\d{3}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|02-(?:0[1-9]|1\\d|2[0-8]))" +
  "|(?:[1-9]\\d(?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[13579][26])00)-02-29)";
const TIME_TEXT = "(?:[T ](?:[01]\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d(?:\\.\\d{1,3})?)?)?";
const ZONE_TEXT = "(?:Z|[+-](?:0\\d|1[0-3]):[0-5]\\d|[+-]14:00)?";
/** A date `parseDatePeriod` takes: `YYYY-MM-DD`, with a time, with an offset. */
export const DATE_VALUE_PATTERN = `^${DATE_TEXT}${TIME_TEXT}${ZONE_TEXT}$`;
export const FILTER_VALUE_PATTERNS = {
  /** `id`, `name`, `workspace`, `user`: an operator and any text, or a bare text without a colon. */
  string: `^(?:${STRING_OPERATOR_PREFIX}[^\\u0000]*|[^:\\u0000]*)$`,
  /** `scope`: (not)equals a scope, or a substring test on any text. */
  scope: "^(?:(?:equals:|notequals:)?(?:workspace|user)|(?:contains|startswith|endswith):[^\\u0000]*)$",
  /** `created`, `updated`: an optional date operator and a date. */
  date: `^(?:(?:${DATE_OPERATORS.join("|")}):)?${DATE_TEXT}${TIME_TEXT}${ZONE_TEXT}$`,
} as const;

/** A string comparison; the SQL layer compiles it to a parameterised, case-sensitive test. */
export interface StringCondition {
  kind: "string";
  field: StringFilterField;
  operator: StringOperator;
  value: string;
}

/**
 * A date comparison, already reduced to bounds in epoch milliseconds: `min` inclusive,
 * `max` exclusive (either may be absent). The SQL layer only compiles `>=` and `<`.
 */
export interface DateCondition {
  kind: "date";
  field: DateFilterField;
  min?: number;
  max?: number;
}

export type FilterCondition = StringCondition | DateCondition;

function isStringField(field: string): field is StringFilterField {
  return (STRING_FILTER_FIELDS as readonly string[]).includes(field);
}

function isDateField(field: string): field is DateFilterField {
  return (DATE_FILTER_FIELDS as readonly string[]).includes(field);
}

function splitOperator(raw: string): { operator: string | undefined; value: string } {
  const colon = raw.indexOf(":");
  if (colon > 0) {
    const prefix = raw.slice(0, colon);
    // Split only on a known operator, so `name=foo:bar` means name equals `foo:bar`.
    if (KNOWN_OPERATORS.has(prefix)) return { operator: prefix, value: raw.slice(colon + 1) };
  }
  return { operator: undefined, value: raw };
}

const DATE_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(Z|[+-]\d{2}:\d{2})?$/;

/** The widest UTC offset in use (UTC+14:00, Line Islands); the narrowest is UTC-12:00, allowed to -14:00 for symmetry. */
const MAX_OFFSET_MINUTES = 14 * 60;

/** Minutes east of UTC of a `±HH:MM` offset; `undefined` when it is no real offset (minutes over 59, beyond ±14:00). */
function offsetMinutes(zone: string): number | undefined {
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(4, 6));
  const total = hours * 60 + minutes;
  if (minutes > 59 || total > MAX_OFFSET_MINUTES) return undefined;
  return zone.startsWith("-") ? -total : total;
}

/** A moment given at some precision: the period [start, end) it denotes, in epoch ms. */
export interface DatePeriod {
  start: number;
  end: number;
}

/**
 * Parses `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS[.sss]]` or the ISO-8601 `T` form, UTC unless an
 * offset (within ±14:00) is given. The result is the period the value denotes at its
 * precision, so `equals:2026-01-01` matches the whole day.
 */
export function parseDatePeriod(text: string): DatePeriod | undefined {
  const match = DATE_PATTERN.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, ms, zone] = match;
  const parts = [Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), Number((ms ?? "0").padEnd(3, "0"))] as const;
  const utc = Date.UTC(...parts);
  const check = new Date(utc);
  const valid =
    check.getUTCFullYear() === parts[0] &&
    check.getUTCMonth() === parts[1] &&
    check.getUTCDate() === parts[2] &&
    parts[3] < 24 &&
    parts[4] < 60 &&
    parts[5] < 60;
  if (!valid) return undefined;
  let offsetMs = 0;
  if (zone && zone !== "Z") {
    const minutes = offsetMinutes(zone);
    if (minutes === undefined) return undefined;
    offsetMs = minutes * 60_000;
  }
  const precision =
    ms !== undefined ? 10 ** (3 - ms.length) : s !== undefined ? 1000 : mi !== undefined ? 60_000 : 86_400_000;
  const start = utc - offsetMs;
  return { start, end: start + precision };
}

function dateBounds(operator: DateOperator, period: DatePeriod): { min?: number; max?: number } {
  switch (operator) {
    case "equals":
      return { min: period.start, max: period.end };
    case "gt":
      return { min: period.end };
    case "gte":
      return { min: period.start };
    case "lt":
      return { max: period.start };
    case "lte":
      return { max: period.end };
  }
}

/**
 * Parses one filter value (`OP:VALUE` or a bare value meaning `equals`) for a field.
 * Throws `INVALID_FILTER` saying what is allowed.
 */
export function parseFilter(field: string, raw: string): FilterCondition {
  // Neither database can compare a NUL: PostgreSQL refuses it, SQLite cuts the text there.
  if (raw.includes("\u0000")) throw new ZsError("INVALID_FILTER", `The '${field}' filter contains a NUL character.`);
  const { operator = "equals", value } = splitOperator(raw);
  if (isStringField(field)) {
    if (!(STRING_OPERATORS as readonly string[]).includes(operator)) {
      throw new ZsError(
        "INVALID_FILTER",
        `Operator '${operator}' cannot filter '${field}'; use one of: ${STRING_OPERATORS.join(", ")}.`,
      );
    }
    if (field === "scope" && (operator === "equals" || operator === "notequals") && value !== "workspace" && value !== "user") {
      throw new ZsError("INVALID_FILTER", `Scope filter value '${value}' is not a scope; use 'workspace' or 'user'.`);
    }
    return { kind: "string", field, operator: operator as StringOperator, value };
  }
  if (isDateField(field)) {
    if (!(DATE_OPERATORS as readonly string[]).includes(operator)) {
      throw new ZsError(
        "INVALID_FILTER",
        `Operator '${operator}' cannot filter '${field}'; use one of: ${DATE_OPERATORS.join(", ")}.`,
      );
    }
    const period = parseDatePeriod(value);
    if (!period) {
      const zone = DATE_PATTERN.exec(value)?.[8];
      if (zone && zone !== "Z" && offsetMinutes(zone) === undefined) {
        throw new ZsError(
          "INVALID_FILTER",
          `'${inputExcerpt(value)}' is not a date for '${field}': its UTC offset '${zone}' must be within -14:00 and +14:00 (minutes 00-59).`,
        );
      }
      throw new ZsError(
        "INVALID_FILTER",
        `'${inputExcerpt(value)}' is not a date for '${field}'; use ISO-8601 or 'YYYY-MM-DD HH:MM:SS' (UTC).`,
      );
    }
    return { kind: "date", field, ...dateBounds(operator as DateOperator, period) };
  }
  throw new ZsError(
    "INVALID_FILTER",
    `Cannot filter on '${field}'; filter fields are: ${[...STRING_FILTER_FIELDS, ...DATE_FILTER_FIELDS].join(", ")}.`,
  );
}
