/**
 * The stable error codes of the data model (model.md), plus the start-up configuration error,
 * an HTTP request body over the server's limit or a method a known path does not take, and those of components and stacks
 * (references.md): a component or stack not found is `NOT_FOUND`, and so is a version a secret
 * never had (lifecycle.md).
 */
export const ERROR_CODES = [
  "VALIDATION_ERROR",
  "INVALID_FILTER",
  "PAGE_OUT_OF_RANGE",
  "INVALID_REFERENCE",
  "LIMIT_EXCEEDED",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "CSRF_REJECTED",
  "SECRET_NOT_FOUND",
  "SECRET_KEY_NOT_FOUND",
  "WORKSPACE_NOT_FOUND",
  "USER_NOT_FOUND",
  "NOT_FOUND",
  "METHOD_NOT_ALLOWED",
  "SECRET_EXISTS",
  "WORKSPACE_EXISTS",
  "USER_EXISTS",
  "USER_OWNS_SECRETS",
  "LAST_ADMIN",
  "SECRET_AMBIGUOUS",
  "COMPONENT_EXISTS",
  "STACK_EXISTS",
  "COMPONENT_IN_USE",
  "MIGRATION_IN_PROGRESS",
  "HISTORY_UNAVAILABLE",
  "VERSION_MISMATCH",
  "SECRET_TOO_LARGE",
  "RATE_LIMITED",
  "SECRETS_STORE_DISABLED",
  "BACKEND_UNAVAILABLE",
  "AUDIT_UNAVAILABLE",
  "CONFIGURATION_ERROR",
  "REQUEST_TOO_LARGE",
  "INTERNAL",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const ZS_ERROR_BRAND = Symbol.for("zs.error");

/**
 * Every failure zs reports. The message is for a person and never carries a secret value;
 * `details` holds machine-readable extras (e.g. the candidates of `SECRET_AMBIGUOUS`).
 */
export class ZsError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "ZsError";
    this.code = code;
    this.details = details;
    Object.defineProperty(this, ZS_ERROR_BRAND, { value: true });
  }
}

/**
 * Recognises a `ZsError` by its brand rather than `instanceof`: a custom store may bring its
 * own copy of `@zs/core`, whose class is a different object.
 */
export function isZsError(value: unknown): value is ZsError {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[ZS_ERROR_BRAND] === true;
}

/** True when `value` is a `ZsError` with the given code. */
export function hasErrorCode(value: unknown, code: ErrorCode): boolean {
  return isZsError(value) && value.code === code;
}
