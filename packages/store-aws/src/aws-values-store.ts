import {
  ZsError,
  backendCaller,
  decodeStoredValues,
  encodeStoredValues,
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

/** Secrets Manager's limit on one SecretString or SecretBinary; compressed JSON goes in SecretBinary. */
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
 * the secret id, whose SecretString is exactly the values map as JSON (`aws secretsmanager
 * get-secret-value` and External Secrets read it directly). An object still in the legacy
 * envelope is read as well, and rewritten as the bare map by the next put.
 *
 * Reads do not look at the tags; every write and delete checks them first and refuses another
 * deployment's secret. Calls per operation: get 1 (GetSecretValue); put 2 (DescribeSecret, then
 * PutSecretValue or CreateSecret), or 1 when hinted new (CreateSecret, which tags the secret it
 * creates and fails on an existing name: then the 2 follow); delete 2 (DescribeSecret,
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
    const value = toSecretValue(await encodeStoredValues(values, AWS_FORMAT));
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
          this.assertOwned(name, tags, "overwrite");
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
    // One call: the name comes from a random id, so only a cloned database could point at
    // another deployment's secret, and reading it destroys nothing. A value zs did not write reads as absent.
    return decodeStoredValues(fromSecretValue(stored));
  }

  async deleteValues(secretId: string): Promise<boolean> {
    const name = this.secretName(secretId);
    const tags = await this.describeTags(name);
    if (tags === undefined) return false;
    this.assertOwned(name, tags, "delete");
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

  private assertOwned(name: string, tags: AwsTag[], action: "overwrite" | "delete"): void {
    const owner = tags.find((tag) => tag.key === DEPLOYMENT_TAG)?.value;
    if (owner === this.context.deploymentId) return;
    throw new ZsError(
      "CONFIGURATION_ERROR",
      `aws: secret '${name}' belongs to ${owner ? `zs deployment ${owner}` : "something other than zs"}, ` +
        `not this deployment (${this.context.deploymentId}); refusing to ${action} it. Give this deployment its own prefix.`,
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
