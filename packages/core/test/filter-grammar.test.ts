import { describe, expect, it } from "@jest/globals";
import {
  DATE_OPERATORS,
  FILTER_VALUE_PATTERNS,
  STRING_FILTER_FIELDS,
  STRING_OPERATORS,
  parseDatePeriod,
  parseFilter,
  type FilterCondition,
} from "../src/index.js";
import { thrown } from "./support/thrown.js";

const DAY = 86_400_000;

const filterError = (field: string, raw: string) => thrown(() => parseFilter(field, raw));

describe("filter grammar: string fields", () => {
  it("a bare filter value means equals", () => {
    expect(parseFilter("name", "db")).toEqual({ kind: "string", field: "name", operator: "equals", value: "db" });
  });

  it.each(STRING_OPERATORS.map((operator) => [operator]))("'%s:VALUE' is that operator with that value", (operator) => {
    expect(parseFilter("name", `${operator}:db`)).toEqual({ kind: "string", field: "name", operator, value: "db" });
  });

  it.each(STRING_FILTER_FIELDS.filter((field) => field !== "scope").map((field) => [field]))(
    "'%s' takes every string operator",
    (field) => {
      for (const operator of STRING_OPERATORS) {
        expect(parseFilter(field, `${operator}:abc`)).toMatchObject({ kind: "string", field, operator, value: "abc" });
      }
    },
  );

  it("a prefix that is not a known operator is part of a bare value: name=foo:bar means name equals 'foo:bar'", () => {
    expect(parseFilter("name", "foo:bar")).toEqual({ kind: "string", field: "name", operator: "equals", value: "foo:bar" });
  });

  it("splits on the first colon only", () => {
    expect(parseFilter("name", "contains:a:b")).toMatchObject({ operator: "contains", value: "a:b" });
    expect(parseFilter("name", "equals:equals:x")).toMatchObject({ operator: "equals", value: "equals:x" });
  });

  it("operators are case-sensitive: 'EQUALS:x' is a bare value", () => {
    expect(parseFilter("name", "EQUALS:x")).toMatchObject({ operator: "equals", value: "EQUALS:x" });
  });

  it("a leading colon is part of a bare value", () => {
    expect(parseFilter("name", ":x")).toMatchObject({ operator: "equals", value: ":x" });
  });

  it("%, _ and \\ are kept verbatim in the value", () => {
    expect(parseFilter("name", "contains:50%_off\\")).toMatchObject({ operator: "contains", value: "50%_off\\" });
  });

  it("a date operator on a string field is INVALID_FILTER listing the allowed operators", () => {
    const error = filterError("name", "gt:abc");
    expect(error.code).toBe("INVALID_FILTER");
    expect(error.message).toContain("'gt'");
    expect(error.message).toContain("'name'");
    expect(error.message).toContain(STRING_OPERATORS.join(", "));
  });

  it("scope equals workspace or user", () => {
    expect(parseFilter("scope", "user")).toMatchObject({ field: "scope", operator: "equals", value: "user" });
    expect(parseFilter("scope", "notequals:workspace")).toMatchObject({ operator: "notequals", value: "workspace" });
  });

  it.each(["team", "equals:USER", "notequals:global", ""])("scope '%s' is not a scope: INVALID_FILTER naming the scopes", (raw) => {
    const error = filterError("scope", raw);
    expect(error.code).toBe("INVALID_FILTER");
    expect(error.message).toContain("'workspace' or 'user'");
  });

  it("an unknown field is INVALID_FILTER naming the filter fields", () => {
    const error = filterError("color", "red");
    expect(error.code).toBe("INVALID_FILTER");
    expect(error.message).toContain("'color'");
    expect(error.message).toContain("id, name, scope, workspace, user, created, updated");
  });
});

describe("filter grammar: date fields", () => {
  const jan1 = Date.UTC(2026, 0, 1);

  it("a bare date means equals: the whole day, min inclusive and max exclusive", () => {
    expect(parseFilter("created", "2026-01-01")).toEqual({ kind: "date", field: "created", min: jan1, max: jan1 + DAY });
  });

  it.each(DATE_OPERATORS.map((operator) => [operator]))("'%s:DATE' is accepted on 'updated'", (operator) => {
    expect(parseFilter("updated", `${operator}:2026-01-01`)).toMatchObject({ kind: "date", field: "updated" });
  });

  it("equals on a date matches the whole day", () => {
    const condition = parseFilter("created", "equals:2026-01-01");
    expect(condition).toEqual({ kind: "date", field: "created", min: jan1, max: jan1 + DAY });
  });

  it("gt means after the period: from the end of that day", () => {
    expect(parseFilter("created", "gt:2026-01-01")).toEqual({ kind: "date", field: "created", min: jan1 + DAY });
  });

  it("gte means from the start of the period", () => {
    expect(parseFilter("created", "gte:2026-01-01")).toEqual({ kind: "date", field: "created", min: jan1 });
  });

  it("lt means before the start of the period", () => {
    expect(parseFilter("created", "lt:2026-01-01")).toEqual({ kind: "date", field: "created", max: jan1 });
  });

  it("lte means through the end of the period", () => {
    expect(parseFilter("created", "lte:2026-01-01")).toEqual({ kind: "date", field: "created", max: jan1 + DAY });
  });

  it("a moment to the second is a one-second period", () => {
    const at = Date.UTC(2026, 10, 28, 5, 3, 35);
    expect(parseFilter("updated", "2026-11-28 05:03:35")).toEqual({ kind: "date", field: "updated", min: at, max: at + 1000 });
    expect(parseFilter("updated", "gt:2026-11-28 05:03:35")).toEqual({ kind: "date", field: "updated", min: at + 1000 });
    expect(parseFilter("updated", "lte:2026-11-28 05:03:35")).toEqual({ kind: "date", field: "updated", max: at + 1000 });
  });

  it("a moment to the millisecond is a one-millisecond period", () => {
    const at = Date.UTC(2026, 10, 28, 5, 3, 35, 123);
    expect(parseFilter("created", "2026-11-28T05:03:35.123Z")).toEqual({ kind: "date", field: "created", min: at, max: at + 1 });
  });

  it("a string operator on a date field is INVALID_FILTER listing the date operators", () => {
    const error = filterError("created", "contains:2026");
    expect(error.code).toBe("INVALID_FILTER");
    expect(error.message).toContain("'contains'");
    expect(error.message).toContain("'created'");
    expect(error.message).toContain(DATE_OPERATORS.join(", "));
  });

  it.each(["2026-02-30", "2026-13-01", "2026-01-01 25:00:00", "2026-01-01 23:60:00", "2026-01-01 23:59:60", "garbage", "", "2026-1-1", "yesterday", "1767225600000"])(
    "'%s' is not a date: INVALID_FILTER saying which formats are allowed",
    (value) => {
      const error = filterError("created", `gte:${value}`);
      expect(error.code).toBe("INVALID_FILTER");
      expect(error.message).toContain("ISO-8601");
      expect(error.message).toContain("YYYY-MM-DD HH:MM:SS");
    },
  );
});

describe("date offsets are within ±14:00", () => {
  it.each(["2026-01-01T00:00:00+99:99", "2026-01-01T00:00:00+14:01", "2026-01-01T00:00:00-14:30", "2026-01-01 10:00:00+15:00", "2026-01-01T00:00:00+01:60"])(
    "'%s' is INVALID_FILTER naming the offset rule",
    (value) => {
      for (const field of ["created", "updated"]) {
        const error = filterError(field, `gte:${value}`);
        expect(error.code).toBe("INVALID_FILTER");
        expect(error.message).toContain(`'${field}'`);
        expect(error.message).toContain("must be within -14:00 and +14:00");
      }
      expect(parseDatePeriod(value)).toBeUndefined();
    },
  );

  it.each<[string, number]>([
    ["2026-01-01T00:00:00+14:00", Date.UTC(2025, 11, 31, 10)],
    ["2026-01-01T00:00:00-14:00", Date.UTC(2026, 0, 1, 14)],
    ["2026-01-01T00:00:00+05:45", Date.UTC(2025, 11, 31, 18, 15)],
    ["2026-01-01T00:00:00-00:00", Date.UTC(2026, 0, 1)],
  ])("'%s' is accepted", (value, start) => {
    expect(parseDatePeriod(value)?.start).toBe(start);
    expect(parseFilter("created", value)).toMatchObject({ min: start });
  });
});

describe("parseDatePeriod", () => {
  it.each<[string, number, number]>([
    ["2026-01-01", Date.UTC(2026, 0, 1), DAY],
    ["2024-02-29", Date.UTC(2024, 1, 29), DAY],
    ["2026-03-04 05:06:07", Date.UTC(2026, 2, 4, 5, 6, 7), 1000],
    ["2026-03-04T05:06:07", Date.UTC(2026, 2, 4, 5, 6, 7), 1000],
    ["2026-03-04T05:06:07Z", Date.UTC(2026, 2, 4, 5, 6, 7), 1000],
    ["2026-03-04T05:06", Date.UTC(2026, 2, 4, 5, 6), 60_000],
    ["2026-03-04T05:06:07.123Z", Date.UTC(2026, 2, 4, 5, 6, 7, 123), 1],
    ["2026-03-04T05:06:07.5Z", Date.UTC(2026, 2, 4, 5, 6, 7, 500), 100],
    ["2026-03-04T05:06:07.12Z", Date.UTC(2026, 2, 4, 5, 6, 7, 120), 10],
    ["2026-03-04T05:06:07+02:00", Date.UTC(2026, 2, 4, 3, 6, 7), 1000],
    ["2026-03-04T05:06:07.250+02:00", Date.UTC(2026, 2, 4, 3, 6, 7, 250), 1],
    ["2026-03-04T05:06:07-05:30", Date.UTC(2026, 2, 4, 10, 36, 7), 1000],
    ["2026-03-04 00:30:00+02:00", Date.UTC(2026, 2, 3, 22, 30, 0), 1000],
  ])("'%s' starts at the given UTC instant and lasts its precision", (text, start, length) => {
    expect(parseDatePeriod(text)).toEqual({ start, end: start + length });
  });

  it("agrees with Date.parse on full ISO-8601 timestamps", () => {
    for (const text of ["2026-11-28T05:03:35.123Z", "2026-11-28T05:03:35.123+02:00", "2026-11-28T05:03:35-08:00"]) {
      expect(parseDatePeriod(text)?.start).toBe(Date.parse(text));
    }
  });

  it.each(["2026-02-29", "2026-02-30", "2026-04-31", "2026-00-10", "2026-01-00", "2026-01-01 24:00:00", "2026-01-01 25:00", "2026-01-01T10", "2026-01-01T10:00:00.1234Z", "2026-01-01 10:00:00 +02:00", "not a date", "2026/01/01"])(
    "'%s' is not a date",
    (text) => {
      expect(parseDatePeriod(text)).toBeUndefined();
    },
  );

  it("the conditions it yields bound created/updated with min inclusive and max exclusive", () => {
    const condition: FilterCondition = parseFilter("created", "2026-03-04T05:06:07+02:00");
    expect(condition).toEqual({ kind: "date", field: "created", min: Date.UTC(2026, 2, 4, 3, 6, 7), max: Date.UTC(2026, 2, 4, 3, 6, 8) });
  });
});

describe("NUL characters", () => {
  it("a filter value holding a NUL is INVALID_FILTER", () => {
    expect(() => parseFilter("name", "contains:a\u0000b")).toThrow(expect.objectContaining({ code: "INVALID_FILTER" }));
    expect(() => parseFilter("created", "2026-01-01\u0000")).toThrow(expect.objectContaining({ code: "INVALID_FILTER" }));
  });
});

describe("the filter grammar's patterns (for the OpenAPI document)", () => {
  const matches = (pattern: string, value: string) => new RegExp(pattern, "u").test(value);

  it("a date value the pattern takes parses; one it refuses does not", () => {
    for (const value of ["2026-01-01", "gte:2026-01-01 00:00:00", "lt:2024-02-29T23:59:59.999+14:00", "2000-02-29", "equals:2026-12-31T00:00Z"]) {
      expect(matches(FILTER_VALUE_PATTERNS.date, value)).toBe(true);
      expect(() => parseFilter("created", value)).not.toThrow();
    }
    for (const value of ["2023-02-29", "1900-02-29", "2026-04-31", "2026-13-01", "2026-01-01T24:00", "2026-01-01+14:30", "contains:2026-01-01", "yesterday"]) {
      expect(matches(FILTER_VALUE_PATTERNS.date, value)).toBe(false);
      expect(() => parseFilter("created", value)).toThrow(expect.objectContaining({ code: "INVALID_FILTER" }));
    }
  });

  it("string and scope values the patterns take parse; operators of the wrong type are refused by both", () => {
    for (const value of ["db", "", "contains:a:b", "endswith:", "notequals:x"]) {
      expect(matches(FILTER_VALUE_PATTERNS.string, value)).toBe(true);
      expect(() => parseFilter("name", value)).not.toThrow();
    }
    for (const value of ["gt:x", "lte:2026-01-01"]) {
      expect(matches(FILTER_VALUE_PATTERNS.string, value)).toBe(false);
      expect(() => parseFilter("name", value)).toThrow(expect.objectContaining({ code: "INVALID_FILTER" }));
    }
    for (const value of ["user", "notequals:workspace", "contains:or"]) expect([matches(FILTER_VALUE_PATTERNS.scope, value), parseFilter("scope", value).kind]).toEqual([true, "string"]);
    expect(matches(FILTER_VALUE_PATTERNS.scope, "team")).toBe(false);
    expect(() => parseFilter("scope", "team")).toThrow(expect.objectContaining({ code: "INVALID_FILTER" }));
  });
});
