import { isZsError, ZsError } from "../errors.js";
import type { SecretValuesStore } from "../stores/values-store.js";

/**
 * Runs a call of `store`; anything but a `ZsError` becomes `BACKEND_UNAVAILABLE`. The backend's
 * own message may quote its input, so only the error's class is shown (the original is the
 * `cause`, for the logs' stack, never for a response).
 */
export async function callStore<T>(store: SecretValuesStore, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
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
