import type { Request } from "express";
import { AUDIT_ACTIONS } from "@zs/core";
import * as z from "zod";
import { passwordSchema } from "../auth/auth-service.js";
import { defineRoute } from "../route.js";
import type { ServerServices } from "../server-services.js";
import { userToWire, userWireSchema } from "../wire.js";

export const loginSchema = z.strictObject({
  username: z.string().min(1, { error: "is required" }).max(255, { error: "must be at most 255 characters" }),
  password: z.string().min(1, { error: "is required" }).max(1024, { error: "must be at most 1024 characters" }),
});
const passwordChangeSchema = z.strictObject({
  current_password: z.string().min(1, { error: "is required" }).max(1024, { error: "must be at most 1024 characters" }),
  new_password: passwordSchema,
});
const tokenSchema = z.object({ access_token: z.string(), token_type: z.literal("bearer"), expires_in: z.number().int() });

/**
 * The address a request came from, as the login throttle counts it: the peer's, or the one a
 * trusted proxy names in `X-Forwarded-For` (`ZS_TRUST_PROXY`, express's `request.ip`).
 */
export function clientAddress(request: Request): string {
  return request.ip ?? request.socket.remoteAddress ?? "unknown";
}

export function authRoutes({ auth }: ServerServices) {
  return [
    defineRoute({
      method: "post",
      path: "/api/v1/login",
      operationId: "login",
      summary: "Log in with a user name and password; returns a session token",
      access: "public",
      body: loginSchema,
      responses: { 200: { description: "A session token", schema: tokenSchema, headers: ["Cache-Control"] } },
      errors: ["VALIDATION_ERROR", "UNAUTHENTICATED", "RATE_LIMITED", "AUDIT_UNAVAILABLE"],
      audit: { action: AUDIT_ACTIONS.login, target: "user" },
      async handle({ body, request, audit }) {
        // A failed login names the user name tried; the password is never recorded.
        audit.actor = { userId: null, userName: body.username };
        audit.target = { name: body.username };
        const session = await auth.login(body.username, body.password, clientAddress(request));
        audit.actor.userId = session.user.id;
        audit.target.id = session.user.id;
        audit.details = { via: "session" };
        return {
          status: 200,
          body: { access_token: session.token, token_type: "bearer", expires_in: session.expiresInSeconds },
          headers: { "Cache-Control": "no-store" },
        };
      },
    }),
    defineRoute({
      method: "post",
      path: "/api/v1/logout",
      operationId: "logout",
      summary: "Revoke the token this request presents",
      responses: { 204: { description: "Revoked" } },
      errors: ["UNAUTHENTICATED", "AUDIT_UNAVAILABLE"],
      audit: { action: AUDIT_ACTIONS.logout, target: "session" },
      async handle({ authenticated, audit }) {
        audit.target = { id: authenticated.credentialId, name: null };
        await auth.logout(authenticated);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: "get",
      path: "/api/v1/current-user",
      operationId: "getCurrentUser",
      summary: "The user the token belongs to",
      responses: { 200: { description: "The current user", schema: userWireSchema } },
      errors: ["UNAUTHENTICATED"],
      async handle({ authenticated }) {
        return { status: 200, body: userToWire(authenticated.user) };
      },
    }),
    defineRoute({
      method: "post",
      path: "/api/v1/current-user/password",
      operationId: "changePassword",
      summary: "Change your password, given the current one; your other sessions are revoked",
      body: passwordChangeSchema,
      responses: { 204: { description: "Changed" } },
      errors: ["VALIDATION_ERROR", "UNAUTHENTICATED", "FORBIDDEN", "RATE_LIMITED", "AUDIT_UNAVAILABLE"],
      audit: { action: AUDIT_ACTIONS.userPasswordChange, target: "user" },
      async handle({ authenticated, body, request, audit }) {
        audit.target = { id: authenticated.user.id, name: authenticated.user.name };
        await auth.changePassword(authenticated, { currentPassword: body.current_password, newPassword: body.new_password }, clientAddress(request));
        return { status: 204 };
      },
    }),
  ];
}
