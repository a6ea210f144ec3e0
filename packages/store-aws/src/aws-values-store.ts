import { randomUUID } from "node:crypto";
import {
  ZsError,
  backendCaller,
  decodeStoredValues,
  encodeStoredValues,
  isZsError,
  runHealthCheck,
  type BackendCaller,
  type EncodedJson,
  type GetValuesOptions,
  type PutValuesHint,
  type PutValuesResult,
  type RetryPolicy,
  type SecretValues,
  type SecretValuesStore,
  type StoreContext,
  type StoredJsonFormat,
  type ValuesStoreCapabilities,
  type VersionedWrite,
} from "@zs/core";
import type { AwsSecretDescription, AwsSecretValue, AwsSecretVersion, AwsSecretsClient, AwsTag } from "./aws-secrets-client.js";
import { awsErrors, isAbsent, toZsError } from "./backend-errors.js";

/** Secrets Manager's limit on one SecretString or SecretBinary; compressed JSON goes in SecretBinary. */
const AWS_FORMAT: StoredJsonFormat = { store: "aws", maxBytes: 65536, holder: "one Secrets Manager secret", compressedAs: "bytes" };
/** The tag naming the zs deployment that owns a secret. */
export const DEPLOYMENT_TAG = "zs-deployment";
/** The tag naming the zs secret id a secret holds. */
export const SECRET_ID_TAG = "zs-secret-id";

/** The staging label that keeps version `n` of a secret from being expired by Secrets Manager. */
const VERSION_LABEL_PREFIX = "zs-v";
/** Marks a backendVersion as this store's: `aws:<VersionId>`. */
const BACKEND_VERSION_PREFIX = "aws:";
/**
 * Earlier versions a secret keeps at most, whatever the retention asks: Secrets Manager allows 20
 * staging labels across a secret's versions; AWSCURRENT and AWSPREVIOUS take 2, and a put
 * briefly holds the new version's label and one more than it keeps before it prunes.
 */
export const AWS_MAX_KEPT_VERSIONS = 16;

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
 *
 * Versions (`versioned`): every put's version id is a `ClientRequestToken` chosen before the
 * first attempt, so a retried put whose answer was lost makes no second version. A put given a
 * `VersionedWrite` writes its values with `PutSecretValue` labelled `AWSCURRENT` and
 * `zs-v<version>` at once (a new secret: CreateSecret, then UpdateSecretVersionStage), then
 * takes the `zs-v` label off the versions beyond `keep` (one `UpdateSecretVersionStage` each,
 * usually one); labelled versions are never expired by Secrets Manager, unlabelled ones are
 * once a secret has more than 100. A version read (`GetSecretValue` by VersionId) answers only
 * the current version or one still carrying a `zs-v` label, so a pruned one reads as absent at
 * once, before AWS removes it. At most `AWS_MAX_KEPT_VERSIONS` earlier versions are kept (the labels quota).
 */
export class AwsValuesStore implements SecretValuesStore {
  readonly type = "aws";
  readonly capabilities: ValuesStoreCapabilities = { maxValueBytes: AWS_FORMAT.maxBytes, versioned: true };
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

  async putValues(secretId: string, values: SecretValues, hint?: PutValuesHint, versioned?: VersionedWrite): Promise<PutValuesResult> {
    const value = toSecretValue(await encodeStoredValues(values, AWS_FORMAT));
    const name = this.secretName(secretId);
    // Chosen once: every attempt of this put, retries included, asks for the same version.
    const versionId = randomUUID();
    const written: PutValuesResult = versioned ? { backendVersion: `${BACKEND_VERSION_PREFIX}${versionId}` } : {};
    // CreateSecret never touches an existing secret, so a new id needs no DescribeSecret first;
    // a name taken after all (a retried put, another deployment's secret) is the checked path's.
    if (hint?.isNew === true) {
      try {
        await this.createWithValue(secretId, name, value, versionId, versioned);
        return written;
      } catch (error) {
        if (!isResourceExists(error)) throw error;
      }
    }
    // A concurrent put or delete of the same id can slip between the two calls: look again once.
    for (let round = 0; ; round++) {
      const lastRound = round > 0;
      const described = await this.describe(name);
      try {
        if (described === undefined) {
          await this.createWithValue(secretId, name, value, versionId, versioned);
        } else {
          this.assertOwned(name, described.tags, "overwrite");
          await this.putVersion(name, value, versionId, versioned);
        }
      } catch (error) {
        if (isZsError(error)) throw error;
        if (lastRound) throw toZsError(error, described === undefined ? "CreateSecret" : "PutSecretValue", name, 1);
        continue;
      }
      if (versioned && described) await this.pruneVersions(name, described, versioned);
      return written;
    }
  }

  async getValues(secretId: string, options?: GetValuesOptions): Promise<SecretValues | undefined> {
    const name = this.secretName(secretId);
    let versionId: string | undefined;
    if (options && "backendVersion" in options) {
      // Another store's backendVersion (history kept across a migration) names nothing here.
      if (!options.backendVersion.startsWith(BACKEND_VERSION_PREFIX)) return undefined;
      versionId = options.backendVersion.slice(BACKEND_VERSION_PREFIX.length);
    }
    let stored: AwsSecretVersion;
    try {
      const noSuchVersion = (error: unknown) => isAbsent(error) || (versionId !== undefined && isInvalidVersionId(error));
      stored = await this.call("GetSecretValue", name, () => this.client.getSecretValue(name, versionId), noSuchVersion);
    } catch (error) {
      if (isAbsent(error) || (versionId !== undefined && isInvalidVersionId(error))) return undefined;
      throw error;
    }
    // A version whose zs-v label was taken off is pruned, even while AWS still holds it; the
    // current one is kept whatever its labels.
    if (versionId !== undefined && !stored.versionStages.some((stage) => stage === "AWSCURRENT" || stage.startsWith(VERSION_LABEL_PREFIX))) return undefined;
    // One call: the name comes from a random id, so only a cloned database could point at
    // another deployment's secret, and reading it destroys nothing. A value zs did not write reads as absent.
    return decodeStoredValues(fromSecretValue(stored));
  }

  async deleteValues(secretId: string): Promise<boolean> {
    const name = this.secretName(secretId);
    const described = await this.describe(name);
    if (described === undefined) return false;
    this.assertOwned(name, described.tags, "delete");
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
    await runHealthCheck("aws", () => this.describe(this.secretName("zs-health-check")));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client.close();
  }

  /**
   * Creates the secret with this deployment's tags and the values as its first version under
   * `versionId`; a versioned put then labels that version `zs-v<version>` (CreateSecret takes no
   * labels). Until then the version is AWSCURRENT, which reads count as kept, so a label that
   * could not be attached only leaves it unprotected once superseded: that is logged, not
   * thrown. ResourceExistsException is rethrown untouched.
   */
  private async createWithValue(secretId: string, name: string, value: AwsSecretValue, versionId: string, versioned: VersionedWrite | undefined): Promise<void> {
    const ownTags: AwsTag[] = [
      { key: DEPLOYMENT_TAG, value: this.context.deploymentId },
      { key: SECRET_ID_TAG, value: secretId },
    ];
    await this.call("CreateSecret", name, () => this.client.createSecret(name, value, ownTags, versionId), isResourceExists);
    if (!versioned) return;
    const label = versionLabel(versioned.version);
    try {
      await this.call("UpdateSecretVersionStage", name, () => this.client.addVersionStage(name, label, versionId));
    } catch (error) {
      // Deleted meanwhile: nothing left to label.
      if (isAbsent(error)) return;
      if (isZsError(error) && error.code === "BACKEND_UNAVAILABLE") {
        this.context.logger.warn({ store: "aws", operation: "UpdateSecretVersionStage", objectName: name, label }, "new secret version left unlabelled");
        return;
      }
      throw error;
    }
  }

  /** PutSecretValue under `versionId`: current, and labelled `zs-v<version>` when versioned. */
  private async putVersion(name: string, value: AwsSecretValue, versionId: string, versioned: VersionedWrite | undefined): Promise<void> {
    const versionStages = versioned ? ["AWSCURRENT", versionLabel(versioned.version)] : undefined;
    await this.call("PutSecretValue", name, () => this.client.putSecretValue(name, value, { versionId, versionStages }));
  }

  /**
   * Takes the `zs-v` label off the versions beyond `keep` (newest kept by version number), as
   * described before the put. The new values are in place by then, so a transient failure only
   * leaves an old version readable a little longer: it is logged, not thrown; a refusal
   * (permissions) is thrown, since every put would leave one behind.
   */
  private async pruneVersions(name: string, before: AwsSecretDescription, versioned: VersionedWrite): Promise<void> {
    const ownLabel = versionLabel(versioned.version);
    const labelled: { label: string; number: number; versionId: string }[] = [];
    for (const [versionId, stages] of Object.entries(before.versionIdsToStages)) {
      for (const label of stages) {
        const number = versionNumberOf(label);
        // The put moved the label of its own version number onto the new version.
        if (number !== undefined && label !== ownLabel) labelled.push({ label, number, versionId });
      }
    }
    const keep = Math.min(Math.max(0, versioned.keep), AWS_MAX_KEPT_VERSIONS);
    const beyond = labelled.sort((a, b) => b.number - a.number).slice(keep);
    for (const { label, versionId } of beyond) {
      try {
        await this.call("UpdateSecretVersionStage", name, () => this.client.removeVersionStage(name, label, versionId), (e) => isLabelGone(e) || isAbsent(e));
      } catch (error) {
        // Moved or removed meanwhile (a concurrent put): nothing left to prune.
        if (isLabelGone(error) || isAbsent(error)) continue;
        if (isZsError(error) && error.code === "BACKEND_UNAVAILABLE") {
          this.context.logger.warn({ store: "aws", operation: "UpdateSecretVersionStage", objectName: name, label }, "superseded secret version left labelled");
          continue;
        }
        throw error;
      }
    }
  }

  private async describe(name: string): Promise<AwsSecretDescription | undefined> {
    try {
      return await this.call("DescribeSecret", name, () => this.client.describeSecret(name));
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

/** The staging label of version `version` of a secret. */
function versionLabel(version: number): string {
  return `${VERSION_LABEL_PREFIX}${version}`;
}

/** The version number a `zs-v<n>` label names, or `undefined` for any other label. */
function versionNumberOf(label: string): number | undefined {
  const match = /^zs-v(\d+)$/.exec(label);
  return match ? Number(match[1]) : undefined;
}

/** UpdateSecretVersionStage found the label no longer on that version. */
function isLabelGone(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === "InvalidParameterException";
}

/** A VersionId Secrets Manager does not accept (not 32-64 characters): no such version. */
function isInvalidVersionId(error: unknown): boolean {
  const name = typeof error === "object" && error !== null ? (error as { name?: unknown }).name : undefined;
  return name === "ValidationException" || name === "InvalidParameterException";
}

function isResourceExists(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === "ResourceExistsException";
}
