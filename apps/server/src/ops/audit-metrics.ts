import type { AuditRecorder, AuditRecorderStats } from "@zs/core";
import { Counter, Histogram, type Registry } from "prom-client";
import { DURATION_BUCKETS_SECONDS } from "./metric-buckets.js";

/**
 * The audit recorder's group commit: batch sizes and flush durations (observed as each batch
 * ends), and its running totals of batches, failed batches, events recorded and events lost
 * (read from its stats at scrape time).
 */
export function auditMetrics(registry: Registry, recorder: AuditRecorder): void {
  const batchSize = new Histogram({
    name: "zs_audit_batch_events",
    help: "Audit events per batch written (or failed) in one transaction.",
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
    registers: [registry],
  });
  const flushDuration = new Histogram({
    name: "zs_audit_flush_duration_seconds",
    help: "Duration of writing one audit batch, by outcome (ok, error).",
    labelNames: ["outcome"] as const,
    buckets: DURATION_BUCKETS_SECONDS,
    registers: [registry],
  });
  recorder.batchObserver = ({ events, durationMs, ok }) => {
    batchSize.observe(events);
    flushDuration.observe({ outcome: ok ? "ok" : "error" }, durationMs / 1000);
  };
  totalFromStats(registry, recorder, "batches", "zs_audit_batches_total", "Audit batches written.");
  totalFromStats(registry, recorder, "failures", "zs_audit_batch_failures_total", "Audit batches that could not be written.");
  totalFromStats(registry, recorder, "recorded", "zs_audit_events_recorded_total", "Audit events written.");
  totalFromStats(registry, recorder, "lost", "zs_audit_events_lost_total", "Audit events never written (best-effort drops, failed batches).");
}

/** A counter mirroring one of the recorder's running totals, which only ever grow. */
function totalFromStats(registry: Registry, recorder: AuditRecorder, stat: keyof AuditRecorderStats, name: string, help: string): void {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(recorder.stats[stat]);
    },
  });
}
