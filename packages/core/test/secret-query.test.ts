import { describe, expect, it } from "@jest/globals";
import { LIMITS, parseSecretQuery, parseSort, secretQuerySchema } from "../src/index.js";
import { thrown } from "./support/thrown.js";

describe("parseSort", () => {
  it("defaults to created ascending", () => {
    expect(parseSort(undefined)).toEqual({ field: "created", direction: "asc" });
    expect(parseSort("")).toEqual({ field: "created", direction: "asc" });
  });

  it("a bare field sorts ascending", () => {
    expect(parseSort("name")).toEqual({ field: "name", direction: "asc" });
  });

  it("'desc:name' sorts by name descending and 'asc:updated' by updated ascending", () => {
    expect(parseSort("desc:name")).toEqual({ field: "name", direction: "desc" });
    expect(parseSort("asc:updated")).toEqual({ field: "updated", direction: "asc" });
    expect(parseSort("desc:scope")).toEqual({ field: "scope", direction: "desc" });
  });

  it.each(["color", "desc:color", "name:desc", "DESC:name", "asc:", "id", "values"])(
    "'%s' is INVALID_FILTER naming the sort fields and prefixes",
    (raw) => {
      const error = thrown(() => parseSort(raw));
      expect(error.code).toBe("INVALID_FILTER");
      expect(error.message).toContain("name, created, updated, scope");
      expect(error.message).toContain("'asc:' or 'desc:'");
    },
  );
});

describe("parseSecretQuery", () => {
  it("defaults: no conditions, 'and', live secrets, created ascending, page 1, size 20, the active workspace", () => {
    expect(parseSecretQuery({}, "team")).toEqual({
      conditions: [],
      logicalOperator: "and",
      deleted: false,
      sort: { field: "created", direction: "asc" },
      page: 1,
      size: LIMITS.defaultPageSize,
      workspace: { kind: "string", field: "workspace", operator: "equals", value: "team" },
    });
    expect(LIMITS.defaultPageSize).toBe(20);
  });

  it("a given workspace replaces the active one and may use an operator", () => {
    expect(parseSecretQuery({ workspace: "other" }, "team").workspace).toEqual({ kind: "string", field: "workspace", operator: "equals", value: "other" });
    expect(parseSecretQuery({ workspace: "startswith:prod-" }, "team").workspace).toMatchObject({ operator: "startswith", value: "prod-" });
  });

  it("workspace '*' lists every workspace: no workspace condition", () => {
    const parsed = parseSecretQuery({ workspace: "*" }, "team");
    expect(parsed.workspace).toBeUndefined();
    expect(parsed.conditions).toEqual([]);
  });

  it("turns every given filter into a condition, keeps the workspace apart, and takes sort, operator and page", () => {
    const parsed = parseSecretQuery(
      { name: "startswith:db", scope: "user", user: "alice", id: "contains:3f2b", created: "gte:2026-01-01", updated: "lt:2026-02-01", sortBy: "desc:name", logicalOperator: "or", page: 3, size: 50 },
      "team",
    );
    expect(parsed.conditions).toEqual([
      { kind: "string", field: "id", operator: "contains", value: "3f2b" },
      { kind: "string", field: "name", operator: "startswith", value: "db" },
      { kind: "string", field: "scope", operator: "equals", value: "user" },
      { kind: "string", field: "user", operator: "equals", value: "alice" },
      { kind: "date", field: "created", min: Date.UTC(2026, 0, 1) },
      { kind: "date", field: "updated", max: Date.UTC(2026, 1, 1) },
    ]);
    expect(parsed.logicalOperator).toBe("or");
    expect(parsed.sort).toEqual({ field: "name", direction: "desc" });
    expect(parsed.page).toBe(3);
    expect(parsed.size).toBe(50);
  });

  it("a bad filter or sort field is INVALID_FILTER", () => {
    expect(thrown(() => parseSecretQuery({ created: "yesterday" }, "team")).code).toBe("INVALID_FILTER");
    expect(thrown(() => parseSecretQuery({ sortBy: "size" }, "team")).code).toBe("INVALID_FILTER");
    expect(thrown(() => parseSecretQuery({ scope: "team" }, "team")).code).toBe("INVALID_FILTER");
  });
});

describe("secretQuerySchema", () => {
  it("accepts page ≥ 1 and size 1-1000", () => {
    expect(secretQuerySchema.safeParse({ page: 1, size: 1 }).success).toBe(true);
    expect(secretQuerySchema.safeParse({ page: 99, size: LIMITS.maxPageSize }).success).toBe(true);
  });

  it("refuses page 0, size 0, size 1001, a fractional page, another logical operator and unknown fields", () => {
    for (const query of [{ page: 0 }, { size: 0 }, { size: LIMITS.maxPageSize + 1 }, { page: 1.5 }, { logicalOperator: "xor" }, { color: "red" }]) {
      expect(secretQuerySchema.safeParse(query).success).toBe(false);
    }
  });
});
