import { LIMITS, secretQuerySchema, type Page, type SecretQuery, type User, type Workspace } from "@zs/core";
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
 * The list query on the wire: core's filter fields as they are, plus `sort_by`,
 * `logical_operator`, `page` and `size` (strings in a query string).
 */
export const secretListQuerySchema = secretQuerySchema
  .pick({ id: true, name: true, scope: true, workspace: true, user: true, created: true, updated: true })
  .extend({
    sort_by: z.string().optional(),
    logical_operator: z.string().optional(),
    page: wholeNumber.optional(),
    size: wholeNumber.optional(),
  })
  .transform(({ sort_by, logical_operator, ...rest }): SecretQuery => ({
    ...rest,
    ...(sort_by !== undefined ? { sortBy: sort_by } : {}),
    ...(logical_operator !== undefined ? { logicalOperator: logical_operator as "and" | "or" } : {}),
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
