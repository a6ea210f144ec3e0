import {
  CREATED_BY_ZS,
  ZsError,
  callWithRetry,
  defineImportSource,
  redactUrl,
  type ExternalEntry,
  type ExternalValue,
  type ImportSource,
  type Logger,
} from "@zs/core";
import { isTransient } from "./backend-errors.js";
import { ownerOf } from "./object-format.js";
import { VaultCallError, createNodeVaultClient, type VaultKvClient, type VaultKvDocument } from "./vault-kv-client.js";
import type { VaultStoreOptions } from "./vault-store.js";

/** Per-request timeout, as the store's. */
const REQUEST_TIMEOUT_MS = 10000;
/** Where the `vault` store keeps zs's secrets under the mount (`zs/<id>`): everything there is zs's own. */
const ZS_PATH_PREFIX = "zs/";

/**
 * HashiCorp Vault's KV v2 engine as a source of `zs secret import --from vault`: LIST of the
 * metadata under the prefix's directory, recursively, then a read of each secret imported,
 * whose data fields become keys. External names are paths under the mount. What lies under
 * `zs/` is the `vault` store's, and a path whose `custom_metadata` (or legacy envelope) names a
 * zs deployment is zs's too: both skipped.
 */
export class VaultImportSource implements ImportSource {
  constructor(
    private readonly client: VaultKvClient,
    private readonly mountPoint: string,
    private readonly address: string,
    private readonly logger: Logger,
  ) {}

  async list(prefix: string): Promise<ExternalEntry[]> {
    const entries: ExternalEntry[] = [];
    const walk = async (directory: string): Promise<void> => {
      const keys = await this.call("list", `${this.mountPoint}/metadata/${directory}`, () => this.client.listKeys(this.mountPoint, directory));
      for (const key of keys) {
        const path = `${directory}${key}`;
        if (key.endsWith("/")) {
          if (path.startsWith(prefix) || prefix.startsWith(path)) await walk(path);
        } else if (path.startsWith(prefix)) {
          entries.push(path.startsWith(ZS_PATH_PREFIX) ? { externalName: path, skipReason: CREATED_BY_ZS } : { externalName: path });
        }
      }
    };
    await walk(prefix.slice(0, prefix.lastIndexOf("/") + 1));
    return entries;
  }

  async read(path: string): Promise<ExternalValue> {
    const where = `${this.mountPoint}/data/${path}`;
    const document: VaultKvDocument | undefined = await this.call("read", where, () => this.client.readData(this.mountPoint, path));
    if (document !== undefined && ownerOf(document) !== undefined) return { kind: "skip", reason: CREATED_BY_ZS };
    if (!document?.data) throw new ZsError("NOT_FOUND", `vault: ${where} has no current version (deleted, or deleted after it was listed).`);
    return { kind: "map", map: document.data };
  }

  async close(): Promise<void> {
    // node-vault keeps no connections beyond its HTTP agent's idle sockets.
  }

  /** One Vault call, retried on 5xx, 429, 412 and lost connections. */
  private call<T>(operation: string, where: string, run: () => Promise<T>): Promise<T> {
    return callWithRetry(run, {
      store: "vault",
      operation,
      objectName: where,
      logger: this.logger,
      isTransient,
      isHandled: (error) => !(error instanceof VaultCallError),
      toError: (error, attempts) => this.toZsError(error as VaultCallError, operation, where, attempts),
      describeError: (error) => (error instanceof VaultCallError ? error.message : "Error"),
    });
  }

  private toZsError(error: VaultCallError, operation: string, where: string, attempts: number): ZsError {
    // vault_addr may carry user-info; no message shows it.
    const at = `${where} at ${redactUrl(this.address)}`;
    if (isTransient(error)) return new ZsError("BACKEND_UNAVAILABLE", `vault: ${operation} of ${at} failed after ${attempts} attempt(s): ${error.message}.`);
    if (error.status === 401 || error.status === 403) {
      return new ZsError(
        "CONFIGURATION_ERROR",
        `vault: permission denied to ${operation} ${at}. Check vault_token and vault_namespace, and that the token's policy grants ` +
          `list on "${this.mountPoint}/metadata/*" and read on "${this.mountPoint}/data/*" (for the paths imported).`,
      );
    }
    if (error.status === 404) {
      return new ZsError("CONFIGURATION_ERROR", `vault: ${error.reason} (${at}). Is '${this.mountPoint}' a KV version 2 mount? Set mount_point.`);
    }
    return new ZsError("INTERNAL", `vault: unexpected answer to ${operation} of ${at}: ${error.message}.`);
  }
}

/** `zs secret import --from vault`: every option of the store. */
export const vaultImportSource = defineImportSource<VaultStoreOptions>({
  type: "vault",
  optionNames: ["vault_addr", "vault_token", "vault_namespace", "mount_point"],
  async open(options, context) {
    const address = options.vault_addr.replace(/\/+$/, "");
    const client = await createNodeVaultClient({ address, token: options.vault_token, namespace: options.vault_namespace, timeoutMs: REQUEST_TIMEOUT_MS });
    return new VaultImportSource(client, options.mount_point, address, context.logger);
  },
});
