import type { StoreCallObserver } from "@zs/core";
import { Histogram, type Registry } from "prom-client";
import { DURATION_BUCKETS_SECONDS } from "./metric-buckets.js";

/**
 * `zs_values_store_call_duration_seconds{store, operation, outcome}`: every call the values
 * placement (and the backup repair) makes to a values store — primary, backup or copy-back —
 * by the store's type, `get`/`put`/`delete`, and `ok`/`not_found`/`error`. The observer to set
 * on the placement.
 */
export function storeCallMetrics(registry: Registry): StoreCallObserver {
  const duration = new Histogram({
    name: "zs_values_store_call_duration_seconds",
    help: "Values store call duration by store type, operation (get, put, delete) and outcome (ok, not_found, error).",
    labelNames: ["store", "operation", "outcome"] as const,
    buckets: DURATION_BUCKETS_SECONDS,
    registers: [registry],
  });
  return ({ store, operation, outcome, durationMs }) => duration.observe({ store, operation, outcome }, durationMs / 1000);
}
