import * as z from "zod";
import { ZsError } from "../errors.js";
import { parseFilter, type FilterCondition, type StringCondition } from "./filter-grammar.js";
import { LIMITS } from "../limits.js";

export const SORT_FIELDS = ["name", "created", "updated", "scope"] as const;
export type SortField = (typeof SORT_FIELDS)[number];
export type SortDirection = "asc" | "desc";

/** The page fields every paged query takes (model.md's pages): `page` from 1, `size` up to the limit. */
export const pagingFields = {
  /** @default 1 */
  page: z.number().int().min(1, { error: "must be 1 or more" }).optional(),
  /** @default 20 */
  size: z
    .number()
    .int()
    .min(1, { error: `must be 1-${LIMITS.maxPageSize}` })
    .max(LIMITS.maxPageSize, { error: `must be 1-${LIMITS.maxPageSize}` })
    .optional(),
};

/** The list query of model.md; filter values use the `OP:VALUE` grammar. */
export const secretQuerySchema = z.strictObject({
  id: z.string().optional(),
  name: z.string().optional(),
  scope: z.string().optional(),
  /** `*` lists every workspace. @default the caller's active workspace */
  workspace: z.string().optional(),
  user: z.string().optional(),
  created: z.string().optional(),
  updated: z.string().optional(),
  /** List the deleted secrets (recoverable until their `purgeAfter`) instead of the live ones. @default false */
  deleted: z.boolean().optional(),
  /** `[asc:|desc:]FIELD` @default "created" */
  sortBy: z.string().optional(),
  /** @default "and" */
  logicalOperator: z.enum(["and", "or"], { error: "must be 'and' or 'or'" }).optional(),
  ...pagingFields,
});
export type SecretQuery = z.infer<typeof secretQuerySchema>;

/** A list query ready for the SQL layer: typed conditions, never strings to splice. */
export interface ParsedSecretQuery {
  /** Always AND-ed: which workspaces to list; absent means every workspace. */
  workspace?: StringCondition;
  /** The filters, combined with `logicalOperator`. */
  conditions: FilterCondition[];
  logicalOperator: "and" | "or";
  /** Deleted secrets instead of live ones. */
  deleted: boolean;
  sort: { field: SortField; direction: SortDirection };
  page: number;
  size: number;
}

const FILTER_KEYS = ["id", "name", "scope", "user", "created", "updated"] as const;

/** Parses `[asc:|desc:]FIELD`; throws `INVALID_FILTER` naming the allowed fields. */
export function parseSort(raw: string | undefined): ParsedSecretQuery["sort"] {
  if (raw === undefined || raw === "") return { field: "created", direction: "asc" };
  const match = /^(?:(asc|desc):)?(.*)$/.exec(raw);
  const direction = (match?.[1] ?? "asc") as SortDirection;
  const field = match?.[2] ?? "";
  if (!(SORT_FIELDS as readonly string[]).includes(field)) {
    throw new ZsError(
      "INVALID_FILTER",
      `Cannot sort by '${field}'; use one of: ${SORT_FIELDS.join(", ")}, optionally prefixed 'asc:' or 'desc:'.`,
    );
  }
  return { field: field as SortField, direction };
}

/**
 * Turns a validated `SecretQuery` into typed conditions. The workspace defaults to
 * `activeWorkspace`; `*` lifts the restriction. Throws `INVALID_FILTER`.
 */
export function parseSecretQuery(query: SecretQuery, activeWorkspace: string): ParsedSecretQuery {
  const conditions: FilterCondition[] = [];
  for (const key of FILTER_KEYS) {
    const raw = query[key];
    if (raw !== undefined) conditions.push(parseFilter(key, raw));
  }
  const workspaceRaw = query.workspace ?? activeWorkspace;
  const parsed: ParsedSecretQuery = {
    conditions,
    logicalOperator: query.logicalOperator ?? "and",
    deleted: query.deleted ?? false,
    sort: parseSort(query.sortBy),
    page: query.page ?? 1,
    size: query.size ?? LIMITS.defaultPageSize,
  };
  if (workspaceRaw !== "*") parsed.workspace = parseFilter("workspace", workspaceRaw) as StringCondition;
  return parsed;
}

/** One page of a list (model.md): `totalPages` is 1 for an empty result. */
export interface Page<T> {
  index: number;
  maxSize: number;
  totalPages: number;
  total: number;
  items: T[];
}
