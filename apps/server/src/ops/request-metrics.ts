import type { RequestHandler } from "express";
import { Histogram, type Registry } from "prom-client";
import type { OperationLocals } from "../route.js";
import { DURATION_BUCKETS_SECONDS } from "./metric-buckets.js";
import { secretOperationMetrics } from "./secret-operation-metrics.js";

/** The `route` label of a request no route matched: never its path, which a client chooses. */
export const UNMATCHED_ROUTE = "unmatched";

/** Methods keep their name; any other (a client chooses it) is `other`. */
const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/**
 * The middleware measuring every request once its response is done (or the client gave up):
 * `zs_http_request_duration_seconds{method, route, status}`, `route` being the route's template
 * (`/api/v1/secrets/:nameOrId`), and the secret operations of `secretOperationMetrics`.
 */
export function requestMetrics(registry: Registry): RequestHandler {
  const duration = new Histogram({
    name: "zs_http_request_duration_seconds",
    help: "HTTP request duration by method, route template (unmatched: no route) and status.",
    labelNames: ["method", "route", "status"] as const,
    buckets: DURATION_BUCKETS_SECONDS,
    registers: [registry],
  });
  const recordOperation = secretOperationMetrics(registry);
  return (request, response, next) => {
    const started = process.hrtime.bigint();
    response.once("close", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (request.route as { path?: unknown } | undefined)?.path;
      const status = response.statusCode;
      duration.observe(
        {
          method: KNOWN_METHODS.has(request.method) ? request.method : "other",
          route: typeof route === "string" ? route : UNMATCHED_ROUTE,
          status: String(status),
        },
        seconds,
      );
      const { operation } = response.locals as OperationLocals;
      if (operation !== undefined) recordOperation(operation, status);
    });
    next();
  };
}
