/**
 * Error details cross the HTTP wire in snake_case, like every other wire field; in-process
 * (`ZsError.details`, local and remote mode alike) they are camelCase. Top-level keys only:
 * a detail's value is data, passed on as it is.
 */

/** `retryAfterSeconds` → `retry_after_seconds`. */
export function detailsToWire(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(details).map(([key, value]) => [key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`), value]));
}

/** `retry_after_seconds` → `retryAfterSeconds`. */
export function detailsFromWire(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(details).map(([key, value]) => [key.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase()), value]));
}
