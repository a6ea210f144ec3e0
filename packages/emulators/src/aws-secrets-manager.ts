import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** The Secrets Manager operations the emulator answers. */
export type AwsSecretsManagerOperation =
  | "CreateSecret"
  | "PutSecretValue"
  | "GetSecretValue"
  | "DescribeSecret"
  | "DeleteSecret"
  | "ListSecrets";

const OPERATIONS: readonly AwsSecretsManagerOperation[] = [
  "CreateSecret",
  "PutSecretValue",
  "GetSecretValue",
  "DescribeSecret",
  "DeleteSecret",
  "ListSecrets",
];

/** Secrets Manager's limit on SecretString and SecretBinary, in bytes. */
const MAX_SECRET_BYTES = 65536;
/** Secrets Manager's largest (and default) ListSecrets page. */
const MAX_LIST_RESULTS = 100;
/** The ListSecrets filter keys the emulator understands (the service's are prefix matches, case-sensitive). */
const LIST_FILTER_KEYS = ["name", "tag-key"] as const;

/** Faults the next calls meet; each counter is consumed one call at a time. */
export interface AwsSecretsManagerFaults {
  /** The next N calls answer 400 `ThrottlingException`. @default 0 */
  throttleNext: number;
  /** The next N calls answer 500 `InternalServiceError`. @default 0 */
  failNext: number;
  /** The next N calls have their connection destroyed without an answer. @default 0 */
  dropNext: number;
  /** Milliseconds added before every answer. @default 0 */
  latencyMs: number;
}

/** A running emulator. */
export interface AwsSecretsManagerEmulator {
  /** `http://127.0.0.1:PORT`, the SDK's `endpoint`. */
  endpoint: string;
  /** Calls received per operation, faulted ones included. */
  calls: Record<AwsSecretsManagerOperation, number>;
  /** Mutable fault settings. */
  faults: AwsSecretsManagerFaults;
  /** Clears secrets, counts and faults. */
  reset(): void;
  close(): Promise<void>;
}

/** Options of `startAwsSecretsManagerEmulator`. */
export interface AwsSecretsManagerEmulatorOptions {
  /** @default 0 (any free port) */
  port?: number;
  /** When set, requests signed with another access key id answer `UnrecognizedClientException`. */
  accessKeyIds?: string[];
}

interface StoredSecret {
  arn: string;
  name: string;
  tags: { Key: string; Value: string }[];
  versionId: string;
  secretString?: string;
  secretBinary?: string;
  created: number;
}

class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

function zeroCalls(): Record<AwsSecretsManagerOperation, number> {
  return Object.fromEntries(OPERATIONS.map((op) => [op, 0])) as Record<AwsSecretsManagerOperation, number>;
}

function noFaults(): AwsSecretsManagerFaults {
  return { throttleNext: 0, failNext: 0, dropNext: 0, latencyMs: 0 };
}

/**
 * Starts a local AWS Secrets Manager speaking the JSON 1.1 protocol (`POST /`,
 * `X-Amz-Target: secretsmanager.<Op>`) for the operations zs uses (ListSecrets with the
 * `name` and `tag-key` filters and `NextToken` pages), with the service's error shapes, call
 * counts and fault injection. Signatures are not verified, only the access key id.
 */
export async function startAwsSecretsManagerEmulator(
  options: AwsSecretsManagerEmulatorOptions = {},
): Promise<AwsSecretsManagerEmulator> {
  const secrets = new Map<string, StoredSecret>();
  const calls = zeroCalls();
  const faults = noFaults();

  function find(secretId: unknown): StoredSecret {
    const key = String(secretId ?? "");
    const secret = secrets.get(key) ?? [...secrets.values()].find((s) => s.arn === key);
    if (!secret) throw new AwsError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    return secret;
  }

  function takeValue(body: Record<string, unknown>): Pick<StoredSecret, "secretString" | "secretBinary"> {
    const secretString = typeof body.SecretString === "string" ? body.SecretString : undefined;
    const secretBinary = typeof body.SecretBinary === "string" ? body.SecretBinary : undefined;
    if (secretString !== undefined && secretBinary !== undefined) {
      throw new AwsError("InvalidParameterException", "You can't specify both a binary secret value and a string secret value in the same secret.");
    }
    const bytes = secretString !== undefined ? Buffer.byteLength(secretString) : Buffer.from(secretBinary ?? "", "base64").length;
    if (bytes > MAX_SECRET_BYTES) {
      throw new AwsError("ValidationException", `1 validation error detected: Value at 'secretString' failed to satisfy constraint: Member must have length less than or equal to ${MAX_SECRET_BYTES}`);
    }
    return { secretString, secretBinary };
  }

  /** True when `secret` passes one `{ Key, Values }` filter: any value matches (a leading `!` negates it). */
  function matchesFilter(secret: StoredSecret, filter: { Key?: unknown; Values?: unknown }): boolean {
    if (!LIST_FILTER_KEYS.includes(filter.Key as (typeof LIST_FILTER_KEYS)[number])) {
      throw new AwsError("ValidationException", `The emulator understands only the filter keys ${LIST_FILTER_KEYS.join(", ")}, not '${String(filter.Key)}'.`);
    }
    const values = Array.isArray(filter.Values) ? filter.Values.map(String) : [];
    const candidates = filter.Key === "name" ? [secret.name] : secret.tags.map((tag) => tag.Key);
    return values.some((value) =>
      value.startsWith("!") ? !candidates.some((c) => c.startsWith(value.slice(1))) : candidates.some((c) => c.startsWith(value)),
    );
  }

  /** ListSecrets: oldest first, every filter applied (and), pages of `MaxResults` with an opaque `NextToken`. */
  function listSecrets(body: Record<string, unknown>): unknown {
    const maxResults = body.MaxResults === undefined ? MAX_LIST_RESULTS : Number(body.MaxResults);
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_LIST_RESULTS) {
      throw new AwsError("ValidationException", `1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value between 1 and ${MAX_LIST_RESULTS}`);
    }
    let offset = 0;
    if (body.NextToken !== undefined) {
      const token = /^offset:(\d+)$/.exec(Buffer.from(String(body.NextToken), "base64url").toString("utf8"));
      if (!token) throw new AwsError("InvalidNextTokenException", "The NextToken value is invalid.");
      offset = Number(token[1]);
    }
    const filters = Array.isArray(body.Filters) ? (body.Filters as { Key?: unknown; Values?: unknown }[]) : [];
    // The map keeps creation order.
    const matching = [...secrets.values()].filter((secret) => filters.every((filter) => matchesFilter(secret, filter)));
    const page = matching.slice(offset, offset + maxResults);
    const next = offset + page.length;
    return {
      SecretList: page.map((secret) => ({
        ARN: secret.arn,
        Name: secret.name,
        ...(secret.tags.length > 0 ? { Tags: secret.tags } : {}),
        CreatedDate: secret.created,
        SecretVersionsToStages: { [secret.versionId]: ["AWSCURRENT"] },
      })),
      ...(next < matching.length ? { NextToken: Buffer.from(`offset:${next}`).toString("base64url") } : {}),
    };
  }

  function handle(op: AwsSecretsManagerOperation, body: Record<string, unknown>): unknown {
    switch (op) {
      case "CreateSecret": {
        const name = String(body.Name ?? "");
        if (!name) throw new AwsError("ValidationException", "Name is required.");
        if (secrets.has(name)) throw new AwsError("ResourceExistsException", `The operation failed because the secret ${name} already exists.`);
        const value = takeValue(body);
        const tags = Array.isArray(body.Tags) ? (body.Tags as { Key: string; Value: string }[]).map(({ Key, Value }) => ({ Key, Value })) : [];
        const arn = `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-${randomUUID().slice(0, 6)}`;
        const secret: StoredSecret = { arn, name, tags, versionId: randomUUID(), created: Date.now() / 1000, ...value };
        secrets.set(name, secret);
        return { ARN: arn, Name: name, VersionId: secret.versionId };
      }
      case "PutSecretValue": {
        const secret = find(body.SecretId);
        Object.assign(secret, { secretString: undefined, secretBinary: undefined }, takeValue(body), { versionId: randomUUID() });
        return { ARN: secret.arn, Name: secret.name, VersionId: secret.versionId, VersionStages: ["AWSCURRENT"] };
      }
      case "GetSecretValue": {
        const secret = find(body.SecretId);
        return {
          ARN: secret.arn,
          Name: secret.name,
          VersionId: secret.versionId,
          ...(secret.secretString !== undefined ? { SecretString: secret.secretString } : {}),
          ...(secret.secretBinary !== undefined ? { SecretBinary: secret.secretBinary } : {}),
          VersionStages: ["AWSCURRENT"],
          CreatedDate: secret.created,
        };
      }
      case "DescribeSecret": {
        const secret = find(body.SecretId);
        return { ARN: secret.arn, Name: secret.name, Tags: secret.tags, CreatedDate: secret.created };
      }
      case "ListSecrets":
        return listSecrets(body);
      case "DeleteSecret": {
        const secret = find(body.SecretId);
        // Only immediate deletion is emulated; a recovery window would keep the name reserved.
        secrets.delete(secret.name);
        return { ARN: secret.arn, Name: secret.name, DeletionDate: Date.now() / 1000 };
      }
    }
  }

  function send(res: http.ServerResponse, status: number, payload: unknown): void {
    const text = JSON.stringify(payload);
    res.writeHead(status, {
      "content-type": "application/x-amz-json-1.1",
      "content-length": Buffer.byteLength(text),
      "x-amzn-requestid": randomUUID(),
    });
    res.end(text);
  }

  function sendError(res: http.ServerResponse, error: AwsError): void {
    send(res, error.status, { __type: error.type, message: error.message, Message: error.message });
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void (async () => {
        if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
        const target = String(req.headers["x-amz-target"] ?? "");
        const op = target.startsWith("secretsmanager.") ? (target.slice("secretsmanager.".length) as AwsSecretsManagerOperation) : undefined;
        if (req.method !== "POST" || !op || !OPERATIONS.includes(op)) {
          sendError(res, new AwsError("UnknownOperationException", `Unsupported operation '${target}'.`));
          return;
        }
        calls[op] += 1;
        if (faults.dropNext > 0) {
          faults.dropNext -= 1;
          req.socket.destroy();
          return;
        }
        if (faults.throttleNext > 0) {
          faults.throttleNext -= 1;
          sendError(res, new AwsError("ThrottlingException", "Rate exceeded"));
          return;
        }
        if (faults.failNext > 0) {
          faults.failNext -= 1;
          sendError(res, new AwsError("InternalServiceError", "An error occurred on the server side.", 500));
          return;
        }
        if (options.accessKeyIds) {
          const keyId = /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ""))?.[1];
          if (!keyId || !options.accessKeyIds.includes(keyId)) {
            sendError(res, new AwsError("UnrecognizedClientException", "The security token included in the request is invalid."));
            return;
          }
        }
        try {
          const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>) : {};
          send(res, 200, handle(op, body));
        } catch (error) {
          sendError(res, error instanceof AwsError ? error : new AwsError("InternalServiceError", String(error), 500));
        }
      })();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    faults,
    reset() {
      secrets.clear();
      Object.assign(calls, zeroCalls());
      Object.assign(faults, noFaults());
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
