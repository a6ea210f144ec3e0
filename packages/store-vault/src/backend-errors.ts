import { ZsError, callWithRetry, redactUrl, type Logger, type RetryPolicy } from "@zs/core";
import { VaultCallError } from "./vault-kv-client.js";

/** Where a call went, for messages: the mount, the path below it and Vault's address. */
export interface VaultCallTarget {
  mountPoint: string;
  /** The path under the mount, e.g. `zs/<id>`. */
  path: string;
  address: string;
}

/**
 * Worth another attempt: no answer (refused, reset, timed out), 5xx, 429 (rate limited) and
 * 412 (a Vault Enterprise performance standby not yet caught up).
 */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof VaultCallError)) return false;
  return error.status === undefined || error.status >= 500 || error.status === 429 || error.status === 412;
}

/** A check-and-set write lost to a concurrent one: the store reads again and retries the round itself. */
export function isCasMismatch(error: unknown): boolean {
  return error instanceof VaultCallError && error.status === 400 && error.reason.includes("check-and-set");
}

/**
 * Failures the store's logic sees as they are: a check-and-set conflict, and anything that
 * is not a Vault answer (a bug, not a backend failure). Absent paths never get here: the KV
 * client returns `undefined` for a plain 404.
 */
export function isHandled(error: unknown): boolean {
  return !(error instanceof VaultCallError) || isCasMismatch(error);
}

/** Turns a failed Vault call into the `ZsError` callers get. */
export function toZsError(error: VaultCallError, target: VaultCallTarget, attempts: number): ZsError {
  // vault_addr may carry user-info; no message shows it.
  const where = `${target.mountPoint}/data/${target.path} at ${redactUrl(target.address)}`;
  if (isTransient(error)) {
    return new ZsError("BACKEND_UNAVAILABLE", `vault: ${where} unavailable after ${attempts} attempt(s): ${error.message}.`);
  }
  if (error.status === 403 || error.status === 401) {
    return new ZsError(
      "CONFIGURATION_ERROR",
      `vault: permission denied on ${where}. Check vault_token (ZS_SECRETS_STORE_VAULT_TOKEN), vault_namespace, and that the token's ` +
        `policy grants create/read/update on "${target.mountPoint}/data/zs/*" and create/update/delete on "${target.mountPoint}/metadata/zs/*".`,
    );
  }
  if (error.status === 404) {
    return new ZsError(
      "CONFIGURATION_ERROR",
      `vault: ${error.reason || "not found"} (${where}). Is '${target.mountPoint}' a KV version 2 mount? Set mount_point (ZS_SECRETS_STORE_MOUNT_POINT).`,
    );
  }
  return new ZsError("INTERNAL", `vault: unexpected answer for ${where}: ${error.message}.`);
}

/** Names a failure in the retry log: its status, or the socket error's code when no answer came. */
function describeError(error: unknown): string {
  if (!(error instanceof VaultCallError)) return "Error";
  return error.status === undefined ? `no answer (${error.reason})` : `status ${error.status}`;
}

/**
 * Runs one Vault call through core's bounded, jittered retry with this store's
 * classification: check-and-set conflicts are rethrown untouched, other failures become a
 * `ZsError`.
 */
export function callVault<T>(
  operation: string,
  target: VaultCallTarget,
  policy: RetryPolicy,
  logger: Logger,
  call: () => Promise<T>,
): Promise<T> {
  return callWithRetry(call, {
    store: "vault",
    operation,
    objectName: `${target.mountPoint}/data/${target.path}`,
    policy,
    logger,
    isTransient,
    isHandled,
    toError: (error, attempts) => toZsError(error as VaultCallError, target, attempts),
    describeError,
  });
}
