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
  | "ListSecrets"
  | "UpdateSecretVersionStage"
  | "ListSecretVersionIds";

const OPERATIONS: readonly AwsSecretsManagerOperation[] = [
  "CreateSecret",
  "PutSecretValue",
  "GetSecretValue",
  "DescribeSecret",
  "DeleteSecret",
  "ListSecrets",
  "UpdateSecretVersionStage",
  "ListSecretVersionIds",
];

/** Secrets Manager's limit on SecretString and SecretBinary, in bytes. */
const MAX_SECRET_BYTES = 65536;
/** Secrets Manager's largest (and default) ListSecrets page. */
const MAX_LIST_RESULTS = 100;
/** Secrets Manager removes versions without a staging label once a secret has more than this many. */
const MAX_VERSIONS = 100;
/** Secrets Manager's quota of staging labels attached across all versions of one secret. */
const MAX_STAGING_LABELS = 20;
/** The staging label of the current version, and the one it leaves on the version it moves from. */
const CURRENT = "AWSCURRENT";
const PREVIOUS = "AWSPREVIOUS";
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
  /** The next N calls of an operation are carried out, then their connection is destroyed before the answer. @default none */
  loseAnswerOf: Partial<Record<AwsSecretsManagerOperation, number>>;
  /** The next N calls of an operation answer 500 `InternalServiceError` without being carried out. @default none */
  failOf: Partial<Record<AwsSecretsManagerOperation, number>>;
  /** Operations answered `AccessDeniedException`, as for an IAM policy that does not allow them. @default none */
  denied: AwsSecretsManagerOperation[];
}

/** A running emulator. */
export interface AwsSecretsManagerEmulator {
  /** `http://127.0.0.1:PORT`, the SDK's `endpoint`. */
  endpoint: string;
  /** Calls received per operation, faulted ones included. */
  calls: Record<AwsSecretsManagerOperation, number>;
  /** Mutable fault settings. */
  faults: AwsSecretsManagerFaults;
  /** Requests received and not yet answered (those held by `faults.latencyMs` included). */
  readonly waiting: number;
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

/** One version of a secret: its value and the staging labels attached to it (none: deprecated). */
interface StoredVersion {
  versionId: string;
  secretString?: string | undefined;
  secretBinary?: string | undefined;
  stages: string[];
  created: number;
}

interface StoredSecret {
  arn: string;
  name: string;
  tags: { Key: string; Value: string }[];
  /** Oldest first. */
  versions: StoredVersion[];
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
  return { throttleNext: 0, failNext: 0, dropNext: 0, latencyMs: 0, loseAnswerOf: {}, failOf: {}, denied: [] };
}

/**
 * Starts a local AWS Secrets Manager speaking the JSON 1.1 protocol (`POST /`,
 * `X-Amz-Target: secretsmanager.<Op>`) for the operations zs uses (ListSecrets with the
 * `name` and `tag-key` filters and `NextToken` pages), with the service's error shapes, call
 * counts and fault injection. Versions behave as the service's: a `ClientRequestToken`
 * becomes the VersionId (the same token and value again is a no-op), staging labels are unique
 * per secret (moving AWSCURRENT leaves AWSPREVIOUS behind), at most 20 labels per secret, and
 * versions without a label are removed once a secret has more than 100. Signatures are not verified, only the access key id.
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

  function takeValue(body: Record<string, unknown>): Pick<StoredVersion, "secretString" | "secretBinary"> {
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

  /** The version a staging label is attached to, if any. */
  function labelled(secret: StoredSecret, stage: string): StoredVersion | undefined {
    return secret.versions.find((version) => version.stages.includes(stage));
  }

  function versionById(secret: StoredSecret, versionId: string): StoredVersion | undefined {
    return secret.versions.find((version) => version.versionId === versionId);
  }

  /** Staging label ids as the service takes them: 1-256 characters. */
  function stageOf(value: unknown, field: string): string {
    const stage = String(value ?? "");
    if (stage.length < 1 || stage.length > 256) {
      throw new AwsError("ValidationException", `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length between 1 and 256`);
    }
    return stage;
  }

  /** A `ClientRequestToken` (which becomes the VersionId), or a fresh one as the SDKs generate. */
  function requestToken(body: Record<string, unknown>): string {
    if (body.ClientRequestToken === undefined) return randomUUID();
    const token = String(body.ClientRequestToken);
    if (token.length < 32 || token.length > 64) {
      throw new AwsError("ValidationException", "1 validation error detected: Value at 'clientRequestToken' failed to satisfy constraint: Member must have length between 32 and 64");
    }
    return token;
  }

  /**
   * Attaches `stage` to `target`, removing it from the version holding it; moving AWSCURRENT
   * leaves AWSPREVIOUS on the version it left, as the service does.
   */
  function attach(secret: StoredSecret, target: StoredVersion, stage: string): void {
    const holder = labelled(secret, stage);
    if (holder === target) return;
    if (holder) holder.stages = holder.stages.filter((s) => s !== stage);
    target.stages.push(stage);
    if (stage === CURRENT && holder) attach(secret, holder, PREVIOUS);
  }

  /** Refuses a change that would leave more than the quota of labels on the secret's versions. */
  function assertLabelQuota(secret: StoredSecret): void {
    const labels = secret.versions.reduce((count, version) => count + version.stages.length, 0);
    if (labels > MAX_STAGING_LABELS) {
      throw new AwsError("LimitExceededException", `You can attach at most ${MAX_STAGING_LABELS} staging labels to the versions of a secret.`);
    }
  }

  /**
   * Removes the oldest versions without a staging label while the secret has more than
   * MAX_VERSIONS. The service also spares versions younger than 24 hours; the emulator does
   * not wait, which is the stricter case for a client relying on labels.
   */
  function removeDeprecated(secret: StoredSecret): void {
    let excess = secret.versions.length - MAX_VERSIONS;
    if (excess <= 0) return;
    secret.versions = secret.versions.filter((version) => {
      if (excess > 0 && version.stages.length === 0) {
        excess -= 1;
        return false;
      }
      return true;
    });
  }

  /** The labels of each labelled version, as DescribeSecret and ListSecrets answer them. */
  function versionsToStages(secret: StoredSecret): Record<string, string[]> {
    return Object.fromEntries(secret.versions.filter((v) => v.stages.length > 0).map((v) => [v.versionId, [...v.stages]]));
  }

  /**
   * A new version of `secret` with `value`, under the request's token. A token already used
   * with the same value is the same request again: nothing changes; with another value, the
   * service refuses it (versions are immutable).
   */
  function addVersion(secret: StoredSecret, versionId: string, value: Pick<StoredVersion, "secretString" | "secretBinary">, stages: string[]): StoredVersion {
    const existing = versionById(secret, versionId);
    if (existing) {
      if (existing.secretString === value.secretString && existing.secretBinary === value.secretBinary) return existing;
      throw new AwsError("ResourceExistsException", `A resource with the ID you requested already exists.`);
    }
    const version: StoredVersion = { versionId, ...value, stages: [], created: Date.now() / 1000 };
    secret.versions.push(version);
    for (const stage of stages) attach(secret, version, stage);
    assertLabelQuota(secret);
    removeDeprecated(secret);
    return version;
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
        SecretVersionsToStages: versionsToStages(secret),
      })),
      ...(next < matching.length ? { NextToken: Buffer.from(`offset:${next}`).toString("base64url") } : {}),
    };
  }

  /**
   * UpdateSecretVersionStage: moves a staging label to `MoveToVersionId`, or removes it from
   * `RemoveFromVersionId` alone. A label attached elsewhere moves only when that version is
   * named as `RemoveFromVersionId`; AWSCURRENT can be moved but not removed.
   */
  function updateSecretVersionStage(body: Record<string, unknown>): unknown {
    const secret = find(body.SecretId);
    const stage = stageOf(body.VersionStage, "versionStage");
    const moveTo = body.MoveToVersionId === undefined ? undefined : String(body.MoveToVersionId);
    const removeFrom = body.RemoveFromVersionId === undefined ? undefined : String(body.RemoveFromVersionId);
    const holder = labelled(secret, stage);
    const target = moveTo === undefined ? undefined : versionById(secret, moveTo);
    if (moveTo !== undefined && !target) throw new AwsError("ResourceNotFoundException", `Secrets Manager can't find the specified secret version: ${moveTo}`);
    if (removeFrom !== undefined && holder?.versionId !== removeFrom) {
      throw new AwsError("InvalidParameterException", `The staging label ${stage} is not attached to the version ${removeFrom}.`);
    }
    if (target) {
      if (holder && holder !== target && removeFrom === undefined) {
        throw new AwsError(
          "InvalidParameterException",
          `The staging label ${stage} is currently attached to version ${holder.versionId}. To move it, specify that version as RemoveFromVersionId.`,
        );
      }
      attach(secret, target, stage);
      assertLabelQuota(secret);
    } else if (holder && removeFrom !== undefined) {
      if (stage === CURRENT) throw new AwsError("InvalidParameterException", "You can't remove the staging label AWSCURRENT; move it to another version instead.");
      holder.stages = holder.stages.filter((s) => s !== stage);
    } else if (removeFrom === undefined) {
      throw new AwsError("InvalidParameterException", "You must specify MoveToVersionId, RemoveFromVersionId, or both.");
    }
    return { ARN: secret.arn, Name: secret.name };
  }

  /** ListSecretVersionIds: newest first; deprecated (unlabelled) versions only with `IncludeDeprecated`. */
  function listSecretVersionIds(body: Record<string, unknown>): unknown {
    const secret = find(body.SecretId);
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
    const matching = [...secret.versions].reverse().filter((version) => body.IncludeDeprecated === true || version.stages.length > 0);
    const page = matching.slice(offset, offset + maxResults);
    const next = offset + page.length;
    return {
      ARN: secret.arn,
      Name: secret.name,
      Versions: page.map((version) => ({ VersionId: version.versionId, VersionStages: [...version.stages], CreatedDate: version.created })),
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
        const versionId = requestToken(body);
        const tags = Array.isArray(body.Tags) ? (body.Tags as { Key: string; Value: string }[]).map(({ Key, Value }) => ({ Key, Value })) : [];
        const arn = `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-${randomUUID().slice(0, 6)}`;
        const secret: StoredSecret = { arn, name, tags, versions: [], created: Date.now() / 1000 };
        // Without a value the secret has no version yet.
        const hasValue = value.secretString !== undefined || value.secretBinary !== undefined;
        if (hasValue) addVersion(secret, versionId, value, [CURRENT]);
        secrets.set(name, secret);
        return { ARN: arn, Name: name, ...(hasValue ? { VersionId: versionId } : {}) };
      }
      case "PutSecretValue": {
        const secret = find(body.SecretId);
        const value = takeValue(body);
        if (value.secretString === undefined && value.secretBinary === undefined) {
          throw new AwsError("InvalidRequestException", "You must provide either SecretString or SecretBinary.");
        }
        const stages = Array.isArray(body.VersionStages) ? body.VersionStages.map((stage, i) => stageOf(stage, `versionStages.${i + 1}.member`)) : [CURRENT];
        const version = addVersion(secret, requestToken(body), value, stages);
        return { ARN: secret.arn, Name: secret.name, VersionId: version.versionId, VersionStages: [...version.stages] };
      }
      case "GetSecretValue": {
        const secret = find(body.SecretId);
        const versionId = body.VersionId === undefined ? undefined : String(body.VersionId);
        if (versionId !== undefined && (versionId.length < 32 || versionId.length > 64)) {
          throw new AwsError("ValidationException", "1 validation error detected: Value at 'versionId' failed to satisfy constraint: Member must have length between 32 and 64");
        }
        const stage = body.VersionStage === undefined ? (versionId === undefined ? CURRENT : undefined) : stageOf(body.VersionStage, "versionStage");
        const byId = versionId === undefined ? undefined : versionById(secret, versionId);
        const byStage = stage === undefined ? undefined : labelled(secret, stage);
        if (versionId !== undefined && !byId) throw new AwsError("ResourceNotFoundException", `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`);
        if (stage !== undefined && !byStage) throw new AwsError("ResourceNotFoundException", `Secrets Manager can't find the specified secret value for staging label: ${stage}`);
        if (byId && byStage && byId !== byStage) {
          throw new AwsError("InvalidRequestException", "You provided a VersionStage that is not associated to the provided VersionId.");
        }
        const version = (byId ?? byStage)!;
        return {
          ARN: secret.arn,
          Name: secret.name,
          VersionId: version.versionId,
          ...(version.secretString !== undefined ? { SecretString: version.secretString } : {}),
          ...(version.secretBinary !== undefined ? { SecretBinary: version.secretBinary } : {}),
          VersionStages: [...version.stages],
          CreatedDate: version.created,
        };
      }
      case "DescribeSecret": {
        const secret = find(body.SecretId);
        return { ARN: secret.arn, Name: secret.name, Tags: secret.tags, CreatedDate: secret.created, VersionIdsToStages: versionsToStages(secret) };
      }
      case "UpdateSecretVersionStage":
        return updateSecretVersionStage(body);
      case "ListSecretVersionIds":
        return listSecretVersionIds(body);
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

  let waiting = 0;
  const server = http.createServer((req, res) => {
    waiting += 1;
    res.once("close", () => (waiting -= 1));
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
        if (faults.denied.includes(op)) {
          sendError(res, new AwsError("AccessDeniedException", `User is not authorized to perform: secretsmanager:${op} because no identity-based policy allows it`));
          return;
        }
        const failingOf = faults.failOf[op] ?? 0;
        if (failingOf > 0) faults.failOf[op] = failingOf - 1;
        if (faults.failNext > 0 || failingOf > 0) {
          if (failingOf === 0) faults.failNext -= 1;
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
          const answer = handle(op, body);
          const lost = faults.loseAnswerOf[op] ?? 0;
          if (lost > 0) {
            faults.loseAnswerOf[op] = lost - 1;
            req.socket.destroy();
            return;
          }
          send(res, 200, answer);
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
    get waiting() {
      return waiting;
    },
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
