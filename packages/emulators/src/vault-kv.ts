import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** The KV v2 operations the emulator answers, as counted in `calls`. */
export type VaultKvOperation =
  | "readData"
  | "writeData"
  | "deleteData"
  | "readMetadata"
  | "listMetadata"
  | "writeMetadata"
  | "deleteMetadata"
  | "health"
  | "other";

/** Options of `startVaultEmulator`. */
export interface VaultEmulatorOptions {
  /** Port to listen on (127.0.0.1). @default 0, a free port */
  port?: number;
  /** The one token the emulator accepts in `X-Vault-Token`. @default a random UUID */
  token?: string;
  /** KV v2 mounts that exist; any other mount answers "no handler for route". @default ["secret"] */
  mounts?: string[];
  /**
   * The mounts' own `max_versions` (`<mount>/config`): a key keeps the larger of it and its
   * metadata's `max_versions`, or 10 when both are 0, as Vault does. @default 0
   */
  mountMaxVersions?: number;
}

/** Faults applied to the next requests (after the token check), in this order: drop, fail, latency. */
export interface VaultEmulatorFaults {
  /**
   * The next `count` requests answer `status` (503 by default) with a Vault error body; with
   * `operation`, only requests of that operation fail (and count down).
   */
  failNext(count: number, status?: number, operation?: VaultKvOperation): void;
  /** The next `count` requests have their connection destroyed without an answer. */
  dropNext(count: number): void;
  /** Every request waits this long before it is handled; 0 turns it off. */
  setLatency(ms: number): void;
}

/** A running emulator. */
export interface VaultEmulator {
  /** `http://127.0.0.1:PORT`, what a client takes as `VAULT_ADDR`. */
  address: string;
  token: string;
  /** Requests received per operation, faulted ones included (the client made the call). */
  calls: Record<VaultKvOperation, number>;
  faults: VaultEmulatorFaults;
  /** Forgets every secret, count and pending fault. */
  reset(): void;
  close(): Promise<void>;
}

interface StoredVersion {
  data: Record<string, unknown>;
  createdTime: string;
  deletionTime: string;
}

/** A key's metadata: its versions and custom metadata. A metadata write alone creates it with no versions, as in Vault. */
interface StoredSecret {
  currentVersion: number;
  /** Versions below it were removed by `max_versions`. */
  oldestVersion: number;
  /** The key's `max_versions`; 0 defers to the mount's. */
  maxVersions: number;
  versions: Map<number, StoredVersion>;
  /** `null` until a metadata write sets it (Vault answers a nil map as `null`). */
  customMetadata: Record<string, string> | null;
}

const OPERATIONS: VaultKvOperation[] = ["readData", "writeData", "deleteData", "readMetadata", "listMetadata", "writeMetadata", "deleteMetadata", "health", "other"];

/** Vault's limits on `custom_metadata` (vault-plugin-secrets-kv, path_metadata.go). */
const MAX_CUSTOM_METADATA_KEYS = 64;
const MAX_CUSTOM_METADATA_KEY_LENGTH = 128;
const MAX_CUSTOM_METADATA_VALUE_LENGTH = 512;
const CUSTOM_METADATA_ERROR = "custom_metadata validation failed";
/** Versions a key keeps when neither its metadata nor its mount sets `max_versions`. */
const DEFAULT_MAX_VERSIONS = 10;

/** A timestamp as Vault writes them: RFC 3339 with nanoseconds (the emulator's clock gives microseconds). */
function vaultTime(): string {
  const micros = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  const iso = new Date(Math.floor(micros / 1000)).toISOString();
  return `${iso.slice(0, 19)}.${String(micros % 1_000_000).padStart(6, "0")}000Z`;
}

function emptySecret(): StoredSecret {
  return { currentVersion: 0, oldestVersion: 0, maxVersions: 0, versions: new Map(), customMetadata: null };
}

function zeroCalls(): Record<VaultKvOperation, number> {
  return Object.fromEntries(OPERATIONS.map((operation) => [operation, 0])) as Record<VaultKvOperation, number>;
}

function sendJson(response: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    response.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) }).end(text);
}

/** The parsed JSON body (an empty body is `{}`), or `undefined` when it is not JSON. */
async function readJsonBody<T>(request: IncomingMessage): Promise<T | undefined> {
  try {
    return JSON.parse((await readBody(request)) || "{}") as T;
  } catch {
    return undefined;
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/** A version's metadata as the data routes answer it: the key's custom metadata comes with it. */
function versionMetadata(version: number, stored: StoredVersion, customMetadata: Record<string, string> | null): Record<string, unknown> {
  return {
    created_time: stored.createdTime,
    custom_metadata: customMetadata,
    deletion_time: stored.deletionTime,
    destroyed: false,
    version,
  };
}

/**
 * `custom_metadata` as Vault stores it (a map of strings, scalars converted), or the error
 * message Vault answers: at most 64 keys, keys of 1 to 128 and values of 1 to 512 characters,
 * all printable.
 */
function parseCustomMetadata(raw: unknown): Record<string, string> | string {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return `${CUSTOM_METADATA_ERROR}: expected a map`;
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > MAX_CUSTOM_METADATA_KEYS) {
    return `${CUSTOM_METADATA_ERROR}: payload must contain at most ${MAX_CUSTOM_METADATA_KEYS} keys, provided ${entries.length}`;
  }
  const parsed: Record<string, string> = {};
  const printable = (text: string) => !/[\p{Cc}\p{Cf}]/u.test(text);
  for (const [key, value] of entries) {
    if (typeof value === "object" && value !== null) return `${CUSTOM_METADATA_ERROR}: value for key "${key}" is not a string`;
    const text = value === null ? "" : String(value);
    if (key.length === 0 || key.length > MAX_CUSTOM_METADATA_KEY_LENGTH || !printable(key)) {
      return `${CUSTOM_METADATA_ERROR}: key "${key}" must be 1 to ${MAX_CUSTOM_METADATA_KEY_LENGTH} printable characters`;
    }
    if (text.length === 0 || text.length > MAX_CUSTOM_METADATA_VALUE_LENGTH || !printable(text)) {
      return `${CUSTOM_METADATA_ERROR}: value for key "${key}" must be 1 to ${MAX_CUSTOM_METADATA_VALUE_LENGTH} printable characters`;
    }
    parsed[key] = text;
  }
  return parsed;
}

/** Vault's envelope around a response's `data`. */
function envelope(data: unknown): Record<string, unknown> {
  return { request_id: randomUUID(), lease_id: "", renewable: false, lease_duration: 0, data, wrap_info: null, warnings: null, auth: null };
}

/**
 * Starts a local server speaking HashiCorp Vault's KV v2 HTTP API, enough for `@zs/store-vault`:
 * token check, read / check-and-set write / soft delete of `/v1/<mount>/data/<path>` (reads
 * carry the key's `custom_metadata`; `?version=N` reads an earlier one), read, list
 * (`GET …?list=true`), write (`custom_metadata`, `max_versions`) and delete-all-versions of
 * `/v1/<mount>/metadata/<path>`, and `/v1/sys/health`; with call counts and fault injection.
 * A write removes the versions beyond the key's `max_versions` (or the mount's, whichever is
 * larger; 10 when neither is set), as Vault does: reads of them are a plain 404.
 */
export async function startVaultEmulator(options: VaultEmulatorOptions = {}): Promise<VaultEmulator> {
  const token = options.token ?? randomUUID();
  const mounts = new Set(options.mounts ?? ["secret"]);
  const secrets = new Map<string, StoredSecret>();
  let calls = zeroCalls();
  let failCount = 0;
  let failStatus = 503;
  let failOperation: VaultKvOperation | undefined;
  let dropCount = 0;
  let latencyMs = 0;

  /** The keys right under `dir` (`""` or ending in `/`) of a mount: names, and sub-directories ending in `/`, sorted. */
  function keysUnder(mount: string, dir: string): string[] {
    const keys = new Set<string>();
    for (const key of secrets.keys()) {
      const path = key.slice(mount.length + 1);
      if (!key.startsWith(`${mount}/`) || !path.startsWith(dir)) continue;
      const rest = path.slice(dir.length);
      const slash = rest.indexOf("/");
      keys.add(slash === -1 ? rest : rest.slice(0, slash + 1));
    }
    return [...keys].sort();
  }

  function classify(method: string, segments: string[], listing: boolean): VaultKvOperation {
    if (segments[0] === "sys" && segments[1] === "health") return "health";
    const kind = segments[1];
    if (kind === "data") {
      if (method === "GET") return "readData";
      if (method === "POST" || method === "PUT") return "writeData";
      if (method === "DELETE") return "deleteData";
    }
    if (kind === "metadata") {
      // Node's HTTP parser knows no LIST method: clients send GET with list=true, as Vault also accepts.
      if (method === "GET" && listing) return "listMetadata";
      if (method === "GET") return "readMetadata";
      if (method === "POST" || method === "PUT") return "writeMetadata";
      if (method === "DELETE") return "deleteMetadata";
    }
    return "other";
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const method = request.method ?? "GET";
    if (!url.pathname.startsWith("/v1/")) return sendJson(response, 404, { errors: [] });
    const segments = url.pathname.slice("/v1/".length).split("/").map(decodeURIComponent);
    const listing = ["true", "1"].includes(url.searchParams.get("list") ?? "");
    const operation = classify(method, segments, listing);
    calls[operation] += 1;

    if (operation === "health") {
      return sendJson(response, 200, { initialized: true, sealed: false, standby: false, version: "1.17.0-zs-emulator" });
    }
    if (request.headers["x-vault-token"] !== token) return sendJson(response, 403, { errors: ["permission denied"] });

    if (dropCount > 0) {
      dropCount -= 1;
      request.socket.destroy();
      return;
    }
    if (failCount > 0 && (failOperation === undefined || failOperation === operation)) {
      failCount -= 1;
      return sendJson(response, failStatus, { errors: [failStatus === 503 ? "Vault is sealed" : "internal error"] });
    }
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));

    const [mount, kind, ...rest] = segments;
    const path = rest.join("/");
    if (!mount || !mounts.has(mount) || (kind !== "data" && kind !== "metadata") || (path === "" && operation !== "listMetadata")) {
      return sendJson(response, 404, { errors: [`no handler for route "${segments.join("/")}". route entry not found.`] });
    }
    const key = `${mount}/${path}`;
    const stored = secrets.get(key);

    switch (operation) {
      case "readData": {
        const requested = Number(url.searchParams.get("version") ?? 0) || stored?.currentVersion || 0;
        const version = stored?.versions.get(requested);
        if (!stored || !version) return sendJson(response, 404, { errors: [] });
        // Vault answers a soft-deleted version with 404 and its metadata, but no data.
        const metadata = versionMetadata(requested, version, stored.customMetadata);
        if (version.deletionTime !== "") return sendJson(response, 404, envelope({ data: null, metadata }));
        return sendJson(response, 200, envelope({ data: version.data, metadata }));
      }
      case "writeData": {
        const body = await readJsonBody<{ data?: unknown; options?: { cas?: unknown } }>(request);
        if (body === undefined) return sendJson(response, 400, { errors: ["failed to parse JSON input"] });
        if (typeof body.data !== "object" || body.data === null || Array.isArray(body.data)) {
          return sendJson(response, 400, { errors: ["no data provided"] });
        }
        const currentVersion = stored?.currentVersion ?? 0;
        const cas = body.options?.cas;
        if (cas !== undefined && Number(cas) !== currentVersion) {
          return sendJson(response, 400, { errors: ["check-and-set parameter did not match the current version"] });
        }
        const next: StoredSecret = stored ?? emptySecret();
        next.currentVersion += 1;
        const version: StoredVersion = { data: body.data as Record<string, unknown>, createdTime: vaultTime(), deletionTime: "" };
        next.versions.set(next.currentVersion, version);
        // Vault's sliding window (KeyMetadata.AddVersion): the larger of the key's and the mount's max_versions.
        const maxVersions = Math.max(next.maxVersions, options.mountMaxVersions ?? 0) || DEFAULT_MAX_VERSIONS;
        if (next.currentVersion - next.oldestVersion >= maxVersions) {
          const newestRemoved = next.currentVersion - maxVersions;
          for (let old = next.oldestVersion; old <= newestRemoved; old++) next.versions.delete(old);
          next.oldestVersion = newestRemoved + 1;
        }
        secrets.set(key, next);
        return sendJson(response, 200, envelope(versionMetadata(next.currentVersion, version, next.customMetadata)));
      }
      case "deleteData": {
        const version = stored?.versions.get(stored.currentVersion);
        if (version && version.deletionTime === "") version.deletionTime = new Date().toISOString();
        return sendJson(response, 204);
      }
      case "readMetadata": {
        if (!stored) return sendJson(response, 404, { errors: [] });
        const versions = Object.fromEntries(
          [...stored.versions].map(([number, version]) => [String(number), { created_time: version.createdTime, deletion_time: version.deletionTime, destroyed: false }]),
        );
        return sendJson(
          response,
          200,
          envelope({
            current_version: stored.currentVersion,
            oldest_version: stored.oldestVersion,
            max_versions: stored.maxVersions,
            versions,
            custom_metadata: stored.customMetadata,
          }),
        );
      }
      case "writeMetadata": {
        const body = await readJsonBody<{ custom_metadata?: unknown; max_versions?: unknown }>(request);
        if (body === undefined) return sendJson(response, 400, { errors: ["failed to parse JSON input"] });
        // Like Vault: each field left out stays as it was; custom_metadata given replaces the map
        // whole; a key without versions gets metadata all the same (and reads of its data stay 404).
        // A lower max_versions removes nothing now: the next data write does.
        if (body.custom_metadata === undefined && body.max_versions === undefined) return sendJson(response, 204);
        const customMetadata = body.custom_metadata === undefined ? undefined : parseCustomMetadata(body.custom_metadata);
        if (typeof customMetadata === "string") return sendJson(response, 400, { errors: [customMetadata] });
        const maxVersions = body.max_versions === undefined ? undefined : Number(body.max_versions);
        if (maxVersions !== undefined && (!Number.isInteger(maxVersions) || maxVersions < 0)) {
          return sendJson(response, 400, { errors: ["max_versions must be a non-negative integer"] });
        }
        const next: StoredSecret = stored ?? emptySecret();
        if (customMetadata !== undefined) next.customMetadata = customMetadata;
        if (maxVersions !== undefined) next.maxVersions = maxVersions;
        secrets.set(key, next);
        return sendJson(response, 204);
      }
      case "listMetadata": {
        const dir = path === "" || path.endsWith("/") ? path : `${path}/`;
        const keys = keysUnder(mount, dir);
        if (keys.length === 0) return sendJson(response, 404, { errors: [] });
        return sendJson(response, 200, envelope({ keys }));
      }
      case "deleteMetadata": {
        // Vault answers 204 whether or not the path existed.
        secrets.delete(key);
        return sendJson(response, 204);
      }
      default:
        return sendJson(response, 405, { errors: ["unsupported operation"] });
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { errors: [(error as Error).message] });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const emulator: VaultEmulator = {
    address: `http://127.0.0.1:${port}`,
    token,
    get calls() {
      return calls;
    },
    faults: {
      failNext(count, status = 503, operation) {
        failCount = count;
        failStatus = status;
        failOperation = operation;
      },
      dropNext(count) {
        dropCount = count;
      },
      setLatency(ms) {
        latencyMs = ms;
      },
    },
    reset() {
      secrets.clear();
      calls = zeroCalls();
      failCount = 0;
      failOperation = undefined;
      dropCount = 0;
      latencyMs = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return emulator;
}
