import { Registry, collectDefaultMetrics } from "prom-client";

let processRegistry: Registry | undefined;

/**
 * prom-client's default metrics (CPU, memory, heap, event loop lag, GC, handles, Node's
 * version) in a registry of their own, made once per process: they describe the process,
 * however many servers it runs (tests run several), and their collectors — a GC observer, an
 * event loop monitor — are never removed, so one set is all a process should start.
 */
export function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}
