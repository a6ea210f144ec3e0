/**
 * One version of a KV v2 secret as read: its data (`null` when that version is soft-deleted),
 * its number, and the key's `custom_metadata`, which Vault answers with every data read
 * (`null` when never set).
 */
export interface VaultKvDocument {
  data: Record<string, unknown> | null;
  version: number;
  /** The version's `created_time` (RFC 3339, as Vault answers it); `""` when not answered. */
  createdTime: string;
  customMetadata: Record<string, string> | null;
}

/** A version just written: its number and `created_time`. */
export interface VaultKvWritten {
  version: number;
  createdTime: string;
}

/**
 * A failed Vault call: `status` is the HTTP status, `undefined` when no answer came (refused,
 * reset, timed out); `reason` is Vault's first error message or the socket error's code. It
 * never carries the request, so never a value.
 */
export class VaultCallError extends Error {
  readonly status: number | undefined;
  readonly reason: string;

  constructor(status: number | undefined, reason: string) {
    super(status === undefined ? `no answer (${reason})` : `status ${status}${reason ? `: ${reason}` : ""}`);
    this.name = "VaultCallError";
    this.status = status;
    this.reason = reason;
  }
}

/** The KV v2 calls the `vault` store makes; paths are relative to the mount. */
export interface VaultKvClient {
  /**
   * The current version, or version `version` (`?version=N`); `undefined` when there is none
   * (a plain 404: no such path, or a version removed by `max_versions`).
   */
  readData(mount: string, path: string, version?: number): Promise<VaultKvDocument | undefined>;
  /** Writes a new version with check-and-set: `cas` 0 = only if absent, N = only if the current version is N. */
  writeData(mount: string, path: string, data: Record<string, unknown>, cas: number): Promise<VaultKvWritten>;
  /**
   * Sets the key's `custom_metadata` (the whole map; it creates the key's metadata when there is
   * none) and, when given, its `max_versions`.
   */
  writeMetadata(mount: string, path: string, customMetadata: Record<string, string>, maxVersions?: number): Promise<void>;
  /** Deletes every version and the metadata of the path. */
  deleteMetadata(mount: string, path: string): Promise<void>;
  /**
   * `LIST` of the metadata under `directory` (`""` or ending in `/`), for `zs secret import`:
   * the names right under it, sub-directories ending in `/`; none when nothing is there.
   */
  listKeys(mount: string, directory: string): Promise<string[]>;
}

/** Connection settings of `createNodeVaultClient`. */
export interface NodeVaultClientOptions {
  address: string;
  token: string;
  namespace?: string | undefined;
  /** Per-request timeout in ms. */
  timeoutMs: number;
}

interface NodeVaultError {
  message?: string;
  code?: string;
  response?: { statusCode?: number; body?: unknown };
}

function toCallError(error: unknown): VaultCallError {
  const failure = (error ?? {}) as NodeVaultError;
  const status = failure.response?.statusCode;
  if (status === undefined) return new VaultCallError(undefined, failure.code ?? "connection failed");
  const errors = (failure.response?.body as { errors?: unknown } | undefined)?.errors;
  const reason = Array.isArray(errors) && typeof errors[0] === "string" ? errors[0] : "";
  return new VaultCallError(status, reason);
}

/** A version's metadata as the data routes answer it. */
interface VersionMetadata {
  version?: number;
  created_time?: unknown;
  custom_metadata?: unknown;
}

function createdTimeOf(metadata: VersionMetadata | undefined): string {
  return typeof metadata?.created_time === "string" ? metadata.created_time : "";
}

/** `custom_metadata` as answered: a map of strings, or `null`. */
function customMetadataOf(metadata: { custom_metadata?: unknown } | undefined): Record<string, string> | null {
  const raw = metadata?.custom_metadata;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return null;
  return Object.fromEntries(Object.entries(raw).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/** The `VaultKvClient` over node-vault, which is imported only now. */
export async function createNodeVaultClient(options: NodeVaultClientOptions): Promise<VaultKvClient> {
  const { default: nodeVault } = await import("node-vault");
  const vault = nodeVault({
    endpoint: options.address,
    token: options.token,
    ...(options.namespace ? { namespace: options.namespace } : {}),
    requestOptions: { timeout: options.timeoutMs },
    // LIST goes as GET with list=true: the same request to Vault, and one that HTTP stacks
    // knowing no LIST method (Node's own parser, some proxies) pass on.
    noCustomHTTPVerbs: true,
  });
  return {
    async readData(mount, path, version) {
      try {
        const query = version === undefined ? "" : `?version=${version}`;
        const body = (await vault.read(`${encodePath(mount)}/data/${encodePath(path)}${query}`)) as {
          data?: { data?: Record<string, unknown> | null; metadata?: VersionMetadata };
        };
        const metadata = body.data?.metadata;
        return { data: body.data?.data ?? null, version: metadata?.version ?? 0, createdTime: createdTimeOf(metadata), customMetadata: customMetadataOf(metadata) };
      } catch (error) {
        const failure = error as NodeVaultError;
        if (failure.response?.statusCode === 404) {
          const body = failure.response.body as { errors?: unknown[]; data?: { metadata?: VersionMetadata } } | undefined;
          // A soft-deleted (or destroyed) version: 404, but with its metadata (the version for check-and-set).
          const metadata = body?.data?.metadata;
          if (typeof metadata?.version === "number") {
            return { data: null, version: metadata.version, createdTime: createdTimeOf(metadata), customMetadata: customMetadataOf(metadata) };
          }
          // A plain 404 has no error text; "no handler for route" means the mount is missing.
          if (!body?.errors || body.errors.length === 0) return undefined;
        }
        throw toCallError(error);
      }
    },
    async writeData(mount, path, data, cas) {
      try {
        const body = (await vault.write(`${encodePath(mount)}/data/${encodePath(path)}`, { data, options: { cas } })) as { data?: VersionMetadata } | undefined;
        return { version: body?.data?.version ?? 0, createdTime: createdTimeOf(body?.data) };
      } catch (error) {
        throw toCallError(error);
      }
    },
    async writeMetadata(mount, path, customMetadata, maxVersions) {
      try {
        await vault.write(`${encodePath(mount)}/metadata/${encodePath(path)}`, {
          custom_metadata: customMetadata,
          ...(maxVersions === undefined ? {} : { max_versions: maxVersions }),
        });
      } catch (error) {
        throw toCallError(error);
      }
    },
    async deleteMetadata(mount, path) {
      try {
        await vault.delete(`${encodePath(mount)}/metadata/${encodePath(path)}`);
      } catch (error) {
        throw toCallError(error);
      }
    },
    async listKeys(mount, directory) {
      try {
        const body = (await vault.list(`${encodePath(mount)}/metadata/${encodePath(directory)}`)) as { data?: { keys?: unknown } };
        const keys = body.data?.keys;
        return Array.isArray(keys) ? keys.filter((key): key is string => typeof key === "string") : [];
      } catch (error) {
        const failure = error as NodeVaultError;
        // Nothing there is a plain 404; one with an error text ("no handler for route") means the mount is missing.
        const errors = (failure.response?.body as { errors?: unknown[] } | undefined)?.errors;
        if (failure.response?.statusCode === 404 && (!errors || errors.length === 0)) return [];
        throw toCallError(error);
      }
    },
  };
}
