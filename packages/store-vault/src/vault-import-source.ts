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
import type nodeVault from "node-vault";
import { isTransient } from "./backend-errors.js";
import { VaultCallError, encodePath, toCallError } from "./vault-kv-client.js";
import type { VaultStoreOptions } from "./vault-store.js";
import { DEPLOYMENT_TAG } from "./object-format.js";

/** Per-request timeout, as the store's. */
const REQUEST_TIMEOUT_MS = 10000;
/** Where the `vault` store keeps zs's secrets under the mount (`zs/<id>`): everything there is zs's own. */
const ZS_PATH_PREFIX = "zs/";

/** A KV v2 read as Vault answers it. */
interface KvReadBody {
  data?: { data?: Record<string, unknown> | null; metadata?: { custom_metadata?: Record<string, string> | null } };
}

/**
 * HashiCorp Vault's KV v2 engine as a source of `zs secret import --from vault`: LIST of the
 * metadata under the prefix's directory, recursively, then a read of each secret imported,
 * whose data fields become keys. External names are paths under the mount. What lies under
 * `zs/` is the `vault` store's, and a secret whose custom metadata names a zs deployment is
 * zs's too: both skipped.
 */
export class VaultImportSource implements ImportSource {
  constructor(
    private readonly vault: nodeVault.client,
    private readonly mountPoint: string,
    private readonly address: string,
    private readonly logger: Logger,
  ) {}

  async list(prefix: string): Promise<ExternalEntry[]> {
    const entries: ExternalEntry[] = [];
    const walk = async (directory: string): Promise<void> => {
      for (const key of await this.listKeys(directory)) {
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
    let body: KvReadBody;
    try {
      body = await this.call("read", where, () => this.vault.read(`${encodePath(this.mountPoint)}/data/${encodePath(path)}`));
    } catch (error) {
      if (isPlainNotFound(error)) throw new ZsError("NOT_FOUND", `vault: ${where} has no current version (deleted, or deleted after it was listed).`);
      throw error;
    }
    if (body.data?.metadata?.custom_metadata?.[DEPLOYMENT_TAG] !== undefined) return { kind: "skip", reason: CREATED_BY_ZS };
    const data = body.data?.data;
    if (!data) throw new ZsError("NOT_FOUND", `vault: ${where} has no current version (deleted, or deleted after it was listed).`);
    return { kind: "map", map: data };
  }

  async close(): Promise<void> {
    // node-vault keeps no connections beyond its HTTP agent's idle sockets.
  }

  /** The keys right under `directory` (`""` or ending in `/`); none when Vault has nothing there (a plain 404). */
  private async listKeys(directory: string): Promise<string[]> {
    const where = `${this.mountPoint}/metadata/${directory}`;
    try {
      const body = (await this.call("list", where, () => this.vault.list(`${encodePath(this.mountPoint)}/metadata/${encodePath(directory)}`))) as {
        data?: { keys?: unknown };
      };
      const keys = body.data?.keys;
      return Array.isArray(keys) ? keys.filter((key): key is string => typeof key === "string") : [];
    } catch (error) {
      if (isPlainNotFound(error)) return [];
      throw error;
    }
  }

  /** One Vault call, retried on 5xx, 429, 412 and lost connections; a plain 404 comes back as it is. */
  private call<T>(operation: string, where: string, run: () => Promise<T>): Promise<T> {
    return callWithRetry(
      async () => {
        try {
          return await run();
        } catch (error) {
          throw toCallError(error);
        }
      },
      {
        store: "vault",
        operation,
        objectName: where,
        logger: this.logger,
        isTransient,
        isHandled: isPlainNotFound,
        toError: (error, attempts) => this.toZsError(error as VaultCallError, operation, where, attempts),
        describeError: (error) => (error instanceof VaultCallError ? error.message : "Error"),
      },
    );
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

/** A 404 without an error text: nothing at that path (with a text, the route or mount is missing). */
function isPlainNotFound(error: unknown): boolean {
  return error instanceof VaultCallError && error.status === 404 && error.reason === "";
}

/** `zs secret import --from vault`: every option of the store. */
export const vaultImportSource = defineImportSource<VaultStoreOptions>({
  type: "vault",
  optionNames: ["vault_addr", "vault_token", "vault_namespace", "mount_point"],
  async open(options, context) {
    const { default: createVault } = await import("node-vault");
    const address = options.vault_addr.replace(/\/+$/, "");
    const vault = createVault({
      endpoint: address,
      token: options.vault_token,
      ...(options.vault_namespace ? { namespace: options.vault_namespace } : {}),
      requestOptions: { timeout: REQUEST_TIMEOUT_MS },
      // LIST goes as GET with list=true, the same request to Vault, and one that HTTP stacks
      // knowing no LIST method (Node's own parser, some proxies) pass on.
      noCustomHTTPVerbs: true,
    });
    return new VaultImportSource(vault, options.mount_point, address, context.logger);
  },
});
