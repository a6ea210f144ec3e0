import type { Request } from "express";
import { ZsError } from "@zs/core";

/** The cookie a browser session's token travels in (dashboard.md "Sessions in a browser"). */
export const SESSION_COOKIE = "zs_session";

/** The header every cookie-authenticated change carries: a cross-site form cannot set it. */
export const CSRF_HEADER = "X-ZS-Request";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const SESSION_COOKIE_PATTERN = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]*)`);

/**
 * The token a request presents: its `Authorization: Bearer` header, else its session cookie.
 * A cookie-authenticated request that changes anything must carry `X-ZS-Request: 1`
 * (`CSRF_REJECTED` otherwise, before the token is even looked at); a bearer request need not.
 */
export function presentedToken(request: Request): string {
  const authorization = request.get("Authorization");
  if (authorization !== undefined) {
    const match = /^Bearer +(\S+) *$/i.exec(authorization);
    if (match) return match[1]!;
  } else {
    const cookie = SESSION_COOKIE_PATTERN.exec(request.get("Cookie") ?? "")?.[1];
    if (cookie) {
      requireCsrfHeader(request);
      return cookie;
    }
  }
  throw new ZsError("UNAUTHENTICATED", "This route needs 'Authorization: Bearer <token>': a session token from login, or an API key.");
}

/** `CSRF_REJECTED` for a request that changes something without `X-ZS-Request: 1`. */
export function requireCsrfHeader(request: Request): void {
  if (SAFE_METHODS.has(request.method) || request.get(CSRF_HEADER) === "1") return;
  throw new ZsError("CSRF_REJECTED", `A browser request that changes anything must carry the header '${CSRF_HEADER}: 1'.`);
}

/** The `Set-Cookie` value that hands a browser its session token, out of JavaScript's reach. */
export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${secure ? "; Secure" : ""}`;
}

/** The `Set-Cookie` value that removes the session cookie. */
export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie("", 0, secure);
}
