import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { ZsConfig } from "@zs/core";
import type { Logger } from "pino";
import { createApp } from "./app.js";
import { openServices, type OpenedServices, type ServiceOptions } from "./open-services.js";

/** How long in-flight requests get to finish after SIGTERM before connections are cut. */
const SHUTDOWN_GRACE_MS = 10_000;
/** How often expired sessions are removed. */
const PURGE_INTERVAL_MS = 60 * 60 * 1000;

/** A listening server. */
export interface RunningServer {
  url: string;
  services: OpenedServices;
  /** Set when this start created the first admin; the password only when it was generated. */
  bootstrap: { adminName: string; generatedPassword?: string } | undefined;
  /** Stops accepting connections, lets in-flight requests finish, closes the database. */
  close(): Promise<void>;
}

export interface StartOptions extends ServiceOptions {
  config: ZsConfig;
  logger: Logger;
}

/** Opens the store, creates the first admin if there are no users, and listens. */
export async function startServer({ config, logger, ...options }: StartOptions): Promise<RunningServer> {
  const services = await openServices(config, logger, options);
  let server: Server;
  let bootstrap: RunningServer["bootstrap"];
  try {
    const outcome = await services.auth.bootstrapAdmin(config.adminUsername, config.adminPassword);
    if (outcome.created) bootstrap = { adminName: config.adminUsername, generatedPassword: outcome.generatedPassword };
    await services.auth.purgeExpired();
    const app = createApp(services, logger, { trustProxy: config.trustProxy });
    server = await new Promise<Server>((resolve, reject) => {
      const listening = app.listen(config.port, config.host, (error?: Error) => (error ? reject(error) : resolve(listening)));
    });
  } catch (error) {
    await services.close();
    throw error;
  }
  const purge = setInterval(() => {
    services.auth.purgeExpired().catch((error: unknown) => logger.warn({ err: error }, "could not remove expired sessions"));
  }, PURGE_INTERVAL_MS);
  purge.unref();

  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  logger.info({ url, store: services.secrets.valuesStoreType }, "listening");
  let closing: Promise<void> | undefined;
  const listening = server;
  return {
    url,
    services,
    bootstrap,
    close() {
      closing ??= (async () => {
        clearInterval(purge);
        const cut = setTimeout(() => listening.closeAllConnections(), SHUTDOWN_GRACE_MS);
        await new Promise<void>((resolve) => {
          listening.close(() => resolve());
          listening.closeIdleConnections();
        });
        clearTimeout(cut);
        await services.close();
        logger.info("stopped");
      })();
      return closing;
    },
  };
}
