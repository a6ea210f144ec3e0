import createClient from "openapi-fetch";
import { ApiError } from "./api-error";
import type { paths } from "./schema";

/** Called when a request is answered 401: the session ended (expired, revoked or locked elsewhere). */
let onUnauthenticated: (() => void) | undefined;

/** Registers what happens when the server says the session is gone. */
export function setUnauthenticatedHandler(handler: (() => void) | undefined): void {
  onUnauthenticated = handler;
}

/**
 * The typed client of zs-server's HTTP API (types generated from its /openapi.json). The
 * session cookie goes along (same origin), and every request carries `X-ZS-Request: 1`,
 * which a cross-site form cannot set: the server refuses cookie-authenticated changes without it.
 */
export const api = createClient<paths>({
  baseUrl: typeof window === "undefined" ? "http://localhost" : window.location.origin,
  credentials: "same-origin",
  headers: { "X-ZS-Request": "1" },
});

api.use({
  onResponse({ request, response }) {
    if (response.status === 401 && !new URL(request.url).pathname.endsWith("/api/v1/session")) onUnauthenticated?.();
    return undefined;
  },
});

/** openapi-fetch's answer: data on success, the error body otherwise. */
interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a successful call; an {@link ApiError} with the server's code and message otherwise. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw ApiError.from(response, error);
  return data as T;
}
