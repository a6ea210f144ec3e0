import { AUDIT_ACTIONS, ZsError } from "@zs/core";
import * as z from "zod";
import type { Authenticated } from "../auth/auth-service.js";
import { clearedSessionCookie, requireCsrfHeader, sessionCookie } from "../browser-session.js";
import { defineRoute } from "../route.js";
import type { ServerServices } from "../server-services.js";
import { userToWire, userWireSchema } from "../wire.js";
import { clientAddress, loginSchema } from "./auth-routes.js";

const sessionSchema = z.object({
  user: userWireSchema,
  expires_in: z.number().int().nullable().meta({ description: "Seconds until the session ends; null: never (an API key without expiry)" }),
  idle_minutes: z.number().int().meta({ description: "After this long without activity the dashboard locks (ZS_DASHBOARD_IDLE_MINUTES)" }),
});

/**
 * Browser sessions (dashboard.md): the same login as `POST /login`, but the token goes into an
 * HttpOnly, SameSite=Strict cookie and never reaches JavaScript.
 */
export function sessionRoutes({ auth, dashboardIdleMinutes }: ServerServices) {
  const describe = (authenticated: Pick<Authenticated, "user" | "expires">) => ({
    user: userToWire(authenticated.user),
    expires_in: authenticated.expires === null ? null : Math.max(0, Math.ceil((authenticated.expires - Date.now()) / 1000)),
    idle_minutes: dashboardIdleMinutes,
  });
  return [
    defineRoute({
      method: "post",
      path: "/api/v1/session",
      operationId: "createBrowserSession",
      summary: "Sign a browser in: sets the HttpOnly session cookie `zs_session`; needs the header `X-ZS-Request: 1`",
      access: "public",
      body: loginSchema,
      responses: { 200: { description: "Signed in; the cookie is set", schema: sessionSchema, headers: ["Cache-Control", "Set-Cookie"] } },
      errors: ["VALIDATION_ERROR", "UNAUTHENTICATED", "CSRF_REJECTED", "RATE_LIMITED", "AUDIT_UNAVAILABLE"],
      audit: { action: AUDIT_ACTIONS.login, target: "user" },
      async handle({ body, request, audit }) {
        audit.actor = { userId: null, userName: body.username };
        audit.target = { name: body.username };
        // A cross-site form must not sign a browser into someone else's account either.
        requireCsrfHeader(request);
        const session = await auth.login(body.username, body.password, clientAddress(request));
        audit.actor.userId = session.user.id;
        audit.target.id = session.user.id;
        audit.details = { via: "session" };
        return {
          status: 200,
          body: describe({ user: session.user, expires: Date.now() + session.expiresInSeconds * 1000 }),
          headers: { "Cache-Control": "no-store", "Set-Cookie": sessionCookie(session.token, session.expiresInSeconds, request.secure) },
        };
      },
    }),
    defineRoute({
      method: "get",
      path: "/api/v1/session",
      operationId: "getBrowserSession",
      summary: "The session this request presents (cookie or bearer): its user, when it ends, the idle lock",
      responses: { 200: { description: "The current session", schema: sessionSchema, headers: ["Cache-Control"] } },
      errors: ["UNAUTHENTICATED"],
      async handle({ authenticated }) {
        return { status: 200, body: describe(authenticated), headers: { "Cache-Control": "no-store" } };
      },
    }),
    defineRoute({
      method: "delete",
      path: "/api/v1/session",
      operationId: "deleteBrowserSession",
      summary: "Sign out: revokes the presented session and clears the cookie",
      responses: { 204: { description: "Signed out; the cookie is cleared", headers: ["Set-Cookie"] } },
      errors: ["UNAUTHENTICATED", "FORBIDDEN", "CSRF_REJECTED", "AUDIT_UNAVAILABLE"],
      audit: { action: AUDIT_ACTIONS.logout, target: "session" },
      async handle({ authenticated, request, audit }) {
        audit.target = { id: authenticated.credentialId, name: null };
        if (authenticated.kind !== "session") {
          throw new ZsError("FORBIDDEN", "An API key is not a session; delete it with DELETE /api/v1/api-keys/{id}.");
        }
        await auth.logout(authenticated);
        return { status: 204, headers: { "Set-Cookie": clearedSessionCookie(request.secure) } };
      },
    }),
  ];
}
