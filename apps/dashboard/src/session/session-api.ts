import { ApiError } from "../api/api-error";

/** The browser session's body (dashboard.md): who is signed in and how long the session lasts. */
export interface Session {
  user: { id: string; name: string; is_admin: boolean };
  /** Seconds until the session's token expires. */
  expires_in: number;
  /** Minutes without activity after which the dashboard locks. */
  idle_minutes: number;
}

const SESSION_URL = "/api/v1/session";
const HEADERS = { "X-ZS-Request": "1", "Content-Type": "application/json" };

async function sessionCall(method: string, body?: unknown): Promise<Response> {
  const response = await fetch(SESSION_URL, { method, credentials: "same-origin", headers: HEADERS, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  if (!response.ok) throw ApiError.from(response, await response.json().catch(() => undefined));
  return response;
}

/** The current cookie session, or null when there is none. */
export async function fetchSession(): Promise<Session | null> {
  try {
    return (await (await sessionCall("GET")).json()) as Session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/** Signs in: the server sets the HttpOnly session cookie; the token never reaches this code. */
export async function createSession(username: string, password: string): Promise<Session> {
  return (await (await sessionCall("POST", { username, password })).json()) as Session;
}

/** Signs out: the server revokes the session and clears the cookie. */
export async function deleteSession(): Promise<void> {
  await sessionCall("DELETE");
}
