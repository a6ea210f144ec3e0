import { ZsError } from "../errors.js";

/**
 * Runs a store's health probe (typically a read of an object that does not exist) and reports
 * any failure as `SecretValuesStore.check()` must: `BACKEND_UNAVAILABLE`, with the failure's
 * message as the reason, prefixed with the store's type unless it already is.
 */
export async function runHealthCheck(store: string, probe: () => Promise<unknown>): Promise<void> {
  try {
    await probe();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ZsError("BACKEND_UNAVAILABLE", message.startsWith(`${store}:`) ? message : `${store}: ${message}`);
  }
}
