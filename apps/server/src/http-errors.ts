import type { ErrorRequestHandler } from "express";
import { detailsToWire, isZsError, ZsError, type ErrorCode } from "@zs/core";
import type { Logger } from "pino";

/** The HTTP status of each error code (model.md), in one place. */
const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION_ERROR: 400,
  INVALID_FILTER: 400,
  PAGE_OUT_OF_RANGE: 400,
  INVALID_REFERENCE: 400,
  LIMIT_EXCEEDED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CSRF_REJECTED: 403,
  SECRET_NOT_FOUND: 404,
  SECRET_KEY_NOT_FOUND: 404,
  WORKSPACE_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  SECRET_EXISTS: 409,
  WORKSPACE_EXISTS: 409,
  USER_EXISTS: 409,
  USER_OWNS_SECRETS: 409,
  LAST_ADMIN: 409,
  SECRET_AMBIGUOUS: 409,
  COMPONENT_EXISTS: 409,
  STACK_EXISTS: 409,
  COMPONENT_IN_USE: 409,
  MIGRATION_IN_PROGRESS: 409,
  HISTORY_UNAVAILABLE: 409,
  VERSION_MISMATCH: 412,
  SECRET_TOO_LARGE: 413,
  REQUEST_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  SECRETS_STORE_DISABLED: 501,
  BACKEND_UNAVAILABLE: 503,
  AUDIT_UNAVAILABLE: 503,
  // A values store that refuses the server's credentials at run time: the backend is unusable.
  CONFIGURATION_ERROR: 503,
  INTERNAL: 500,
};

export function httpStatusOf(code: ErrorCode): number {
  return HTTP_STATUS[code];
}

/** The JSON body of every error response (http-api.md); `details` in snake_case like every wire field. */
export function errorBody(error: ZsError): { error: { code: ErrorCode; message: string; details?: Record<string, unknown> } } {
  return { error: { code: error.code, message: error.message, ...(error.details ? { details: detailsToWire(error.details) } : {}) } };
}

/** What body-parser reports for a body it could not take. */
interface BodyParserError {
  type?: string;
  status?: number;
}

/** Failures of express and body-parser, as the `ZsError` a client gets. */
function fromHttpLayer(error: BodyParserError): ZsError | undefined {
  // The router could not percent-decode a path parameter.
  if (error instanceof URIError) return new ZsError("VALIDATION_ERROR", "The request path is not valid percent-encoded UTF-8.");
  switch (error.type) {
    case "entity.too.large":
      return new ZsError("REQUEST_TOO_LARGE", "The request body is over the 1 MiB limit.");
    case "entity.parse.failed":
      return new ZsError("VALIDATION_ERROR", "The request body is not valid JSON.");
    case "encoding.unsupported":
    case "charset.unsupported":
      return new ZsError("VALIDATION_ERROR", "The request body must be UTF-8 JSON.");
    case "request.aborted":
    case "request.size.invalid":
    case "stream.encoding.set":
      return new ZsError("VALIDATION_ERROR", "The request body was incomplete.");
    default:
      return undefined;
  }
}

/**
 * The last middleware: every failure becomes `{error: {code, message}}` with its status. A
 * failure that is not a `ZsError` is a bug: logged (without the request body) and answered
 * with `INTERNAL`, never with a stack trace.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, _next) => {
    let zsError = isZsError(error) ? error : fromHttpLayer(error as BodyParserError);
    if (!zsError) {
      logger.error({ err: error, method: request.method, path: request.path }, "unexpected error");
      zsError = new ZsError("INTERNAL", "Internal server error.");
    }
    if (response.headersSent) return;
    if (zsError.code === "UNAUTHENTICATED") response.setHeader("WWW-Authenticate", 'Bearer realm="zs"');
    if (zsError.code === "RATE_LIMITED" && typeof zsError.details?.retryAfterSeconds === "number") {
      response.setHeader("Retry-After", String(zsError.details.retryAfterSeconds));
    }
    response.status(httpStatusOf(zsError.code)).json(errorBody(zsError));
  };
}
