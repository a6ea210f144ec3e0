import type { RequestHandler } from "express";
import type { Logger } from "pino";
import type { AuthenticatedLocals } from "./route.js";

/** Headers every response carries (http-api.md "Headers and limits"). */
export const securityHeaders: RequestHandler = (_request, response, next) => {
  response.setHeader("X-Content-Type-Options", "nosniff");
  response.setHeader("X-Frame-Options", "DENY");
  response.setHeader("Referrer-Policy", "no-referrer");
  response.setHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  next();
};

/**
 * One structured line per request: method, route (the pattern, not the path), status,
 * duration and user. Never bodies, values or tokens.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (request, response, next) => {
    const started = process.hrtime.bigint();
    response.once("close", () => {
      const locals = response.locals as AuthenticatedLocals;
      logger.info(
        {
          method: request.method,
          route: (request.route as { path?: string } | undefined)?.path ?? "(no route)",
          status: response.statusCode,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
          user: locals.caller?.userName,
          ...(response.writableFinished ? {} : { aborted: true }),
        },
        "request",
      );
    });
    next();
  };
}
