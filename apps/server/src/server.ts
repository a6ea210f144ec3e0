import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { ZsConfig } from "@zs/core";
import type { Logger } from "pino";
import { createApp } from "./app.js";
import { openServices, type OpenedServices, type ServiceOptions } from "./open-services.js";
import { METRICS_PATH, metricsEndpoint } from "./ops/metrics-endpoint.js";
import { listenForMetrics } from "./ops/metrics-listener.js";
import { createServerMetrics, type ServerMetricsOptions } from "./ops/server-metrics.js";

/** How long in-flight requests get to finish after SIGTERM before connections are cut. */
const SHUTDOWN_GRACE_MS = 10_000;
/** How often expired sessions are removed. */
const PURGE_INTERVAL_MS = 60 * 60 * 1000;

/** A listening server. */
export interface RunningServer {
  url: string;
  /** Where `GET /metrics` is served (the main port or `ZS_METRICS_PORT`); unset when metrics are off. */
  metricsUrl: string | undefined;
  services: OpenedServices;
  /** Set when this start created the first admin; the password only when it was generated. */
  bootstrap: { adminName: string; generatedPassword?: string } | undefined;
  /** Stops accepting connections, lets in-flight requests finish, closes the database. */
  close(): Promise<void>;
}

export interface StartOptions extends ServiceOptions {
  config: ZsConfig;
  logger: Logger;
  /** What the metrics read besides the services (the token cache's stats). */
  metrics?: ServerMetricsOptions;
}

/** Opens the store, creates the first admin if there are no users, and listens. */
export async function startServer({ config, logger, metrics: metricsOptions, ...options }: StartOptions): Promise<RunningServer> {
  const services = await openServices(config, logger, options);
  let server: Server;
  let metricsServer: Server | undefined;
  let bootstrap: RunningServer["bootstrap"];
  try {
    const outcome = await services.auth.bootstrapAdmin(config.adminUsername, config.adminPassword);
    if (outcome.created) bootstrap = { adminName: config.adminUsername, generatedPassword: outcome.generatedPassword };
    await services.auth.purgeExpired();
    // Off unless asked for (operations.md "Metrics"): nothing is measured, /metrics is unknown.
    const { token, port: metricsPort } = config.metrics;
    const metrics = token !== undefined || metricsPort !== undefined ? createServerMetrics(services, metricsOptions) : undefined;
    const endpoint = metrics && metricsEndpoint(metrics, token);
    // A separate port first: when it cannot be had, the main port was never opened.
    if (endpoint && metricsPort !== undefined) metricsServer = await listenForMetrics(endpoint, config.host, metricsPort, logger);
    const app = createApp(services, logger, {
      trustProxy: config.trustProxy,
      metrics: metrics && { requests: metrics.requests, endpoint: metricsPort === undefined ? endpoint : undefined },
    });
    server = await new Promise<Server>((resolve, reject) => {
      const listening = app.listen(config.port, config.host, (error?: Error) => (error ? reject(error) : resolve(listening)));
    });
  } catch (error) {
    if (metricsServer) await closeServer(metricsServer);
    await services.close();
    throw error;
  }
  const purge = setInterval(() => {
    services.auth.purgeExpired().catch((error: unknown) => logger.warn({ err: error }, "could not remove expired sessions"));
  }, PURGE_INTERVAL_MS);
  purge.unref();

  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  const urlOf = (listening: Server) => `http://${host}:${(listening.address() as AddressInfo).port}`;
  const url = urlOf(server);
  const metricsUrl = metricsServer ? `${urlOf(metricsServer)}${METRICS_PATH}` : config.metrics.token !== undefined ? `${url}${METRICS_PATH}` : undefined;
  logger.info({ url, store: services.secrets.valuesStoreType, metrics: metricsUrl ?? "off" }, "listening");
  let closing: Promise<void> | undefined;
  const listening = server;
  const metricsListening = metricsServer;
  return {
    url,
    metricsUrl,
    services,
    bootstrap,
    close() {
      closing ??= (async () => {
        clearInterval(purge);
        const cut = setTimeout(() => {
          listening.closeAllConnections();
          metricsListening?.closeAllConnections();
        }, SHUTDOWN_GRACE_MS);
        await Promise.all([closeServer(listening), metricsListening && closeServer(metricsListening)]);
        clearTimeout(cut);
        await services.close();
        logger.info("stopped");
      })();
      return closing;
    },
  };
}

/** Stops accepting connections and resolves once the open ones are done (idle ones are closed at once). */
function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
