import { createHash, timingSafeEqual } from "node:crypto";
import type { Request, RequestHandler } from "express";
import { ZsError } from "@zs/core";
import type { ServerMetrics } from "./server-metrics.js";

/** The path metrics are served at, on the main port or on `ZS_METRICS_PORT`. */
export const METRICS_PATH = "/metrics";

/**
 * `GET /metrics`: the scrape, to `Authorization: Bearer <ZS_METRICS_TOKEN>` when a token is
 * set (compared in constant time), else to anyone who reaches the listener. A missing or wrong
 * token is `401 UNAUTHENTICATED`, by the server's error handler.
 */
export function metricsEndpoint(metrics: ServerMetrics, token: string | undefined): RequestHandler {
  const expected = token === undefined ? undefined : digest(token);
  return async (request, response) => {
    if (expected && !timingSafeEqual(digest(bearerOf(request)), expected)) {
      response.setHeader("WWW-Authenticate", 'Bearer realm="zs-metrics"');
      throw new ZsError("UNAUTHENTICATED", "/metrics needs 'Authorization: Bearer <ZS_METRICS_TOKEN>'.");
    }
    const text = await metrics.exposition();
    response.setHeader("Content-Type", metrics.contentType);
    response.setHeader("Cache-Control", "no-store");
    response.end(text);
  };
}

/** The bearer token sent, or "" (which never matches). */
function bearerOf(request: Request): string {
  return /^Bearer +(\S+) *$/i.exec(request.get("Authorization") ?? "")?.[1] ?? "";
}

/** Equal-length digests, so neither the comparison nor its length tells anything about the token. */
function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}
