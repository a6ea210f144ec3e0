import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import {
  DEFAULT_RETRY_POLICY,
  ZsError,
  isZsError,
  secretSizeInBytes,
  type RetryPolicy,
  type SecretValues,
  type SecretValuesStore,
  type StoreContext,
} from "@zs/core";
import type { AwsSecretValue, AwsSecretsClient, AwsTag } from "./aws-secrets-client.js";
import { callAws, isAbsent, toZsError } from "./backend-errors.js";

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** Secrets Manager's limit on one SecretString or SecretBinary. */
const AWS_MAX_SECRET_BYTES = 65536;
/** The tag naming the zs deployment that owns a secret. */
export const DEPLOYMENT_TAG = "zs-deployment";
/** The tag naming the zs secret id a secret holds. */
export const SECRET_ID_TAG = "zs-secret-id";

/**
 * What one Secrets Manager secret holds: the values map plus the owning deployment, so a
 * single GetSecretValue both reads and checks ownership (tags need a DescribeSecret).
 */
interface StoredDocument {
  "zs-deployment": string;
  values: SecretValues;
}

/** What the store needs besides its SDK client. */
export interface AwsValuesStoreSettings {
  /** Prepended to the secret id to name the AWS secret. */
  prefix: string;
  retry?: RetryPolicy;
}

function isStoredDocument(value: unknown): value is StoredDocument {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string, unknown>;
  const values = candidate.values;
  return (
    typeof candidate["zs-deployment"] === "string" &&
    typeof values === "object" &&
    values !== null &&
    !Array.isArray(values) &&
    Object.values(values).every((v) => typeof v === "string")
  );
}

/**
 * Values in AWS Secrets Manager: secret `<prefix><secret id>` tagged with the deployment and
 * the secret id, holding one JSON object. Calls per operation: get 1 (GetSecretValue), put 2
 * (DescribeSecret, then PutSecretValue or CreateSecret), delete 2 (DescribeSecret,
 * DeleteSecret) — plus retries.
 */
export class AwsValuesStore implements SecretValuesStore {
  readonly type = "aws";
  readonly capabilities = { maxValueBytes: AWS_MAX_SECRET_BYTES };
  private readonly retry: RetryPolicy;
  private closed = false;

  constructor(
    private readonly client: AwsSecretsClient,
    private readonly context: StoreContext,
    private readonly settings: AwsValuesStoreSettings,
  ) {
    this.retry = settings.retry ?? DEFAULT_RETRY_POLICY;
  }

  /** The AWS secret name of a zs secret id. */
  secretName(secretId: string): string {
    return `${this.settings.prefix}${secretId}`;
  }

  async putValues(secretId: string, values: SecretValues): Promise<void> {
    const bytes = secretSizeInBytes(values);
    if (bytes > this.capabilities.maxValueBytes) {
      throw new ZsError(
        "SECRET_TOO_LARGE",
        `aws: the values are ${bytes} bytes (keys and values, UTF-8); Secrets Manager holds at most ${this.capabilities.maxValueBytes}.`,
      );
    }
    const name = this.secretName(secretId);
    const value = await this.encode(values, bytes);
    // A concurrent put or delete of the same id can slip between the two calls: look again once.
    for (let round = 0; ; round++) {
      const lastRound = round > 0;
      const tags = await this.describeTags(name);
      try {
        if (tags === undefined) {
          const ownTags: AwsTag[] = [
            { key: DEPLOYMENT_TAG, value: this.context.deploymentId },
            { key: SECRET_ID_TAG, value: secretId },
          ];
          await this.call("CreateSecret", name, () => this.client.createSecret(name, value, ownTags), isResourceExists);
        } else {
          this.assertOwned(name, tags);
          await this.call("PutSecretValue", name, () => this.client.putSecretValue(name, value));
        }
        return;
      } catch (error) {
        if (isZsError(error)) throw error;
        if (lastRound) throw toZsError(error, tags === undefined ? "CreateSecret" : "PutSecretValue", name, 1);
      }
    }
  }

  async getValues(secretId: string): Promise<SecretValues | undefined> {
    const name = this.secretName(secretId);
    let stored: AwsSecretValue;
    try {
      stored = await this.call("GetSecretValue", name, () => this.client.getSecretValue(name));
    } catch (error) {
      if (isAbsent(error)) return undefined;
      throw error;
    }
    const document = await this.decode(stored);
    // Another deployment's secret, or one zs did not write, is not ours to read.
    if (!document || document["zs-deployment"] !== this.context.deploymentId) return undefined;
    return { ...document.values };
  }

  async deleteValues(secretId: string): Promise<boolean> {
    const name = this.secretName(secretId);
    const tags = await this.describeTags(name);
    if (tags === undefined || !this.isOwned(tags)) return false;
    try {
      await this.call("DeleteSecret", name, () => this.client.deleteSecret(name));
      return true;
    } catch (error) {
      if (isAbsent(error)) return false;
      throw error;
    }
  }

  /** Asks for a secret that does not exist: proves the endpoint, credentials and permissions answer. */
  async check(): Promise<void> {
    const name = this.secretName("zs-health-check");
    try {
      await this.describeTags(name);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new ZsError("BACKEND_UNAVAILABLE", message.startsWith("aws:") ? message : `aws: ${message}`);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client.close();
  }

  private call<T>(operation: string, name: string, run: () => Promise<T>, handled?: (error: unknown) => boolean): Promise<T> {
    return callAws(operation, name, this.retry, this.context.logger, run, handled);
  }

  private async describeTags(name: string): Promise<AwsTag[] | undefined> {
    try {
      return await this.call("DescribeSecret", name, () => this.client.describeSecretTags(name));
    } catch (error) {
      if (isAbsent(error)) return undefined;
      throw error;
    }
  }

  private isOwned(tags: AwsTag[]): boolean {
    return tags.some((tag) => tag.key === DEPLOYMENT_TAG && tag.value === this.context.deploymentId);
  }

  private assertOwned(name: string, tags: AwsTag[]): void {
    if (this.isOwned(tags)) return;
    const owner = tags.find((tag) => tag.key === DEPLOYMENT_TAG)?.value;
    throw new ZsError(
      "CONFIGURATION_ERROR",
      `aws: secret '${name}' already exists and belongs to ${owner ? `zs deployment ${owner}` : "something other than zs"}, ` +
        `not this deployment (${this.context.deploymentId}); refusing to overwrite it. Give this deployment its own prefix.`,
      { reason: "aws_foreign_secret" },
    );
  }

  /** JSON text when it fits; gzipped JSON in SecretBinary when escaping pushes it past the service's limit. */
  private async encode(values: SecretValues, bytes: number): Promise<AwsSecretValue> {
    const document: StoredDocument = { "zs-deployment": this.context.deploymentId, values };
    const text = JSON.stringify(document);
    if (Buffer.byteLength(text) <= AWS_MAX_SECRET_BYTES) return { secretString: text };
    const compressed = await gzipAsync(Buffer.from(text, "utf8"));
    if (compressed.length > AWS_MAX_SECRET_BYTES) {
      throw new ZsError(
        "SECRET_TOO_LARGE",
        `aws: the values (${bytes} bytes) do not fit one Secrets Manager secret (${AWS_MAX_SECRET_BYTES} bytes) even compressed.`,
      );
    }
    return { secretBinary: new Uint8Array(compressed) };
  }

  private async decode(stored: AwsSecretValue): Promise<StoredDocument | undefined> {
    try {
      const text =
        stored.secretBinary !== undefined
          ? (await gunzipAsync(stored.secretBinary)).toString("utf8")
          : (stored.secretString ?? "");
      const parsed: unknown = JSON.parse(text);
      return isStoredDocument(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
}

function isResourceExists(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === "ResourceExistsException";
}
