import type { AddressInfo } from "node:net";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import type { ZsConfig } from "@zs/core";
import type { Logger } from "pino";
import { createApp } from "./app.js";
import { readDashboardFiles } from "./dashboard-files.js";
import { openServices, type OpenedServices, type ServiceOptions } from "./open-services.js";
import { ConnectionDraining, type DrainOutcome } from "./ops/connection-draining.js";
import { METRICS_PATH, metricsEndpoint } from "./ops/metrics-endpoint.js";
import { listenOn } from "./ops/listen.js";
import { listenForMetrics } from "./ops/metrics-listener.js";
import { createServerMetrics, type ServerMetricsOptions } from "./ops/server-metrics.js";
import { isLoopbackHost, readTlsCredentials } from "./ops/tls-files.js";

/** How often expired sessions are removed. */
const PURGE_INTERVAL_MS = 60 * 60 * 1000;

/** A listening server. */
export interface RunningServer {
  url: string;
  /** Where `GET /metrics` is served (the main port or `ZS_METRICS_PORT`); unset when metrics are off. */
  metricsUrl: string | undefined;
  /** Where the dashboard is served; unset when it is off or its files are missing. */
  dashboardUrl: string | undefined;
  services: OpenedServices;
  /** Set when this start created the first admin; the password only when it was generated. */
  bootstrap: { adminName: string; generatedPassword?: string } | undefined;
  /**
   * Shutdown (operations.md): readiness turns 503, the listener stops accepting, in-flight
   * requests finish (up to `ZS_SHUTDOWN_TIMEOUT`, then their connections are cut), audit
   * events are flushed and the database closes. `finished` is false when the timeout cut requests.
   */
  close(): Promise<DrainOutcome>;
  /**
   * Re-reads `ZS_TLS_CERT_FILE` and `ZS_TLS_KEY_FILE` for new connections, open ones kept;
   * throws (keeping the old certificate) when they are not valid. `false` without TLS.
   */
  reloadTls(): Promise<boolean>;
}

export interface StartOptions extends ServiceOptions {
  config: ZsConfig;
  logger: Logger;
  /** What the metrics read besides the services (the token cache's stats). */
  metrics?: ServerMetricsOptions;
  /** Where the built dashboard is (`dist/dashboard` beside the bundle); unset: no dashboard. */
  dashboardDir?: string;
}

/** Opens the store, creates the first admin if there are no users, and listens (HTTPS with `ZS_TLS_*`). */
export async function startServer({ config, logger, metrics: metricsOptions, dashboardDir, ...options }: StartOptions): Promise<RunningServer> {
  // The TLS files are checked before anything is opened: a bad file changes nothing.
  const credentials = config.tls ? await readTlsCredentials(config.tls) : undefined;
  const dashboard = config.dashboard.enabled && dashboardDir !== undefined ? await readDashboardFiles(dashboardDir) : undefined;
  if (config.dashboard.enabled && dashboardDir !== undefined && !dashboard) {
    logger.warn({ dir: dashboardDir }, "the dashboard is not served: its files are missing (build apps/dashboard)");
  }
  const services = await openServices(config, logger, options);
  let server: Server | HttpsServer;
  let draining: ConnectionDraining;
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
      dashboard,
    });
    server = credentials ? createHttpsServer({ cert: credentials.cert, key: credentials.key }, app) : createHttpServer(app);
    draining = new ConnectionDraining(server);
    await listenOn(server, config.host, config.port, (problem, code) =>
      code === "EADDRINUSE"
        ? `Cannot listen on ${config.host}:${config.port}: the port is already in use; stop what holds it, or set ZS_PORT to another port (0 picks a free one).`
        : `Cannot listen on ${config.host}:${config.port} (ZS_HOST, ZS_PORT): ${problem}.`,
    );
  } catch (error) {
    if (metricsServer) await closeServer(metricsServer);
    await services.close();
    throw error;
  }
  services.readiness.markServing();
  const purge = setInterval(() => {
    services.auth.purgeExpired().catch((error: unknown) => logger.warn({ err: error }, "could not remove expired sessions"));
  }, PURGE_INTERVAL_MS);
  purge.unref();

  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  const portOf = (listening: Server | HttpsServer) => (listening.address() as AddressInfo).port;
  const url = `${credentials ? "https" : "http"}://${host}:${portOf(server)}`;
  // The metrics port is plain HTTP (a scraper's network), whatever the main port speaks.
  const metricsUrl = metricsServer
    ? `http://${host}:${portOf(metricsServer)}${METRICS_PATH}`
    : config.metrics.token !== undefined
      ? `${url}${METRICS_PATH}`
      : undefined;
  logger.info(
    {
      url,
      store: services.secrets.valuesStoreType,
      metrics: metricsUrl ?? "off",
      ...(credentials && { certificate: credentials.fingerprint, validTo: credentials.validTo }),
    },
    "listening",
  );
  if (!credentials && !isLoopbackHost(config.host)) {
    logger.warn(
      { host: config.host },
      "listening on a non-loopback address without TLS: tokens and secret values cross the network in clear; set ZS_TLS_CERT_FILE and ZS_TLS_KEY_FILE, or put a TLS-terminating proxy in front",
    );
  }
  let closing: Promise<DrainOutcome> | undefined;
  const listening = server;
  const metricsListening = metricsServer;
  return {
    url,
    metricsUrl,
    dashboardUrl: dashboard ? `${url}/` : undefined,
    services,
    bootstrap,
    close() {
      closing ??= (async () => {
        services.readiness.markDraining();
        clearInterval(purge);
        logger.info({ inFlight: draining.inFlight, timeoutMs: config.shutdownTimeoutMs }, "draining: readiness 503, no new connections");
        const cutMetrics = setTimeout(() => metricsListening?.closeAllConnections(), config.shutdownTimeoutMs);
        const [outcome] = await Promise.all([draining.drain(config.shutdownTimeoutMs), metricsListening && closeServer(metricsListening)]);
        clearTimeout(cutMetrics);
        await services.close();
        logger.info({ finished: outcome.finished }, "stopped");
        return outcome;
      })();
      return closing;
    },
    async reloadTls() {
      if (!config.tls) return false;
      const renewed = await readTlsCredentials(config.tls);
      (listening as HttpsServer).setSecureContext({ cert: renewed.cert, key: renewed.key });
      logger.info({ certificate: renewed.fingerprint, validTo: renewed.validTo }, "TLS certificate reloaded");
      return true;
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
