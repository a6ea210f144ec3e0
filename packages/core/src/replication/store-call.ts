import { isZsError, ZsError } from "../errors.js";
import type { SecretValuesStore } from "../stores/values-store.js";

/** The values store calls that are timed: `getValues`, `putValues`, `deleteValues`. */
export type StoreOperation = "get" | "put" | "delete";

/**
 * One finished values store call, as metrics see it: never a secret id or a value.
 * `not_found`: a get that found no values, or a delete of values that were not there.
 */
export interface StoreCallObservation {
  /** The store's type, e.g. `sql`, `aws`. */
  store: string;
  operation: StoreOperation;
  outcome: "ok" | "not_found" | "error";
  durationMs: number;
}

/** Told of every observed values store call (the server turns these into metrics). */
export type StoreCallObserver = (observation: StoreCallObservation) => void;

/** Which call it is and whom to tell about it. */
export interface StoreCallWatch {
  operation: StoreOperation;
  observer: StoreCallObserver | undefined;
}

/**
 * Runs a call of `store`; anything but a `ZsError` becomes `BACKEND_UNAVAILABLE`. The backend's
 * own message may quote its input, so only the error's class is shown (the original is the
 * `cause`, for the logs' stack, never for a response). With `watch`, its observer is told how
 * the call went and how long it took.
 */
export async function callStore<T>(store: SecretValuesStore, call: () => Promise<T>, watch?: StoreCallWatch): Promise<T> {
  const observer = watch?.observer;
  const started = observer ? performance.now() : 0;
  try {
    const result = await call();
    if (observer) {
      // A put answers nothing when the store keeps no versions: only gets and deletes find nothing.
      const found = watch.operation === "put" || (result !== undefined && result !== false);
      observer({ store: store.type, operation: watch.operation, outcome: found ? "ok" : "not_found", durationMs: performance.now() - started });
    }
    return result;
  } catch (error) {
    if (observer) observer({ store: store.type, operation: watch.operation, outcome: "error", durationMs: performance.now() - started });
    if (isZsError(error)) throw error;
    const kind = error instanceof Error ? error.name : typeof error;
    throw Object.assign(new ZsError("BACKEND_UNAVAILABLE", `The '${store.type}' values store failed (${kind}).`), { cause: error });
  }
}

/** The error's code when it is a `ZsError`, else its class: what a log line may say of a store failure. */
export function failureKind(error: unknown): string {
  if (isZsError(error)) return error.code;
  return error instanceof Error ? error.name : typeof error;
}
