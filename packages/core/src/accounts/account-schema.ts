import * as z from "zod";
import { nameSchema } from "../names.js";

/** A workspace: a namespace of secrets, components and stacks. */
export const workspaceSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  created: z.iso.datetime(),
});
export type Workspace = z.infer<typeof workspaceSchema>;

/** A user: owner of user-scoped secrets; admins manage users and workspaces. */
export const userSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  isAdmin: z.boolean(),
  created: z.iso.datetime(),
});
export type User = z.infer<typeof userSchema>;

/** The input of workspace creation. */
export const workspaceCreateSchema = z.strictObject({ name: nameSchema });
export type WorkspaceCreate = z.infer<typeof workspaceCreateSchema>;

/** The input of user creation (credentials are the server's concern). */
export const userCreateSchema = z.strictObject({
  name: nameSchema,
  /** @default false */
  isAdmin: z.boolean().optional(),
});
export type UserCreate = z.infer<typeof userCreateSchema>;
