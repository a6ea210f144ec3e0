import { AUDIT_ACTIONS, nameSchema, workspaceCreateSchema } from "@zs/core";
import * as z from "zod";
import { apiKeyLifetimeSchema, passwordSchema } from "../auth/auth-service.js";
import { defineRoute } from "../route.js";
import type { ServerServices } from "../server-services.js";
import { apiKeyToWire, apiKeyWireSchema, userToWire, userWireSchema, workspaceToWire, workspaceWireSchema } from "../wire.js";

const userCreateSchema = z.strictObject({ name: nameSchema, password: passwordSchema, is_admin: z.boolean().optional() });
const userDeleteQuerySchema = z.strictObject({ cascade: z.enum(["true", "false"], { error: "must be 'true' or 'false'" }).optional() });
const userUpdateSchema = z.strictObject({ is_admin: z.boolean() });
const passwordResetSchema = z.strictObject({ password: passwordSchema });
const apiKeyCreateSchema = z.strictObject({ name: nameSchema, expires_in: apiKeyLifetimeSchema.optional() });

/** Users (admins only), the caller's API keys, and workspaces. */
export function accountRoutes({ secrets, auth }: ServerServices) {
  return [
    defineRoute({
      method: "get",
      path: "/api/v1/users",
      operationId: "listUsers",
      summary: "List users (admins only)",
      responses: { 200: { description: "Every user", schema: z.array(userWireSchema) } },
      errors: ["UNAUTHENTICATED", "FORBIDDEN"],
      async handle({ caller }) {
        return { status: 200, body: (await secrets.listUsers(caller)).map(userToWire) };
      },
    }),
    defineRoute({
      method: "post",
      path: "/api/v1/users",
      operationId: "createUser",
      summary: "Create a user with a password (admins only)",
      body: userCreateSchema,
      responses: { 201: { description: "The new user", schema: userWireSchema } },
      errors: ["VALIDATION_ERROR", "UNAUTHENTICATED", "FORBIDDEN", "USER_EXISTS", "AUDIT_UNAVAILABLE"],
      audit: { action: AUDIT_ACTIONS.userCreate, target: "user" },
      async handle({ caller, body, audit }) {
        audit.target = { name: body.name };
        audit.details = { is_admin: body.is_admin ?? false };
        const user = await auth.createUser(caller, { name: body.name, password: body.password, isAdmin: body.is_admin ?? false });
        audit.target.id = user.id;
        return { status: 201, body: userToWire(user) };
      },
    }),
    defineRoute({
      method: "delete",
      path: "/api/v1/users/:name",
      operationId: "deleteUser",
      summary: "Delete a user; with cascade=true also their secrets (admins only)",
      query: userDeleteQuerySchema,
      responses: { 204: { description: "Deleted" } },
      errors: ["VALIDATION_ERROR", "UNAUTHENTICATED", "FORBIDDEN", "USER_NOT_FOUND", "USER_OWNS_SECRETS", "LAST_ADMIN", "AUDIT_UNAVAILABLE"],
      audit: { action: AUDIT_ACTIONS.userDelete, target: "user" },
      async handle({ caller, params, query, audit }) {
        audit.details = { cascade: query.cascade === "true" };
        await auth.deleteUser(caller, params.name!, { cascade: query.cascade === "true" });
        return { status: 204 };
      },
    }),
    defineRoute({
      method: "patch",
      path: "/api/v1/users/:name",
      operationId: "updateUser",
      summary: "Make a user an admin or not (admins only); the last admin cannot be demoted",
      body: userUpdateSchema,
      responses: { 200: { description: "The user", schema: userWireSchema } },
      errors: ["VALIDATION_ERROR", "UNAUTHENTICATED", "FORBIDDEN", "USER_NOT_FOUND", "LAST_ADMIN", "AUDIT_UNAVAILABLE"],
      audit: { action: AUDIT_ACTIONS.userUpdate, target: "user" },
      async handle({ caller, params, body, audit }) {
        audit.details = { is_admin: body.is_admin };
        return { status: 200, body: userToWire(await auth.setUserAdmin(caller, params.name!, body.is_admin)) };
      },
    }),
    defineRoute({
      method: "put",
      path: "/api/v1/users/:name/password",
      operationId: "resetUserPassword",
      summary: "Set a user's password (admins only); their sessions are revoked",
      body: passwordResetSchema,
      responses: { 204: { description: "Set" } },
      errors: ["VALIDATION_ERROR", "UNAUTHENTICATED", "FORBIDDEN", "USER_NOT_FOUND", "RATE_LIMITED", "AUDIT_UNAVAILABLE"],
      audit: { action: AUDIT_ACTIONS.userPasswordReset, target: "user" },
      async handle({ caller, authenticated, params, body }) {
        await auth.resetPassword(caller, authenticated, params.name!, body.password);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: "post",
      path: "/api/v1/api-keys",
      operationId: "createApiKey",
      summary: "Create an API key for yourself, optionally expiring (expires_in: 90d); the key is shown only in this response. Needs a session, not an API key",
      body: apiKeyCreateSchema,
      responses: { 201: { description: "The new key", schema: apiKeyWireSchema.extend({ key: z.string() }), headers: ["Cache-Control"] } },
      errors: ["VALIDATION_ERROR", "UNAUTHENTICATED", "FORBIDDEN", "AUDIT_UNAVAILABLE"],
      audit: { action: AUDIT_ACTIONS.apiKeyCreate, target: "api_key" },
      async handle({ caller, authenticated, body, audit }) {
        audit.target = { name: body.name };
        const created = await auth.createApiKey(caller, authenticated, body.name, body.expires_in);
        audit.target.id = created.id;
        audit.details = { expires: created.expires };
        return { status: 201, body: { ...apiKeyToWire(created), key: created.key }, headers: { "Cache-Control": "no-store" } };
      },
    }),
    defineRoute({
      method: "get",
      path: "/api/v1/api-keys",
      operationId: "listApiKeys",
      summary: "Your API keys (never the keys themselves)",
      responses: { 200: { description: "Your keys", schema: z.array(apiKeyWireSchema) } },
      errors: ["UNAUTHENTICATED"],
      async handle({ caller }) {
        return { status: 200, body: (await auth.listApiKeys(caller)).map(apiKeyToWire) };
      },
    }),
    defineRoute({
      method: "delete",
      path: "/api/v1/api-keys/:id",
      operationId: "deleteApiKey",
      summary: "Delete one of your API keys. Needs a session, not an API key",
      responses: { 204: { description: "Deleted" } },
      errors: ["UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "AUDIT_UNAVAILABLE"],
      audit: { action: AUDIT_ACTIONS.apiKeyDelete, target: "api_key" },
      async handle({ caller, authenticated, params, audit }) {
        audit.target = { id: params.id!, name: null };
        await auth.deleteApiKey(caller, authenticated, params.id!);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: "get",
      path: "/api/v1/workspaces",
      operationId: "listWorkspaces",
      summary: "List workspaces",
      responses: { 200: { description: "Every workspace", schema: z.array(workspaceWireSchema) } },
      errors: ["UNAUTHENTICATED"],
      async handle({ caller }) {
        return { status: 200, body: (await secrets.listWorkspaces(caller)).map(workspaceToWire) };
      },
    }),
    defineRoute({
      method: "post",
      path: "/api/v1/workspaces",
      operationId: "createWorkspace",
      summary: "Create a workspace (admins only)",
      body: workspaceCreateSchema,
      bodyLabel: "workspace",
      responses: { 201: { description: "The new workspace", schema: workspaceWireSchema } },
      errors: ["VALIDATION_ERROR", "UNAUTHENTICATED", "FORBIDDEN", "WORKSPACE_EXISTS", "AUDIT_UNAVAILABLE"],
      audit: { action: AUDIT_ACTIONS.workspaceCreate, target: "workspace" },
      async handle({ caller, body, audit }) {
        audit.target = { name: body.name };
        const workspace = await secrets.createWorkspace(caller, body);
        audit.target.id = workspace.id;
        return { status: 201, body: workspaceToWire(workspace) };
      },
    }),
    defineRoute({
      method: "delete",
      path: "/api/v1/workspaces/:name",
      operationId: "deleteWorkspace",
      summary: "Delete a workspace with its secrets and their values (admins only)",
      responses: { 204: { description: "Deleted" } },
      errors: ["UNAUTHENTICATED", "FORBIDDEN", "WORKSPACE_NOT_FOUND", "BACKEND_UNAVAILABLE", "AUDIT_UNAVAILABLE"],
      audit: { action: AUDIT_ACTIONS.workspaceDelete, target: "workspace" },
      async handle({ caller, params }) {
        await secrets.deleteWorkspace(caller, params.name!);
        return { status: 204 };
      },
    }),
  ];
}
