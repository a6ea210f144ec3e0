import type { PoolStats } from "@zs/store-sql";
import { Gauge, type Registry } from "prom-client";

/** The metadata database's connection pool at scrape time: connections in use and idle, queries waiting for one. */
export function databasePoolMetrics(registry: Registry, poolStats: () => PoolStats): void {
  new Gauge({
    name: "zs_database_pool_connections",
    help: "Connections of the metadata database's pool by state (in_use, idle).",
    labelNames: ["state"] as const,
    registers: [registry],
    collect() {
      const { inUse, idle } = poolStats();
      this.set({ state: "in_use" }, inUse);
      this.set({ state: "idle" }, idle);
    },
  });
  new Gauge({
    name: "zs_database_pool_pending_acquires",
    help: "Queries waiting for a connection of the metadata database's pool.",
    registers: [registry],
    collect() {
      this.set(poolStats().pending);
    },
  });
}
