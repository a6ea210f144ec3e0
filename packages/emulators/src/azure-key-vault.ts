import { randomBytes, randomUUID } from "node:crypto";
import type http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { EntraIdTokenService, type EntraIdCalls, type EntraIdClient, type JsonAnswer } from "./azure-entra-id.js";
import { issueServerCertificate, type PemCertificate } from "./tls-certificate.js";

/** The Key Vault secret operations the emulator answers, named as in the REST API. */
export type AzureKeyVaultOperation =
  | "SetSecret"
  | "GetSecret"
  | "UpdateSecretProperties"
  | "ListSecretVersions"
  | "ListSecrets"
  | "DeleteSecret"
  | "GetDeletedSecret"
  | "PurgeDeletedSecret"
  | "RecoverDeletedSecret";

const OPERATIONS: readonly AzureKeyVaultOperation[] = [
  "SetSecret",
  "GetSecret",
  "UpdateSecretProperties",
  "ListSecretVersions",
  "ListSecrets",
  "DeleteSecret",
  "GetDeletedSecret",
  "PurgeDeletedSecret",
  "RecoverDeletedSecret",
];

/** The resource (audience) Key Vault's challenge names and its tokens must carry. */
const KEY_VAULT_RESOURCE = "https://vault.azure.net";
/** Key Vault's limit on a secret value, in characters. */
const MAX_VALUE_CHARACTERS = 25600;
const MAX_TAGS = 15;
/** Key Vault's limits on a tag's name and value, in characters. */
const MAX_TAG_NAME = 512;
const MAX_TAG_VALUE = 256;
const RECOVERABLE_DAYS = 90;
const NAME_PATTERN = /^[0-9a-zA-Z-]{1,127}$/;
/** Key Vault's largest (and default) page of a list. */
const MAX_LIST_RESULTS = 25;

/** Faults the next calls meet; each counter is consumed one call at a time. Only authenticated calls meet them. */
export interface AzureKeyVaultFaults {
  /** The next N calls answer 429 `Throttled` with a `Retry-After` header. @default 0 */
  throttleNext: number;
  /** `Retry-After` of a throttled answer, in seconds. @default 1 */
  retryAfterSeconds: number;
  /** The next N calls answer 500 `InternalServerError`. @default 0 */
  failNext: number;
  /** The next N calls have their connection destroyed without an answer. @default 0 */
  dropNext: number;
  /** Milliseconds added before every answer. @default 0 */
  latencyMs: number;
  /** When set, the counters above apply only to calls of this operation. @default undefined (every operation) */
  onlyOperation: AzureKeyVaultOperation | undefined;
  /** The next N token requests answer 503 `temporarily_unavailable`. @default 0 */
  tokenFailNext: number;
  /**
   * How long a delete or a purge takes to finish, in ms, as the real service finishes them in
   * the background: meanwhile the deleted secret is not yet listed and its name answers 409
   * `ObjectIsBeingDeleted`. @default 0
   */
  deletionDelayMs: number;
}

/** What the emulator counts besides the vault operations. */
export interface AzureAuthCalls extends EntraIdCalls {
  /** Vault requests without a bearer token, answered with the 401 challenge. */
  challenge: number;
  /** Vault requests whose bearer token is unknown, expired or for another resource. */
  rejectedToken: number;
}

/** A running emulator. */
export interface AzureKeyVaultEmulator {
  /** `https://127.0.0.1:PORT`, the Key Vault client's `vaultUrl`. */
  vaultUrl: string;
  /** The same origin, Entra ID's `authorityHost` for the credential. */
  authorityHost: string;
  /** The only tenant the identity endpoints know; the challenge names it. */
  tenantId: string;
  /** The app registrations whose client credentials get a token. */
  clients: readonly EntraIdClient[];
  /** The certificate a client must trust (`NODE_EXTRA_CA_CERTS`, or a TLS `ca` option). */
  caCertificatePem: string;
  /** Authenticated calls received per operation, faulted ones included. */
  calls: Record<AzureKeyVaultOperation, number>;
  /** Challenges, rejected tokens and identity endpoint calls. */
  authCalls: AzureAuthCalls;
  /** Mutable fault settings. */
  faults: AzureKeyVaultFaults;
  /** Clears secrets, counts and faults; issued tokens stay valid. */
  reset(): void;
  /** Forgets the tokens issued to `clientId` (every token when omitted), as if revoked or expired. */
  revokeTokens(clientId?: string): void;
  close(): Promise<void>;
}

/** Options of `startAzureKeyVaultEmulator`. */
export interface AzureKeyVaultEmulatorOptions {
  /** @default 0 (any free port) */
  port?: number;
  /** The tenant of the identity endpoints. @default a random UUID */
  tenantId?: string;
  /** App registrations accepted by the token endpoint. @default one with a random id and secret */
  clients?: EntraIdClient[];
  /**
   * The CA that issues the server certificate generated at start; without one the
   * certificate is self-signed. Tests that trust one CA for the whole run pass it here.
   */
  certificateAuthority?: PemCertificate;
}

interface SecretVersion {
  version: string;
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  /** `attributes.enabled` as set; a disabled version cannot be read. */
  enabled: boolean;
  created: number;
  /** When its properties were last updated; `created` until then. */
  updated?: number;
}

interface SecretEntry {
  /** The name as first created; lookups ignore case, like the service. */
  name: string;
  versions: SecretVersion[];
  /** Set while the secret is soft-deleted. */
  deleted?: { deletedDate: number; visibleAt: number };
  /** Set once purged: the name stays taken until then. */
  purgedUntil?: number;
}

class KeyVaultError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly innerCode?: string,
  ) {
    super(message);
  }
}

function zeroCalls(): Record<AzureKeyVaultOperation, number> {
  return Object.fromEntries(OPERATIONS.map((op) => [op, 0])) as Record<AzureKeyVaultOperation, number>;
}

function noFaults(): AzureKeyVaultFaults {
  return { throttleNext: 0, retryAfterSeconds: 1, failNext: 0, dropNext: 0, latencyMs: 0, onlyOperation: undefined, tokenFailNext: 0, deletionDelayMs: 0 };
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/** Which operation a request is, and on which secret; `undefined` for a path Key Vault does not have. */
function route(method: string, pathname: string): { op: AzureKeyVaultOperation; name: string; version?: string } | undefined {
  const parts = pathname.split("/").slice(1).map(decodeURIComponent);
  const [collection, name = "", third, fourth] = parts;
  if (collection === "secrets" && !name && third === undefined && method === "GET") return { op: "ListSecrets", name: "" };
  if (!name) return undefined;
  if (collection === "secrets") {
    if (method === "PUT" && third === undefined) return { op: "SetSecret", name };
    if (method === "DELETE" && third === undefined) return { op: "DeleteSecret", name };
    if (method === "GET" && third === "versions" && fourth === undefined) return { op: "ListSecretVersions", name };
    // The SDK patches the latest version as `/secrets/{name}/` (an empty version).
    if (method === "PATCH" && third !== undefined && fourth === undefined) return { op: "UpdateSecretProperties", name, ...(third ? { version: third } : {}) };
    // The SDK asks for the latest version as `/secrets/{name}/` (an empty version).
    if (method === "GET" && fourth === undefined) return { op: "GetSecret", name, ...(third ? { version: third } : {}) };
  }
  if (collection === "deletedsecrets") {
    if (method === "GET" && third === undefined) return { op: "GetDeletedSecret", name };
    if (method === "DELETE" && third === undefined) return { op: "PurgeDeletedSecret", name };
    if (method === "POST" && third === "recover" && fourth === undefined) return { op: "RecoverDeletedSecret", name };
  }
  return undefined;
}

/**
 * Starts a local Azure Key Vault (secrets) with its Entra ID token endpoints, over HTTPS
 * with a certificate generated at start for `127.0.0.1` and `localhost`. It speaks the REST
 * API the real SDK uses: the bearer challenge on an unauthenticated request, a token checked
 * on every call, soft-delete with purge and recovery, case-insensitive names, Key Vault's
 * JSON error shape, listing in pages linked by `nextLink`, 429 with `Retry-After`, call
 * counts and fault injection.
 */
export async function startAzureKeyVaultEmulator(options: AzureKeyVaultEmulatorOptions = {}): Promise<AzureKeyVaultEmulator> {
  const tenantId = options.tenantId ?? randomUUID();
  const clients = options.clients ?? [{ clientId: randomUUID(), clientSecret: randomBytes(24).toString("base64url") }];
  const certificate = await issueServerCertificate(options.certificateAuthority);
  const secrets = new Map<string, SecretEntry>();
  const calls = zeroCalls();
  const authCalls = { challenge: 0, rejectedToken: 0 };
  const faults = noFaults();
  let origin = "";
  let identity: EntraIdTokenService | undefined;

  const notFound = (name: string) =>
    new KeyVaultError(404, "SecretNotFound", `A secret with (name/id) ${name} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`);
  const deletedNotFound = (name: string) => new KeyVaultError(404, "SecretNotFound", `Deleted Secret not found: ${name}`);
  const beingDeleted = (name: string) => new KeyVaultError(409, "Conflict", `Secret ${name} is currently being deleted.`, "ObjectIsBeingDeleted");

  /** The entry under `name`, after letting finished purges free their names. */
  function entryOf(name: string): SecretEntry | undefined {
    const key = name.toLowerCase();
    const entry = secrets.get(key);
    if (entry?.purgedUntil !== undefined && entry.purgedUntil <= Date.now()) {
      secrets.delete(key);
      return undefined;
    }
    return entry;
  }

  function state(entry: SecretEntry | undefined): "absent" | "active" | "deleting" | "deleted" | "purging" {
    if (!entry) return "absent";
    if (entry.purgedUntil !== undefined) return "purging";
    if (!entry.deleted) return "active";
    return entry.deleted.visibleAt > Date.now() ? "deleting" : "deleted";
  }

  function attributes(enabled: boolean, created: number, updated: number) {
    return { enabled, created: seconds(created), updated: seconds(updated), recoveryLevel: "Recoverable+Purgeable", recoverableDays: RECOVERABLE_DAYS };
  }

  function bundle(entry: SecretEntry, version: SecretVersion, withValue: boolean): Record<string, unknown> {
    const first = entry.versions[0] ?? version;
    return {
      ...(withValue ? { value: version.value } : {}),
      id: `${origin}/secrets/${entry.name}/${version.version}`,
      ...(version.contentType !== undefined ? { contentType: version.contentType } : {}),
      attributes: attributes(version.enabled, first.created, version.updated ?? version.created),
      ...(version.tags ? { tags: version.tags } : {}),
    };
  }

  function deletedBundle(entry: SecretEntry, version: SecretVersion): Record<string, unknown> {
    const deletedDate = entry.deleted?.deletedDate ?? Date.now();
    return {
      recoveryId: `${origin}/deletedsecrets/${entry.name}`,
      deletedDate: seconds(deletedDate),
      scheduledPurgeDate: seconds(deletedDate + RECOVERABLE_DAYS * 86400_000),
      ...bundle(entry, version, false),
    };
  }

  function latest(entry: SecretEntry): SecretVersion {
    const version = entry.versions.at(-1);
    if (!version) throw new KeyVaultError(500, "InternalServerError", "A secret without versions.");
    return version;
  }

  /** Refuses tags Key Vault refuses: not a map of strings, more than 15, a name over 512 or a value over 256 characters. */
  function validateTags(tags: unknown): void {
    if (tags === undefined) return;
    if (typeof tags !== "object" || tags === null || Object.values(tags).some((v) => typeof v !== "string")) {
      throw new KeyVaultError(400, "BadParameter", "Property 'tags' must map names to strings.");
    }
    const entries = Object.entries(tags as Record<string, string>);
    if (entries.length > MAX_TAGS) throw new KeyVaultError(400, "BadParameter", `A secret can have at most ${MAX_TAGS} tags.`);
    for (const [key, value] of entries) {
      if (key.length > MAX_TAG_NAME || value.length > MAX_TAG_VALUE) {
        throw new KeyVaultError(400, "BadParameter", `Tag names may have at most ${MAX_TAG_NAME} characters and tag values at most ${MAX_TAG_VALUE}.`);
      }
    }
  }

  /**
   * UpdateSecretProperties: `attributes.enabled`, `contentType` and `tags` of one version (the
   * latest when none is named); never the value. A disabled version refuses reads until enabled again.
   */
  function updateSecretProperties(entry: SecretEntry, version: string | undefined, body: Record<string, unknown>): Record<string, unknown> {
    const found = version ? entry.versions.find((v) => v.version === version) : latest(entry);
    if (!found) throw notFound(`${entry.name}/${version}`);
    validateTags(body.tags);
    const enabled = (body.attributes as { enabled?: unknown } | undefined)?.enabled;
    if (enabled !== undefined && typeof enabled !== "boolean") throw new KeyVaultError(400, "BadParameter", "Property 'attributes.enabled' must be a boolean.");
    if (typeof enabled === "boolean") found.enabled = enabled;
    if (typeof body.contentType === "string") found.contentType = body.contentType;
    if (body.tags !== undefined) found.tags = body.tags as Record<string, string>;
    found.updated = Date.now();
    return bundle(entry, found, false);
  }

  /** GetSecretVersions: every version's properties (no values), disabled ones included, in pages of `maxresults`. */
  function listSecretVersions(entry: SecretEntry, query: URLSearchParams): JsonAnswer {
    const maxResults = Number(query.get("maxresults") ?? MAX_LIST_RESULTS);
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_LIST_RESULTS) {
      throw new KeyVaultError(400, "BadParameter", `maxresults must be between 1 and ${MAX_LIST_RESULTS}.`);
    }
    const skip = query.get("$skiptoken");
    const offset = skip === null ? 0 : Number(/^offset:(\d+)$/.exec(Buffer.from(skip, "base64url").toString("utf8"))?.[1] ?? NaN);
    if (!Number.isInteger(offset)) throw new KeyVaultError(400, "BadParameter", "The $skiptoken is invalid.");
    const page = entry.versions.slice(offset, offset + maxResults);
    const next = offset + page.length;
    const nextLink =
      next < entry.versions.length
        ? `${origin}/secrets/${entry.name}/versions?api-version=${query.get("api-version")}&$skiptoken=${Buffer.from(`offset:${next}`).toString("base64url")}&maxresults=${maxResults}`
        : null;
    return { status: 200, body: { value: page.map((version) => bundle(entry, version, false)), nextLink } };
  }

  function setSecret(name: string, body: Record<string, unknown>): Record<string, unknown> {
    if (typeof body.value !== "string") throw new KeyVaultError(400, "BadParameter", "Property 'value' is required and must be a string.");
    if (body.value.length > MAX_VALUE_CHARACTERS) {
      throw new KeyVaultError(400, "BadParameter", `Secret value is beyond the maximum permitted length of ${MAX_VALUE_CHARACTERS} characters.`);
    }
    const tags = body.tags as Record<string, unknown> | undefined;
    validateTags(body.tags);
    const existing = entryOf(name);
    switch (state(existing)) {
      case "deleting":
      case "purging":
        throw beingDeleted(existing?.name ?? name);
      case "deleted":
        throw new KeyVaultError(
          409,
          "Conflict",
          `Secret ${existing?.name ?? name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`,
          "ObjectIsDeletedButRecoverable",
        );
    }
    const entry = existing ?? { name, versions: [] };
    secrets.set(name.toLowerCase(), entry);
    const version: SecretVersion = {
      version: randomBytes(16).toString("hex"),
      value: body.value,
      ...(typeof body.contentType === "string" ? { contentType: body.contentType } : {}),
      ...(tags ? { tags: tags as Record<string, string> } : {}),
      enabled: (body.attributes as { enabled?: unknown } | undefined)?.enabled !== false,
      created: Date.now(),
    };
    entry.versions.push(version);
    return bundle(entry, version, true);
  }

  /**
   * GetSecrets: the active secrets (no values), oldest first, `maxresults` a page, each page
   * but the last with a `nextLink` the client follows as it is.
   */
  function listSecrets(query: URLSearchParams): JsonAnswer {
    const maxResults = Number(query.get("maxresults") ?? MAX_LIST_RESULTS);
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_LIST_RESULTS) {
      throw new KeyVaultError(400, "BadParameter", `maxresults must be between 1 and ${MAX_LIST_RESULTS}.`);
    }
    const skip = query.get("$skiptoken");
    const offset = skip === null ? 0 : Number(/^offset:(\d+)$/.exec(Buffer.from(skip, "base64url").toString("utf8"))?.[1] ?? NaN);
    if (!Number.isInteger(offset)) throw new KeyVaultError(400, "BadParameter", "The $skiptoken is invalid.");
    const active = [...secrets.values()].filter((entry) => state(entryOf(entry.name)) === "active");
    const page = active.slice(offset, offset + maxResults);
    const next = offset + page.length;
    const nextLink =
      next < active.length
        ? `${origin}/secrets?api-version=${query.get("api-version")}&$skiptoken=${Buffer.from(`offset:${next}`).toString("base64url")}&maxresults=${maxResults}`
        : null;
    const item = (entry: SecretEntry) => {
      const { id: _versionedId, ...rest } = bundle(entry, latest(entry), false);
      return { id: `${origin}/secrets/${entry.name}`, ...rest };
    };
    return { status: 200, body: { value: page.map(item), nextLink } };
  }

  function handle(op: AzureKeyVaultOperation, name: string, version: string | undefined, body: Record<string, unknown>, query: URLSearchParams): JsonAnswer {
    if (op === "SetSecret") return { status: 200, body: setSecret(name, body) };
    if (op === "ListSecrets") return listSecrets(query);
    const entry = entryOf(name);
    const current = state(entry);
    switch (op) {
      case "GetSecret": {
        if (current !== "active" || !entry) throw notFound(name);
        const found = version ? entry.versions.find((v) => v.version === version) : latest(entry);
        if (!found) throw notFound(`${name}/${version}`);
        if (!found.enabled) throw new KeyVaultError(403, "Forbidden", "Operation get is not allowed on a disabled secret.", "SecretDisabled");
        return { status: 200, body: bundle(entry, found, true) };
      }
      case "UpdateSecretProperties":
        if (current !== "active" || !entry) throw notFound(name);
        return { status: 200, body: updateSecretProperties(entry, version, body) };
      case "ListSecretVersions":
        if (current !== "active" || !entry) throw notFound(name);
        return listSecretVersions(entry, query);
      case "DeleteSecret": {
        if (current !== "active" || !entry) throw notFound(name);
        const now = Date.now();
        entry.deleted = { deletedDate: now, visibleAt: now + faults.deletionDelayMs };
        return { status: 200, body: deletedBundle(entry, latest(entry)) };
      }
      case "GetDeletedSecret":
        if (current !== "deleted" || !entry) throw deletedNotFound(name);
        return { status: 200, body: deletedBundle(entry, latest(entry)) };
      case "PurgeDeletedSecret":
        if (current === "deleting" || current === "purging") throw beingDeleted(entry?.name ?? name);
        if (current !== "deleted" || !entry) throw deletedNotFound(name);
        entry.purgedUntil = Date.now() + faults.deletionDelayMs;
        if (faults.deletionDelayMs === 0) secrets.delete(name.toLowerCase());
        return { status: 204, body: undefined };
      case "RecoverDeletedSecret": {
        if (current === "deleting" || current === "purging") throw beingDeleted(entry?.name ?? name);
        if (current !== "deleted" || !entry) throw deletedNotFound(name);
        delete entry.deleted;
        return { status: 200, body: bundle(entry, latest(entry), false) };
      }
    }
    throw new KeyVaultError(400, "BadParameter", `Unsupported operation ${op}.`);
  }

  function send(res: http.ServerResponse, answer: JsonAnswer): void {
    const text = answer.body === undefined ? "" : JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      ...(text ? { "content-type": "application/json; charset=utf-8" } : {}),
      "content-length": Buffer.byteLength(text),
      "cache-control": "no-cache",
      "x-ms-request-id": randomUUID(),
      "x-ms-keyvault-service-version": "1.9.0.0-emulator",
      ...answer.headers,
    });
    res.end(text);
  }

  function vaultError(error: KeyVaultError, headers?: Record<string, string>): JsonAnswer {
    return {
      status: error.status,
      ...(headers ? { headers } : {}),
      body: { error: { code: error.code, message: error.message, ...(error.innerCode ? { innererror: { code: error.innerCode } } : {}) } },
    };
  }

  function challenge(message: string): JsonAnswer {
    return vaultError(new KeyVaultError(401, "Unauthorized", message), {
      "www-authenticate": `Bearer authorization="${origin}/${tenantId}", resource="${KEY_VAULT_RESOURCE}"`,
    });
  }

  async function respond(req: http.IncomingMessage, res: http.ServerResponse, rawBody: string): Promise<void> {
    const url = new URL(req.url ?? "/", origin);
    const method = req.method ?? "GET";
    const identityAnswer = identity?.handle(method, url.pathname, rawBody);
    if (identityAnswer) {
      send(res, identityAnswer);
      return;
    }
    const target = route(method, url.pathname);
    if (!target) {
      send(res, vaultError(new KeyVaultError(404, "NotFound", `No Key Vault operation answers ${method} ${url.pathname}.`)));
      return;
    }
    // The SDK's first request carries no token (and no body): it expects this challenge.
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (!bearer) {
      authCalls.challenge += 1;
      send(res, challenge("AKV10000: Request is missing a Bearer or PoP token."));
      return;
    }
    if (!identity?.isValid(bearer, KEY_VAULT_RESOURCE)) {
      authCalls.rejectedToken += 1;
      send(res, challenge(`AKV10022: Invalid token: not issued by tenant ${tenantId} for ${KEY_VAULT_RESOURCE}, or expired.`));
      return;
    }
    calls[target.op] += 1;
    if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
    const faulted = faults.onlyOperation === undefined || faults.onlyOperation === target.op;
    if (faulted && faults.dropNext > 0) {
      faults.dropNext -= 1;
      req.socket.destroy();
      return;
    }
    if (faulted && faults.throttleNext > 0) {
      faults.throttleNext -= 1;
      const retryAfter = String(faults.retryAfterSeconds);
      send(res, vaultError(new KeyVaultError(429, "Throttled", "Operations per second is over the vault's limit; retry after the time in Retry-After."), { "retry-after": retryAfter }));
      return;
    }
    if (faulted && faults.failNext > 0) {
      faults.failNext -= 1;
      send(res, vaultError(new KeyVaultError(500, "InternalServerError", "The service encountered an internal error. Please try again.")));
      return;
    }
    try {
      if (!url.searchParams.get("api-version")) throw new KeyVaultError(400, "BadParameter", "The 'api-version' query parameter is missing.");
      if (target.op !== "ListSecrets" && !NAME_PATTERN.test(target.name)) {
        throw new KeyVaultError(400, "BadParameter", "The request URI contains an invalid name: secret names are 1-127 characters of letters, digits and dashes.");
      }
      let body: Record<string, unknown> = {};
      if (rawBody) {
        try {
          body = JSON.parse(rawBody) as Record<string, unknown>;
        } catch {
          throw new KeyVaultError(400, "BadParameter", "The request body is not valid JSON.");
        }
      }
      send(res, handle(target.op, target.name, target.version, body, url.searchParams));
    } catch (error) {
      send(res, vaultError(error instanceof KeyVaultError ? error : new KeyVaultError(500, "InternalServerError", String(error))));
    }
  }

  const server = https.createServer({ key: certificate.privateKeyPem, cert: certificate.certificatePem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      respond(req, res, Buffer.concat(chunks).toString("utf8")).catch((error: unknown) => {
        // A request the emulator cannot even parse (a malformed %-escape, say) still gets an answer.
        if (!res.headersSent) send(res, vaultError(new KeyVaultError(400, "BadParameter", String(error))));
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  identity = new EntraIdTokenService(origin, tenantId, clients, () => {
    if (faults.tokenFailNext <= 0) return false;
    faults.tokenFailNext -= 1;
    return true;
  });
  const tokenService = identity;

  return {
    vaultUrl: origin,
    authorityHost: origin,
    tenantId,
    clients,
    caCertificatePem: certificate.caCertificatePem,
    calls,
    authCalls: {
      get challenge() {
        return authCalls.challenge;
      },
      get rejectedToken() {
        return authCalls.rejectedToken;
      },
      get openIdConfiguration() {
        return tokenService.calls.openIdConfiguration;
      },
      get token() {
        return tokenService.calls.token;
      },
    },
    faults,
    reset() {
      secrets.clear();
      Object.assign(calls, zeroCalls());
      Object.assign(authCalls, { challenge: 0, rejectedToken: 0 });
      tokenService.resetCalls();
      Object.assign(faults, noFaults());
    },
    revokeTokens(clientId) {
      tokenService.revokeTokens(clientId);
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
