import { createServer, type Server } from "node:http";
import express, { type RequestHandler } from "express";
import { ZsError } from "@zs/core";
import type { Logger } from "pino";
import { errorHandler } from "../http-errors.js";
import { securityHeaders } from "../http-middleware.js";
import { listenOn } from "./listen.js";
import { METRICS_PATH } from "./metrics-endpoint.js";

/**
 * `ZS_METRICS_PORT`'s listener, on the server's host: `GET /metrics` (`endpoint`) and nothing
 * else. A port that cannot be had is a `CONFIGURATION_ERROR` naming the setting and why.
 */
export async function listenForMetrics(endpoint: RequestHandler, host: string, port: number, logger: Logger): Promise<Server> {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.use(securityHeaders);
  app.get(METRICS_PATH, endpoint);
  app.use(() => {
    throw new ZsError("NOT_FOUND", `This listener (ZS_METRICS_PORT) serves GET ${METRICS_PATH} only.`);
  });
  app.use(errorHandler(logger));
  const server = createServer(app);
  await listenOn(server, host, port, (problem) => `Cannot serve metrics on ${host}:${port} (ZS_METRICS_PORT): ${problem}.`);
  return server;
}
