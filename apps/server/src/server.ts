import type { AddressInfo } from "node:net";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import type { ZsConfig } from "@zs/core";
import type { Logger } from "pino";
import { createApp } from "./app.js";
import { openServices, type OpenedServices, type ServiceOptions } from "./open-services.js";
import { ConnectionDraining, type DrainOutcome } from "./ops/connection-draining.js";
import { isLoopbackHost, readTlsCredentials } from "./ops/tls-files.js";

/** How often expired sessions are removed. */
const PURGE_INTERVAL_MS = 60 * 60 * 1000;

/** A listening server. */
export interface RunningServer {
  url: string;
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
}

/** Opens the store, creates the first admin if there are no users, and listens (HTTPS with `ZS_TLS_*`). */
export async function startServer({ config, logger, ...options }: StartOptions): Promise<RunningServer> {
  // The TLS files are checked before anything is opened: a bad file changes nothing.
  const credentials = config.tls ? await readTlsCredentials(config.tls) : undefined;
  const services = await openServices(config, logger, options);
  let server: HttpServer | HttpsServer;
  let draining: ConnectionDraining;
  let bootstrap: RunningServer["bootstrap"];
  try {
    const outcome = await services.auth.bootstrapAdmin(config.adminUsername, config.adminPassword);
    if (outcome.created) bootstrap = { adminName: config.adminUsername, generatedPassword: outcome.generatedPassword };
    await services.auth.purgeExpired();
    const app = createApp(services, logger, { trustProxy: config.trustProxy });
    server = credentials ? createHttpsServer({ cert: credentials.cert, key: credentials.key }, app) : createHttpServer(app);
    draining = new ConnectionDraining(server);
    const listening = server;
    await new Promise<void>((resolve, reject) => {
      listening.once("error", reject);
      listening.listen(config.port, config.host, () => {
        listening.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    await services.close();
    throw error;
  }
  services.readiness.markServing();
  const purge = setInterval(() => {
    services.auth.purgeExpired().catch((error: unknown) => logger.warn({ err: error }, "could not remove expired sessions"));
  }, PURGE_INTERVAL_MS);
  purge.unref();

  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  const url = `${credentials ? "https" : "http"}://${host}:${port}`;
  logger.info({ url, store: services.secrets.valuesStoreType, ...(credentials && { certificate: credentials.fingerprint, validTo: credentials.validTo }) }, "listening");
  if (!credentials && !isLoopbackHost(config.host)) {
    logger.warn(
      { host: config.host },
      "listening on a non-loopback address without TLS: tokens and secret values cross the network in clear; set ZS_TLS_CERT_FILE and ZS_TLS_KEY_FILE, or put a TLS-terminating proxy in front",
    );
  }
  let closing: Promise<DrainOutcome> | undefined;
  const listening = server;
  return {
    url,
    services,
    bootstrap,
    close() {
      closing ??= (async () => {
        services.readiness.markDraining();
        clearInterval(purge);
        logger.info({ inFlight: draining.inFlight, timeoutMs: config.shutdownTimeoutMs }, "draining: readiness 503, no new connections");
        const outcome = await draining.drain(config.shutdownTimeoutMs);
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
