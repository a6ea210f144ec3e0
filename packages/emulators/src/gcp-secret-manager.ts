import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import net from "node:net";
import type { AddressInfo } from "node:net";
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";

/** The Secret Manager RPCs the emulator answers; any other is `UNIMPLEMENTED`. */
export type GcpSecretManagerOperation =
  | "CreateSecret"
  | "GetSecret"
  | "ListSecrets"
  | "DeleteSecret"
  | "AddSecretVersion"
  | "AccessSecretVersion"
  | "GetSecretVersion"
  | "ListSecretVersions"
  | "DestroySecretVersion";

const OPERATIONS: readonly GcpSecretManagerOperation[] = [
  "CreateSecret",
  "GetSecret",
  "ListSecrets",
  "DeleteSecret",
  "AddSecretVersion",
  "AccessSecretVersion",
  "GetSecretVersion",
  "ListSecretVersions",
  "DestroySecretVersion",
];

/** Secret Manager's limit on one version's payload, in bytes. */
const MAX_PAYLOAD_BYTES = 65536;
/** The largest page of a List call. */
const MAX_PAGE_SIZE = 25000;

/** Faults the next calls meet; each counter is consumed one call at a time. */
export interface GcpSecretManagerFaults {
  /** The next N calls answer `RESOURCE_EXHAUSTED` (8), the service's throttling. @default 0 */
  throttleNext: number;
  /** The next N calls answer `UNAVAILABLE` (14). @default 0 */
  unavailableNext: number;
  /** The next N calls answer `INTERNAL` (13). @default 0 */
  failNext: number;
  /**
   * The next N calls are carried out, then every client connection is cut before the answer
   * leaves: a lost response, so a retried write is applied twice. @default 0
   */
  dropNext: number;
  /** Milliseconds added before every answer. @default 0 */
  latencyMs: number;
  /** When set, the counters above apply only to calls of these methods. @default every method */
  methods?: GcpSecretManagerOperation[] | undefined;
}

/** A running emulator. */
export interface GcpSecretManagerEmulator {
  /** `127.0.0.1:PORT`: plaintext gRPC, no auth — the store's `emulator_host`. */
  host: string;
  port: number;
  /** Calls received per method, faulted ones included. */
  calls: Record<GcpSecretManagerOperation, number>;
  /** Mutable fault settings. */
  faults: GcpSecretManagerFaults;
  /** The project number the emulator answers with in resource names of `projectId`. */
  projectNumber(projectId: string): string;
  /** Clears secrets, counts and faults (project numbers stay). */
  reset(): void;
  close(): Promise<void>;
}

/** Options of `startGcpSecretManagerEmulator`. */
export interface GcpSecretManagerEmulatorOptions {
  /** @default 0 (any free port) */
  port?: number;
  /**
   * Project ids and their numbers. When set, any other project answers `PERMISSION_DENIED`,
   * as the service does for a project the caller cannot see.
   * @default every project id is accepted and numbered on first use
   */
  projects?: Record<string, number>;
}

interface Timestamp {
  seconds: string;
  nanos: number;
}

type VersionState = "ENABLED" | "DISABLED" | "DESTROYED";

interface StoredVersion {
  number: number;
  state: VersionState;
  data: Buffer | undefined;
  createTime: Timestamp;
  destroyTime?: Timestamp;
  etag: string;
}

interface StoredSecret {
  projectNumber: string;
  secretId: string;
  labels: Record<string, string>;
  replication: Record<string, unknown>;
  createTime: Timestamp;
  etag: string;
  versions: StoredVersion[];
}

type Message = Record<string, unknown>;

class RpcError extends Error {
  constructor(
    readonly code: grpc.status,
    readonly details: string,
  ) {
    super(details);
  }
}

// The service's naming rules, enforced so the store meets the same refusals it would in the cloud.
const SECRET_ID = /^[A-Za-z0-9_-]{1,255}$/;
const LABEL_KEY = /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u;
const LABEL_VALUE = /^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u;
const MAX_LABELS = 64;

function zeroCalls(): Record<GcpSecretManagerOperation, number> {
  return Object.fromEntries(OPERATIONS.map((op) => [op, 0])) as Record<GcpSecretManagerOperation, number>;
}

function noFaults(): GcpSecretManagerFaults {
  return { throttleNext: 0, unavailableNext: 0, failNext: 0, dropNext: 0, latencyMs: 0, methods: undefined };
}

function now(): Timestamp {
  // Microseconds, as the service's timestamps carry.
  const micros = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  return { seconds: String(Math.floor(micros / 1e6)), nanos: (micros % 1e6) * 1000 };
}

function etag(): string {
  return `"${randomUUID().replace(/-/g, "").slice(0, 13)}"`;
}

/**
 * The service definition from the `.proto` files `@google-cloud/secret-manager` ships; their
 * `google/api`, `google/iam` and `google/rpc` imports come from the google-gax that SDK uses.
 */
function loadServiceDefinition(): grpc.ServiceDefinition {
  const require = createRequire(import.meta.url);
  const sdkDir = path.dirname(require.resolve("@google-cloud/secret-manager/package.json"));
  // google-gax exports no package.json; its main is build/src/index.js, its protos build/protos.
  const gaxMain = createRequire(path.join(sdkDir, "package.json")).resolve("google-gax");
  const definition = protoLoader.loadSync("google/cloud/secretmanager/v1/service.proto", {
    includeDirs: [path.join(sdkDir, "build", "protos"), path.resolve(gaxMain, "..", "..", "protos")],
    keepCase: false,
    longs: String,
    enums: String,
    defaults: false,
    oneofs: true,
  });
  const service = definition["google.cloud.secretmanager.v1.SecretManagerService"];
  if (!service || !("RotateSecret" in service)) throw new Error("SecretManagerService is missing from the SDK's protos");
  return service as grpc.ServiceDefinition;
}

/**
 * Starts a local Google Cloud Secret Manager speaking gRPC (plaintext, no auth, like GCP's
 * other `*_EMULATOR_HOST` emulators) for the RPCs zs uses, from the SDK's own `.proto` files.
 * Resource names in answers carry the project *number*, as the service's do; requests may
 * name the project by id or number. Calls are counted per method and faults can be injected;
 * the gRPC server sits behind a TCP relay so a lost response can cut the connection.
 */
export async function startGcpSecretManagerEmulator(
  options: GcpSecretManagerEmulatorOptions = {},
): Promise<GcpSecretManagerEmulator> {
  const secrets = new Map<string, StoredSecret>();
  const calls = zeroCalls();
  const faults = noFaults();
  const projectNumbers = new Map<string, string>(Object.entries(options.projects ?? {}).map(([id, n]) => [id, String(n)]));
  let nextProjectNumber = 100000000001;

  function numberOf(projectId: string): string | undefined {
    if (/^\d+$/.test(projectId)) return [...projectNumbers.values()].includes(projectId) || !options.projects ? projectId : undefined;
    let number = projectNumbers.get(projectId);
    if (number === undefined && !options.projects) {
      number = String(nextProjectNumber++);
      projectNumbers.set(projectId, number);
    }
    return number;
  }

  function project(segment: string, permission: string, resource: string): string {
    const number = numberOf(segment);
    if (number === undefined) {
      throw new RpcError(grpc.status.PERMISSION_DENIED, `Permission '${permission}' denied for resource '${resource}' (or it may not exist).`);
    }
    return number;
  }

  function parseSecretName(name: unknown, permission: string): { projectNumber: string; secretId: string } {
    const text = String(name ?? "");
    const match = /^projects\/([^/]+)\/secrets\/([^/]+)$/.exec(text);
    if (!match) throw new RpcError(grpc.status.INVALID_ARGUMENT, `Invalid resource field value in the request: '${text}'.`);
    return { projectNumber: project(match[1]!, permission, text), secretId: match[2]! };
  }

  function parseVersionName(name: unknown, permission: string): { projectNumber: string; secretId: string; version: string } {
    const text = String(name ?? "");
    const match = /^projects\/([^/]+)\/secrets\/([^/]+)\/versions\/(latest|[1-9]\d*)$/.exec(text);
    if (!match) throw new RpcError(grpc.status.INVALID_ARGUMENT, `Invalid resource field value in the request: '${text}'.`);
    return { projectNumber: project(match[1]!, permission, text), secretId: match[2]!, version: match[3]! };
  }

  const secretPath = (s: { projectNumber: string; secretId: string }) => `projects/${s.projectNumber}/secrets/${s.secretId}`;

  function findSecret(ref: { projectNumber: string; secretId: string }): StoredSecret {
    const secret = secrets.get(secretPath(ref));
    if (!secret) throw new RpcError(grpc.status.NOT_FOUND, `Secret [${secretPath(ref)}] not found.`);
    return secret;
  }

  function findVersion(ref: { projectNumber: string; secretId: string; version: string }): { secret: StoredSecret; version: StoredVersion } {
    const secret = secrets.get(secretPath(ref));
    const version =
      ref.version === "latest" ? secret?.versions[secret.versions.length - 1] : secret?.versions[Number(ref.version) - 1];
    if (!secret || !version) throw new RpcError(grpc.status.NOT_FOUND, `Secret Version [${secretPath(ref)}/versions/${ref.version}] not found.`);
    return { secret, version };
  }

  function secretMessage(secret: StoredSecret): Message {
    return {
      name: secretPath(secret),
      replication: secret.replication,
      createTime: secret.createTime,
      labels: secret.labels,
      etag: secret.etag,
    };
  }

  function versionMessage(secret: StoredSecret, version: StoredVersion): Message {
    return {
      name: `${secretPath(secret)}/versions/${version.number}`,
      createTime: version.createTime,
      ...(version.destroyTime ? { destroyTime: version.destroyTime } : {}),
      state: version.state,
      etag: version.etag,
      clientSpecifiedPayloadChecksum: false,
    };
  }

  function validateLabels(labels: unknown): Record<string, string> {
    const entries = Object.entries((labels ?? {}) as Record<string, string>);
    if (entries.length > MAX_LABELS) throw new RpcError(grpc.status.INVALID_ARGUMENT, `A secret can have at most ${MAX_LABELS} labels.`);
    for (const [key, value] of entries) {
      if (!LABEL_KEY.test(key) || !LABEL_VALUE.test(value)) {
        throw new RpcError(
          grpc.status.INVALID_ARGUMENT,
          `Label '${key}' is invalid: keys must start with a lowercase letter, keys and values may contain only lowercase letters, digits, '_' and '-', at most 63 characters.`,
        );
      }
    }
    return Object.fromEntries(entries);
  }

  /** One page of a List call's answer: `pageSize` items (at most 25000) from the `pageToken` offset on. */
  function page<T>(matching: T[], request: Message, toMessage: (item: T) => Message, field: string): Message {
    const offset = request.pageToken ? Number.parseInt(String(request.pageToken), 10) || 0 : 0;
    const pageSize = Math.min(Number(request.pageSize) || MAX_PAGE_SIZE, MAX_PAGE_SIZE);
    const items = matching.slice(offset, offset + pageSize);
    const nextOffset = offset + items.length;
    return { [field]: items.map(toMessage), nextPageToken: nextOffset < matching.length ? String(nextOffset) : "", totalSize: matching.length };
  }

  const handlers: Record<GcpSecretManagerOperation, (request: Message) => Message> = {
    CreateSecret(request) {
      const parent = String(request.parent ?? "");
      const match = /^projects\/([^/]+)$/.exec(parent);
      if (!match) throw new RpcError(grpc.status.INVALID_ARGUMENT, `Invalid resource field value in the request: '${parent}'.`);
      const projectNumber = project(match[1]!, "secretmanager.secrets.create", parent);
      const secretId = String(request.secretId ?? "");
      if (!SECRET_ID.test(secretId)) {
        throw new RpcError(grpc.status.INVALID_ARGUMENT, "Secret ID must contain only letters, numbers, underscores and hyphens, at most 255 characters.");
      }
      const body = (request.secret ?? {}) as Message;
      const replication = (body.replication ?? {}) as Message;
      if (!replication.automatic && !replication.userManaged) {
        throw new RpcError(grpc.status.INVALID_ARGUMENT, "Secret.replication is required.");
      }
      const labels = validateLabels(body.labels);
      const ref = { projectNumber, secretId };
      if (secrets.has(secretPath(ref))) throw new RpcError(grpc.status.ALREADY_EXISTS, `Secret [${secretPath(ref)}] already exists.`);
      const secret: StoredSecret = { ...ref, labels, replication, createTime: now(), etag: etag(), versions: [] };
      secrets.set(secretPath(ref), secret);
      return secretMessage(secret);
    },
    GetSecret(request) {
      return secretMessage(findSecret(parseSecretName(request.name, "secretmanager.secrets.get")));
    },
    ListSecrets(request) {
      const parent = String(request.parent ?? "");
      const match = /^projects\/([^/]+)$/.exec(parent);
      if (!match) throw new RpcError(grpc.status.INVALID_ARGUMENT, `Invalid resource field value in the request: '${parent}'.`);
      const projectNumber = project(match[1]!, "secretmanager.secrets.list", parent);
      const filter = String(request.filter ?? "").trim();
      if (filter) throw new RpcError(grpc.status.INVALID_ARGUMENT, `The emulator understands no ListSecrets filter, not '${filter}'.`);
      const matching = [...secrets.values()].filter((secret) => secret.projectNumber === projectNumber);
      return page(matching, request, secretMessage, "secrets");
    },
    DeleteSecret(request) {
      const secret = findSecret(parseSecretName(request.name, "secretmanager.secrets.delete"));
      secrets.delete(secretPath(secret));
      return {};
    },
    AddSecretVersion(request) {
      const secret = findSecret(parseSecretName(request.parent, "secretmanager.versions.add"));
      const data = ((request.payload ?? {}) as Message).data;
      const bytes = Buffer.isBuffer(data) ? data : Buffer.alloc(0);
      if (bytes.length > MAX_PAYLOAD_BYTES) {
        throw new RpcError(grpc.status.INVALID_ARGUMENT, `Secret Payload cannot be larger than ${MAX_PAYLOAD_BYTES / 1024}KiB.`);
      }
      const version: StoredVersion = { number: secret.versions.length + 1, state: "ENABLED", data: Buffer.from(bytes), createTime: now(), etag: etag() };
      secret.versions.push(version);
      return versionMessage(secret, version);
    },
    AccessSecretVersion(request) {
      const { secret, version } = findVersion(parseVersionName(request.name, "secretmanager.versions.access"));
      if (version.state !== "ENABLED") {
        throw new RpcError(grpc.status.FAILED_PRECONDITION, `Secret Version [${secretPath(secret)}/versions/${version.number}] is in ${version.state} state.`);
      }
      return { name: `${secretPath(secret)}/versions/${version.number}`, payload: { data: version.data } };
    },
    GetSecretVersion(request) {
      const { secret, version } = findVersion(parseVersionName(request.name, "secretmanager.versions.get"));
      return versionMessage(secret, version);
    },
    ListSecretVersions(request) {
      const secret = findSecret(parseSecretName(request.parent, "secretmanager.versions.list"));
      const filter = String(request.filter ?? "").trim();
      const stateFilter = /^state\s*[:=]\s*(ENABLED|DISABLED|DESTROYED)$/i.exec(filter)?.[1]?.toUpperCase();
      if (filter && !stateFilter) throw new RpcError(grpc.status.INVALID_ARGUMENT, `The emulator understands only state:<STATE> filters, not '${filter}'.`);
      // Newest first, as the service lists them.
      const matching = [...secret.versions].reverse().filter((v) => !stateFilter || v.state === stateFilter);
      return page(matching, request, (v) => versionMessage(secret, v), "versions");
    },
    DestroySecretVersion(request) {
      const ref = parseVersionName(request.name, "secretmanager.versions.destroy");
      const { secret, version } = findVersion(ref);
      if (version.state === "DESTROYED") {
        throw new RpcError(grpc.status.FAILED_PRECONDITION, `Secret Version [${secretPath(secret)}/versions/${version.number}] is already in DESTROYED state.`);
      }
      Object.assign(version, { state: "DESTROYED", data: undefined, destroyTime: now(), etag: etag() });
      return versionMessage(secret, version);
    },
  };

  // The relay in front of the gRPC server: cutting its sockets is a lost connection to the client.
  const sockets = new Set<net.Socket>();
  function dropConnections(): void {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  }

  function takeFault(op: GcpSecretManagerOperation, counter: "throttleNext" | "unavailableNext" | "failNext" | "dropNext"): boolean {
    if (faults[counter] <= 0 || (faults.methods && !faults.methods.includes(op))) return false;
    faults[counter] -= 1;
    return true;
  }

  function unary(op: GcpSecretManagerOperation): grpc.handleUnaryCall<Message, Message> {
    return (call, callback) => {
      void (async () => {
        calls[op] += 1;
        if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
        if (takeFault(op, "throttleNext")) {
          callback({ code: grpc.status.RESOURCE_EXHAUSTED, details: "Quota exceeded for quota metric 'Access requests' and limit 'Access requests per minute per project'." });
          return;
        }
        if (takeFault(op, "unavailableNext")) {
          callback({ code: grpc.status.UNAVAILABLE, details: "The service is currently unavailable." });
          return;
        }
        if (takeFault(op, "failNext")) {
          callback({ code: grpc.status.INTERNAL, details: "Internal error encountered." });
          return;
        }
        let response: Message;
        try {
          response = handlers[op](call.request);
        } catch (error) {
          if (error instanceof RpcError) callback({ code: error.code, details: error.details });
          else callback({ code: grpc.status.INTERNAL, details: String(error) });
          return;
        }
        if (takeFault(op, "dropNext")) {
          dropConnections();
          return;
        }
        callback(null, response);
      })();
    };
  }

  const server = new grpc.Server();
  server.addService(
    loadServiceDefinition(),
    Object.fromEntries(OPERATIONS.map((op) => [op, unary(op)])) as grpc.UntypedServiceImplementation,
  );
  const backendPort = await new Promise<number>((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port)));
  });

  // No Nagle on either leg: HTTP/2's small frames would otherwise wait out delayed ACKs (~40 ms a call).
  const relay = net.createServer({ noDelay: true }, (client) => {
    const upstream = net.connect({ port: backendPort, host: "127.0.0.1", noDelay: true });
    sockets.add(client);
    const closeBoth = () => {
      sockets.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", closeBoth).on("close", closeBoth);
    upstream.on("error", closeBoth).on("close", closeBoth);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    relay.once("error", reject);
    relay.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = relay.address() as AddressInfo;

  return {
    host: `127.0.0.1:${port}`,
    port,
    calls,
    faults,
    projectNumber(projectId) {
      const number = numberOf(projectId);
      if (number === undefined) throw new Error(`The emulator does not know project '${projectId}'.`);
      return number;
    },
    reset() {
      secrets.clear();
      Object.assign(calls, zeroCalls());
      Object.assign(faults, noFaults());
    },
    async close() {
      await new Promise<void>((resolve) => {
        relay.close(() => resolve());
        dropConnections();
      });
      server.forceShutdown();
    },
  };
}
