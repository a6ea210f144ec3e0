import { Counter, type Registry } from "prom-client";

/** How a secret operation ended, from its response's status. */
export type SecretOperationOutcome = "ok" | "denied" | "not_found" | "rejected" | "error";

/** Records one secret operation: its audit action (`secret.read`) and its response's status. */
export type SecretOperationRecorder = (action: string, status: number) => void;

const PREFIX = "secret.";

/**
 * `zs_secret_operations_total{operation, outcome}`: every request of a secret route, by the
 * action its audit event names without `secret.` (`read`, `create`, `update`, `rename`,
 * `delete`, `purge`, `recover`, `rollback`, `list`, …) — never the secret's name or id.
 */
export function secretOperationMetrics(registry: Registry): SecretOperationRecorder {
  const operations = new Counter({
    name: "zs_secret_operations_total",
    help: "Secret operations by operation and outcome (ok, denied, not_found, rejected: another 4xx, error: 5xx).",
    labelNames: ["operation", "outcome"] as const,
    registers: [registry],
  });
  return (action, status) => {
    if (!action.startsWith(PREFIX)) return;
    operations.inc({ operation: action.slice(PREFIX.length), outcome: outcomeOf(status) });
  };
}

function outcomeOf(status: number): SecretOperationOutcome {
  if (status < 400) return "ok";
  if (status === 401 || status === 403) return "denied";
  if (status === 404) return "not_found";
  return status < 500 ? "rejected" : "error";
}
