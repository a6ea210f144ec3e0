import type { RequestHandler } from "express";
import { Registry } from "prom-client";
import type { OpenedServices } from "../open-services.js";
import { auditMetrics } from "./audit-metrics.js";
import { authCacheMetrics, type AuthCacheStats } from "./auth-cache-metrics.js";
import { backupMetrics } from "./backup-metrics.js";
import { databasePoolMetrics } from "./database-pool-metrics.js";
import { processMetrics } from "./process-metrics.js";
import { requestMetrics } from "./request-metrics.js";
import { storeCallMetrics } from "./store-call-metrics.js";

/** One server's metrics: what measures its requests, and the text of a scrape. */
export interface ServerMetrics {
  /** The middleware measuring every request of the main app. */
  readonly requests: RequestHandler;
  /** The exposition format's content type. */
  readonly contentType: string;
  /** Every series, in Prometheus' text format: the process's, then this server's. */
  exposition(): Promise<string>;
}

/** What the metrics read besides the services. */
export interface ServerMetricsOptions {
  /** Where the token cache's series come from. @default the services' `authCache` */
  authCacheStats?: () => AuthCacheStats | undefined;
}

/**
 * The metrics of operations.md, in one registry per server (several servers in one process
 * never share a series), each declared next to where it is measured: requests and secret
 * operations (`requestMetrics`), values store calls (an observer on the placement), audit
 * batches (an observer on the recorder), the backup's pending count and the database pool
 * (read at scrape time). No label ever carries a secret's or user's name, a token or an id.
 */
export function createServerMetrics(services: OpenedServices, options: ServerMetricsOptions = {}): ServerMetrics {
  const registry = new Registry();
  const requests = requestMetrics(registry);
  services.secrets.placement.storeCallObserver = storeCallMetrics(registry);
  auditMetrics(registry, services.audit.recorder);
  backupMetrics(registry, services.backups);
  databasePoolMetrics(registry, () => services.databasePool());
  authCacheMetrics(registry, options.authCacheStats ?? (() => services.authCache.stats));
  const processRegistry = processMetrics();
  return {
    requests,
    contentType: registry.contentType,
    async exposition() {
      const [processText, serverText] = await Promise.all([processRegistry.metrics(), registry.metrics()]);
      return `${processText}\n${serverText}`;
    },
  };
}
