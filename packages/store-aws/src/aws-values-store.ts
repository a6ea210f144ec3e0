import {
  ZsError,
  backendCaller,
  decodeStoredDocument,
  encodeStoredDocument,
  isZsError,
  runHealthCheck,
  type BackendCaller,
  type EncodedJson,
  type PutValuesHint,
  type RetryPolicy,
  type SecretValues,
  type SecretValuesStore,
  type StoreContext,
  type StoredJsonFormat,
} from "@zs/core";
import type { AwsSecretValue, AwsSecretsClient, AwsTag } from "./aws-secrets-client.js";
import { awsErrors, isAbsent, toZsError } from "./backend-errors.js";

/**
 * Secrets Manager's limit on one SecretString or SecretBinary. The stored document carries the
 * owning deployment, so a single GetSecretValue both reads and checks ownership (tags need a
 * DescribeSecret); compressed, it goes in SecretBinary.
 */
const AWS_FORMAT: StoredJsonFormat = { store: "aws", maxBytes: 65536, holder: "one Secrets Manager secret", compressedAs: "bytes" };
/** The tag naming the zs deployment that owns a secret. */
export const DEPLOYMENT_TAG = "zs-deployment";
/** The tag naming the zs secret id a secret holds. */
export const SECRET_ID_TAG = "zs-secret-id";

/** What the store needs besides its SDK client. */
export interface AwsValuesStoreSettings {
  /** Prepended to the secret id to name the AWS secret. */
  prefix: string;
  retry?: RetryPolicy;
}

/**
 * Values in AWS Secrets Manager: secret `<prefix><secret id>` tagged with the deployment and
 * the secret id, holding one JSON object. Calls per operation: get 1 (GetSecretValue); put 2
 * (DescribeSecret, then PutSecretValue or CreateSecret), or 1 when hinted new (CreateSecret,
 * which fails on an existing name: then the 2 follow); delete 2 (DescribeSecret,
 * DeleteSecret) — plus retries.
 */
export class AwsValuesStore implements SecretValuesStore {
  readonly type = "aws";
  readonly capabilities = { maxValueBytes: AWS_FORMAT.maxBytes };
  private readonly call: BackendCaller;
  private closed = false;

  constructor(
    private readonly client: AwsSecretsClient,
    private readonly context: StoreContext,
    private readonly settings: AwsValuesStoreSettings,
  ) {
    this.call = backendCaller(awsErrors, { policy: settings.retry, logger: context.logger });
  }

  /** The AWS secret name of a zs secret id. */
  secretName(secretId: string): string {
    return `${this.settings.prefix}${secretId}`;
  }

  async putValues(secretId: string, values: SecretValues, hint?: PutValuesHint): Promise<void> {
    const value = toSecretValue(await encodeStoredDocument({ "zs-deployment": this.context.deploymentId, values }, AWS_FORMAT));
    const name = this.secretName(secretId);
    // CreateSecret never touches an existing secret, so a new id needs no DescribeSecret first;
    // a name taken after all (a retried put, another deployment's secret) is the checked path's.
    if (hint?.isNew === true) {
      try {
        await this.createSecret(secretId, name, value);
        return;
      } catch (error) {
        if (!isResourceExists(error)) throw error;
      }
    }
    // A concurrent put or delete of the same id can slip between the two calls: look again once.
    for (let round = 0; ; round++) {
      const lastRound = round > 0;
      const tags = await this.describeTags(name);
      try {
        if (tags === undefined) {
          await this.createSecret(secretId, name, value);
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
    // Another deployment's secret, or one zs did not write, reads as absent.
    return decodeStoredDocument(fromSecretValue(stored), this.context.deploymentId);
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
    await runHealthCheck("aws", () => this.describeTags(this.secretName("zs-health-check")));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client.close();
  }

  /** Creates the secret with this deployment's tags; ResourceExistsException is rethrown untouched. */
  private async createSecret(secretId: string, name: string, value: AwsSecretValue): Promise<void> {
    const ownTags: AwsTag[] = [
      { key: DEPLOYMENT_TAG, value: this.context.deploymentId },
      { key: SECRET_ID_TAG, value: secretId },
    ];
    await this.call("CreateSecret", name, () => this.client.createSecret(name, value, ownTags), isResourceExists);
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
}

/** JSON text in SecretString; gzipped JSON in SecretBinary. */
function toSecretValue(encoded: EncodedJson): AwsSecretValue {
  return encoded.compressed ? { secretBinary: encoded.data } : { secretString: encoded.text };
}

function fromSecretValue(stored: AwsSecretValue): EncodedJson {
  return stored.secretBinary !== undefined ? { compressed: true, data: stored.secretBinary } : { compressed: false, text: stored.secretString ?? "" };
}

function isResourceExists(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === "ResourceExistsException";
}
