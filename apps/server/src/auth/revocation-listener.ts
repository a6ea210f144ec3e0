import { redactUrlIn } from "@zs/core";
import pg from "pg";
import type { Logger } from "pino";
import type { AuthCache } from "./auth-cache.js";

/** The channel the database's triggers (migration `008_auth_revocation`) notify. */
export const REVOCATION_CHANNEL = "zs_auth";
const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 5_000;
/** A connection that stopped answering (a silent network drop) is found this often. */
const HEARTBEAT_MS = 10_000;

/** A running listener; `close` ends its connection and stops reconnecting. */
export interface RevocationListener {
  close(): Promise<void>;
}

/** Where and as whom to listen. */
export interface RevocationListenerOptions {
  databaseUrl: string;
  cache: AuthCache;
  logger: Logger;
  /** Names the connection in `pg_stat_activity`. @default `zs-auth-listener-<pid>` */
  applicationName?: string;
}

/**
 * PostgreSQL: `LISTEN zs_auth` on a dedicated connection and evict what each notice names
 * (a token hash or a user id). The cache is bypassed until the connection listens, and
 * emptied and bypassed again whenever it drops, since notices sent meanwhile are lost; it
 * reconnects with backoff (operations.md "Authentication cache and revocation").
 */
export function listenForRevocations({ databaseUrl, cache, logger, applicationName }: RevocationListenerOptions): RevocationListener {
  let client: pg.Client | undefined;
  let closed = false;
  let retryMs = FIRST_RETRY_MS;
  let retry: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  cache.suspend();

  const lost = (connection: pg.Client, error?: Error) => {
    if (client !== connection) return;
    client = undefined;
    clearInterval(heartbeat);
    cache.suspend();
    connection.end().catch(() => undefined);
    if (closed) return;
    logger.warn(
      { error: error ? redactUrlIn(error.message, databaseUrl) : undefined, retryMs },
      "lost the connection listening for revocations; authentications are not cached until it is back",
    );
    retry = setTimeout(connect, retryMs);
    retry.unref();
    retryMs = Math.min(retryMs * 2, LAST_RETRY_MS);
  };

  const connect = () => {
    const connection = new pg.Client({
      connectionString: databaseUrl,
      application_name: applicationName ?? `zs-auth-listener-${process.pid}`,
      keepAlive: true,
      query_timeout: HEARTBEAT_MS,
    });
    client = connection;
    connection.on("notification", (message) => {
      if (message.channel === REVOCATION_CHANNEL && message.payload) cache.revoke(message.payload);
    });
    connection.on("error", (error) => lost(connection, error));
    connection.on("end", () => lost(connection));
    (async () => {
      await connection.connect();
      await connection.query(`LISTEN ${REVOCATION_CHANNEL}`);
    })().then(
      () => {
        if (client !== connection) return;
        retryMs = FIRST_RETRY_MS;
        cache.resume();
        heartbeat = setInterval(() => connection.query("select 1").catch((error: Error) => lost(connection, error)), HEARTBEAT_MS);
        heartbeat.unref();
        logger.info("listening for revocations");
      },
      (error: Error) => lost(connection, error),
    );
  };
  connect();

  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      clearInterval(heartbeat);
      const connection = client;
      client = undefined;
      await connection?.end().catch(() => undefined);
    },
  };
}
