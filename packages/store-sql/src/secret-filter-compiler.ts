import type { Knex } from "knex";
import type { FilterCondition, ParsedSecretQuery, SortField, StringCondition } from "@zs/core";
import type { SqlDialect } from "./database-url.js";

/** Columns of the list query, by filter or sort field. */
export const SECRET_COLUMNS = {
  id: "s.id",
  name: "s.name",
  scope: "s.scope",
  workspace: "w.name",
  user: "u.name",
  created: "s.created",
  updated: "s.updated",
} as const satisfies Record<FilterCondition["field"] | SortField, string>;

export const LIKE_ESCAPE = "\\";

/** Makes `%`, `_` and the escape character literal in a LIKE pattern. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => LIKE_ESCAPE + c);
}

// The trigram index answers substrings of 3+ characters; only name characters can match a name.
const INDEXABLE_NAME_PART = /^[A-Za-z0-9_-]{3,}$/;

function applyString(builder: Knex.QueryBuilder, condition: StringCondition, or: boolean, dialect: SqlDialect): void {
  const column = SECRET_COLUMNS[condition.field];
  const where = or ? "orWhere" : "where";
  const whereRaw = or ? "orWhereRaw" : "whereRaw";
  const like = (pattern: string) => builder[whereRaw]("?? like ? escape ?", [column, pattern, LIKE_ESCAPE]);
  if (dialect === "sqlite" && condition.field === "name" && condition.operator === "contains" && INDEXABLE_NAME_PART.test(condition.value)) {
    // A quoted FTS5 phrase is literal; the value holds no quote (checked above).
    builder[whereRaw]("s.seq in (select rowid from secrets_name_search where secrets_name_search match ?)", [`"${condition.value}"`]);
    return;
  }
  switch (condition.operator) {
    case "equals":
      builder[where](column, condition.value);
      return;
    case "notequals":
      builder[where](column, "<>", condition.value);
      return;
    case "contains":
      like(`%${escapeLike(condition.value)}%`);
      return;
    case "startswith":
      like(`${escapeLike(condition.value)}%`);
      return;
    case "endswith":
      like(`%${escapeLike(condition.value)}`);
      return;
  }
}

function applyCondition(builder: Knex.QueryBuilder, condition: FilterCondition, or: boolean, dialect: SqlDialect): void {
  if (condition.kind === "string") {
    applyString(builder, condition, or, dialect);
    return;
  }
  const column = SECRET_COLUMNS[condition.field];
  builder[or ? "orWhere" : "where"]((range) => {
    if (condition.min !== undefined) range.where(column, ">=", condition.min);
    if (condition.max !== undefined) range.where(column, "<", condition.max);
  });
}

/**
 * Adds a parsed list query's conditions to `builder` as parameterised SQL: the workspace
 * condition always AND-ed, the filters combined with the query's logical operator. No value
 * is ever spliced into SQL text; LIKE patterns are escaped so `%`, `_`, `\` stay literal.
 */
export function applySecretFilters(builder: Knex.QueryBuilder, query: ParsedSecretQuery, dialect: SqlDialect): void {
  if (query.workspace) applyString(builder, query.workspace, false, dialect);
  if (query.conditions.length === 0) return;
  const or = query.logicalOperator === "or";
  builder.where((group) => {
    for (const condition of query.conditions) applyCondition(group, condition, or, dialect);
  });
}
