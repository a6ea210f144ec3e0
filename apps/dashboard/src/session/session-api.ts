import { ApiError } from "../api/api-error";
import { api, unwrap } from "../api/client";
import type { operations } from "../api/schema";

/** The browser session's body (dashboard.md): who is signed in, when the session ends, the idle lock's minutes. */
export type Session = operations["getBrowserSession"]["responses"][200]["content"]["application/json"];

/** The current cookie session, or null when there is none. */
export async function fetchSession(): Promise<Session | null> {
  try {
    return await unwrap(api.GET("/api/v1/session"));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/** Signs in: the server sets the HttpOnly session cookie; the token never reaches this code. */
export function createSession(username: string, password: string): Promise<Session> {
  return unwrap(api.POST("/api/v1/session", { body: { username, password } }));
}

/** Signs out: the server revokes the session and clears the cookie. */
export async function deleteSession(): Promise<void> {
  await unwrap(api.DELETE("/api/v1/session"));
}
