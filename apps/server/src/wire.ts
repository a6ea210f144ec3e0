import {
  FILTER_VALUE_PATTERNS,
  LIMITS,
  SORT_FIELDS,
  secretMetadataSchema,
  secretUsageSchema,
  type DeletedSecret,
  type Page,
  type SecretDeletion,
  type ListedSecret,
  type SecretQuery,
  type SecretWarning,
  type User,
  type Workspace,
} from "@zs/core";
import * as z from "zod";
import type { ApiKeyInfo } from "./auth/auth-service.js";

// The HTTP wire is snake_case (http-api.md); @zs/core is camelCase. These schemas describe
// the wire and map it to and from core's types.

/** A query parameter holding a whole number. */
export const wholeNumber = z
  .string()
  .regex(/^\d{1,15}$/, { error: "must be a whole number" })
  .transform(Number);

/**
 * `page` of a paged list: a whole number from 1. The messages are core's (`must be 1 or more`),
 * so remote and local mode word it alike; the pattern states the whole rule for the document.
 */
export const pageParameter = z
  .string()
  .regex(/^\d{1,15}$/, { error: "must be a whole number", abort: true })
  .refine((text) => Number(text) >= 1, { error: "must be 1 or more" })
  .meta({ pattern: "^[1-9]\\d{0,14}$" })
  .transform(Number);

/** `size` of a paged list: 1 to the largest page size. */
export const sizeParameter = z
  .string()
  .regex(/^\d{1,15}$/, { error: "must be a whole number", abort: true })
  .refine((text) => Number(text) >= 1 && Number(text) <= LIMITS.maxPageSize, { error: `must be 1-${LIMITS.maxPageSize}` })
  .meta({ pattern: "^(?:[1-9]\\d{0,2}|1000)$" })
  .transform(Number);

/** A query parameter holding `true` or `false`. */
export const booleanParameter = z.enum(["true", "false"], { error: "must be 'true' or 'false'" }).transform((value) => value === "true");

/**
 * A filter of the list: checked by the filter grammar (`INVALID_FILTER` saying what is allowed);
 * the pattern tells the OpenAPI document what the grammar takes.
 */
function filterParameter(pattern: string, description: string) {
  return z.string().meta({ pattern, description }).optional();
}

const SORT_VALUES = SORT_FIELDS.flatMap((field) => [field, `asc:${field}`, `desc:${field}`]);

/**
 * The list query on the wire: core's filter fields, plus `sort_by`, `logical_operator`,
 * `page`, `size` (strings in a query string) and `deleted`.
 */
export const secretListQuerySchema = z
  .strictObject({
    id: filterParameter(FILTER_VALUE_PATTERNS.string, "`[OP:]VALUE` on the id; OP one of equals (default), notequals, contains, startswith, endswith"),
    name: filterParameter(FILTER_VALUE_PATTERNS.string, "`[OP:]VALUE` on the name; OP as for id"),
    scope: filterParameter(FILTER_VALUE_PATTERNS.scope, "`[OP:]VALUE` on the scope (workspace or user)"),
    workspace: filterParameter(
      `^\\*$|${FILTER_VALUE_PATTERNS.string}`,
      "`*` for every workspace you can see, or `[OP:]VALUE` on the workspace's name; default `default`",
    ),
    user: filterParameter(FILTER_VALUE_PATTERNS.string, "`[OP:]VALUE` on the owner's name; OP as for id"),
    created: filterParameter(FILTER_VALUE_PATTERNS.date, "`[OP:]DATE`, OP one of equals (default), gt, gte, lt, lte; ISO-8601 or `YYYY-MM-DD HH:MM:SS` (UTC)"),
    updated: filterParameter(FILTER_VALUE_PATTERNS.date, "`[OP:]DATE`, as for created"),
    /** Checked by the service, whose message lists the fields; the document lists the values. */
    sort_by: z.string().meta({ enum: SORT_VALUES, description: "`[asc:|desc:]FIELD`; default `created`" }).optional(),
    logical_operator: z.enum(["and", "or"], { error: "must be 'and' or 'or'" }).optional(),
    page: pageParameter.optional(),
    size: sizeParameter.optional(),
    /** `true` lists the deleted secrets (with `deleted` and `purge_after`) instead of the live ones. */
    deleted: booleanParameter.optional(),
  })
  .transform(({ sort_by, logical_operator, ...rest }): SecretQuery => ({
    ...rest,
    ...(sort_by !== undefined ? { sortBy: sort_by } : {}),
    ...(logical_operator !== undefined ? { logicalOperator: logical_operator } : {}),
  }));

export const userWireSchema = z.object({ id: z.uuid(), name: z.string(), is_admin: z.boolean(), created: z.iso.datetime() });
export function userToWire(user: User): z.infer<typeof userWireSchema> {
  return { id: user.id, name: user.name, is_admin: user.isAdmin, created: user.created };
}

export const workspaceWireSchema = z.object({ id: z.uuid(), name: z.string(), created: z.iso.datetime() });
export function workspaceToWire(workspace: Workspace): z.infer<typeof workspaceWireSchema> {
  return { id: workspace.id, name: workspace.name, created: workspace.created };
}

export const apiKeyWireSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  created: z.iso.datetime(),
  last_used: z.iso.datetime().nullable(),
  expires: z.iso.datetime().nullable(),
});
export function apiKeyToWire(key: ApiKeyInfo): z.infer<typeof apiKeyWireSchema> {
  return { id: key.id, name: key.name, created: key.created, last_used: key.lastUsed, expires: key.expires };
}

/** A page of a list on the wire. */
export function pageWireSchema<T extends z.ZodType>(item: T) {
  return z.object({
    index: z.number().int(),
    max_size: z.number().int().max(LIMITS.maxPageSize),
    total_pages: z.number().int(),
    total: z.number().int(),
    items: z.array(item),
  });
}
export function pageToWire<T>(page: Page<T>) {
  return { index: page.index, max_size: page.maxSize, total_pages: page.totalPages, total: page.total, items: page.items };
}

/** A secret in a list: its metadata and who made its current version (null when no history entry says). */
export const listedSecretWireSchema = secretMetadataSchema.extend({ updated_by: z.string().nullable() });
/** A deleted secret on the wire (lifecycle.md "Soft delete"). */
export const deletedSecretWireSchema = listedSecretWireSchema.extend({ deleted: z.iso.datetime(), purge_after: z.iso.datetime() });
type ListedSecretWire = z.infer<typeof listedSecretWireSchema>;
/** A list item: live, or deleted with when it is purged. */
export function secretListItemToWire(item: ListedSecret | (ListedSecret & DeletedSecret)): ListedSecretWire | z.infer<typeof deletedSecretWireSchema> {
  const { updatedBy, ...metadata } = item;
  if (!("purgeAfter" in metadata)) return { ...metadata, updated_by: updatedBy };
  const { purgeAfter, ...rest } = metadata;
  return { ...rest, updated_by: updatedBy, purge_after: purgeAfter };
}

/** A warning on the wire: `SECRET_REFERENCED` with the usages that depend on what changed. */
export const secretWarningWireSchema = z.object({ code: z.literal("SECRET_REFERENCED"), message: z.string(), usages: z.array(secretUsageSchema) });
export function warningsToWire(warnings: readonly SecretWarning[]): z.infer<typeof secretWarningWireSchema>[] {
  return warnings.map((warning) => ({ code: warning.code, message: warning.message, usages: warning.usages }));
}

/** What a delete answers: purged at once, or recoverable until `purge_after`. */
export const secretDeletionWireSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  purged: z.boolean(),
  deleted: z.iso.datetime().optional(),
  purge_after: z.iso.datetime().optional(),
  warnings: z.array(secretWarningWireSchema),
});
export function deletionToWire(deletion: SecretDeletion): z.infer<typeof secretDeletionWireSchema> {
  return {
    id: deletion.id,
    name: deletion.name,
    purged: deletion.purged,
    ...(deletion.deleted !== undefined ? { deleted: deletion.deleted } : {}),
    ...(deletion.purgeAfter !== undefined ? { purge_after: deletion.purgeAfter } : {}),
    warnings: warningsToWire(deletion.warnings),
  };
}
