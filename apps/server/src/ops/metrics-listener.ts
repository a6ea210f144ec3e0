import { createServer, type Server } from "node:http";
import express, { type RequestHandler } from "express";
import { ZsError } from "@zs/core";
import type { Logger } from "pino";
import { errorHandler } from "../http-errors.js";
import { securityHeaders } from "../http-middleware.js";
import { METRICS_PATH } from "./metrics-endpoint.js";

/** Why a listen failed, as an operator can act on it. */
const LISTEN_PROBLEMS: Record<string, string> = {
  EADDRINUSE: "the port is already in use",
  EACCES: "permission denied (ports below 1024 need privileges)",
  EADDRNOTAVAIL: "the address is not one of this host's",
};

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
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    throw new ZsError("CONFIGURATION_ERROR", `Cannot serve metrics on ${host}:${port} (ZS_METRICS_PORT): ${LISTEN_PROBLEMS[code] ?? (code || "listen failed")}.`);
  }
  return server;
}
