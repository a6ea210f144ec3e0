import * as z from "zod";
import { defineRoute } from "../route.js";
import type { ServerServices } from "../server-services.js";
import { userToWire, userWireSchema } from "../wire.js";

const loginSchema = z.strictObject({
  username: z.string().min(1, { error: "is required" }).max(255, { error: "must be at most 255 characters" }),
  password: z.string().min(1, { error: "is required" }).max(1024, { error: "must be at most 1024 characters" }),
});
const tokenSchema = z.object({ access_token: z.string(), token_type: z.literal("bearer"), expires_in: z.number().int() });

export function authRoutes({ auth, loginThrottle }: ServerServices) {
  return [
    defineRoute({
      method: "post",
      path: "/api/v1/login",
      summary: "Log in with a user name and password; returns a session token",
      access: "public",
      body: loginSchema,
      responses: { 200: { description: "A session token", schema: tokenSchema } },
      errors: ["VALIDATION_ERROR", "UNAUTHENTICATED", "RATE_LIMITED"],
      async handle({ body, request }) {
        const address = request.socket.remoteAddress ?? "unknown";
        loginThrottle.check(body.username, address);
        try {
          const session = await auth.login(body.username, body.password);
          loginThrottle.recordSuccess(body.username);
          return {
            status: 200,
            body: { access_token: session.token, token_type: "bearer", expires_in: session.expiresInSeconds },
            headers: { "Cache-Control": "no-store" },
          };
        } catch (error) {
          loginThrottle.recordFailure(body.username, address);
          throw error;
        }
      },
    }),
    defineRoute({
      method: "post",
      path: "/api/v1/logout",
      summary: "Revoke the token this request presents",
      responses: { 204: { description: "Revoked" } },
      errors: ["UNAUTHENTICATED"],
      async handle({ authenticated }) {
        await auth.logout(authenticated);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: "get",
      path: "/api/v1/current-user",
      summary: "The user the token belongs to",
      responses: { 200: { description: "The current user", schema: userWireSchema } },
      errors: ["UNAUTHENTICATED"],
      async handle({ authenticated }) {
        return { status: 200, body: userToWire(authenticated.user) };
      },
    }),
  ];
}
