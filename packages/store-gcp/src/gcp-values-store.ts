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
import { gcpErrors, isAbsent, isAlreadyExists, isNotEnabled, toZsError } from "./backend-errors.js";
import type { GcpSecretsClient } from "./gcp-secrets-client.js";
import {
  DEPLOYMENT_LABEL,
  SECRET_ID_LABEL,
  gcpSecretId,
  secretResourceName,
  toLabelValue,
  versionNumberOf,
  versionResourceName,
} from "./resource-names.js";

/** Secret Manager's limit on one version's payload; compressed JSON is stored as the gzip data. */
const GCP_FORMAT: StoredJsonFormat = { store: "gcp", maxBytes: 65536, holder: "one Secret Manager version", compressedAs: "bytes" };
/** The first bytes of gzip data; JSON text never starts with them. */
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/**
 * Marks a backendVersion as this store's: `gcp:<version number>:<its createTime>`. The number
 * alone would name a version of a later secret under the same id (numbers restart at 1 when a
 * deleted secret is created again); the createTime tells them apart.
 */
const BACKEND_VERSION_PREFIX = "gcp:";

/** What the store needs besides its SDK client. */
export interface GcpValuesStoreSettings {
  /** The project the secrets live in, by id (or number). */
  projectId: string;
  retry?: RetryPolicy;
}

/**
 * Values in Google Cloud Secret Manager: secret `zs-<secret id>` in the project, labelled
 * with the deployment and the secret id; its latest version's payload is exactly the values
 * map as JSON (`gcloud secrets versions access latest` and External Secrets read it directly).
 * A write from zs (`VersionedWrite`) adds a version and destroys the enabled ones beyond the
 * `keep` newest earlier ones (found with ListSecretVersions, once a secret has more versions
 * than it keeps); a version is read back by number. A write without one (a backup copy, a
 * migration) adds a version and destroys the one before it, so such a secret keeps one live version.
 * A payload still in the legacy envelope is read as well, and rewritten by the next put.
 *
 * Reads do not look at the labels; every write and delete checks them first and refuses
 * another deployment's secret. Calls per operation, plus retries: get 1 (AccessSecretVersion
 * of `latest`); delete 2 (GetSecret, DeleteSecret); put 3 —
 * - hinted new (core's create): 2, CreateSecret with this deployment's labels +
 *   AddSecretVersion; when the name is taken after all (ALREADY_EXISTS), the checked put follows.
 * - otherwise: GetSecret (ownership), then CreateSecret + AddSecretVersion for a new secret, or
 *   AddSecretVersion + DestroySecretVersion of the previous version for an existing one.
 *   A hint that the secret exists saves nothing: the payload no longer names its owner, so the
 *   read core made before an update proved nothing about ownership.
 * A put whose AddSecretVersion had to be retried adds a ListSecretVersions, since a lost answer
 * may have left an extra version to destroy. A versioned put once the secret has more versions
 * than it keeps: AddSecretVersion, ListSecretVersions (enabled), DestroySecretVersion per version
 * beyond `keep` (usually one). A version read: 2 at once (GetSecretVersion for its createTime,
 * AccessSecretVersion by number).
 */
export class GcpValuesStore implements SecretValuesStore {
  readonly type = "gcp";
  readonly capabilities: ValuesStoreCapabilities = { maxValueBytes: GCP_FORMAT.maxBytes, versioned: true };
  private readonly call: BackendCaller;
  private closed = false;

  constructor(
    private readonly client: GcpSecretsClient,
    private readonly context: StoreContext,
    private readonly settings: GcpValuesStoreSettings,
  ) {
    this.call = backendCaller(gcpErrors, { policy: settings.retry, logger: context.logger });
  }

  /** The resource name of a zs secret id's secret, with the project as configured. */
  secretName(secretId: string): string {
    return secretResourceName(this.settings.projectId, secretId);
  }

  async putValues(secretId: string, values: SecretValues, hint?: PutValuesHint, versioned?: VersionedWrite): Promise<PutValuesResult> {
    const data = toPayload(await encodeStoredValues(values, GCP_FORMAT));
    const name = this.secretName(secretId);
    const added = (hint?.isNew === true ? await this.putNew(secretId, name, data, versioned) : undefined) ?? (await this.putChecked(secretId, name, data, versioned));
    return versioned ? { backendVersion: `${BACKEND_VERSION_PREFIX}${added.number}:${added.createTime}` } : {};
  }

  async getValues(secretId: string, options?: GetValuesOptions): Promise<SecretValues | undefined> {
    const name = this.secretName(secretId);
    if (options && "backendVersion" in options) {
      // Another store's backendVersion (history kept across a migration) names nothing here.
      const match = /^gcp:([1-9]\d{0,15}):(\d+\.\d{9})$/.exec(options.backendVersion);
      if (!match) return undefined;
      const version = Number(match[1]);
      // Both at once: a version read costs the latency of one call. A version of the same
      // number but another createTime belongs to a secret created again under the id.
      const [createTime, values] = await Promise.all([this.versionCreateTime(name, version), this.readVersion(name, version)]);
      return createTime === match[2] ? values : undefined;
    }
    return this.readVersion(name, undefined);
  }

  /** The values of version `version`, or of the latest; `undefined` when absent, disabled or destroyed. */
  private async readVersion(name: string, version: number | undefined): Promise<SecretValues | undefined> {
    let data: Uint8Array;
    try {
      // A secret without versions is NOT_FOUND; a disabled or destroyed version has no value either.
      data = await this.call(
        "AccessSecretVersion",
        name,
        () => (version === undefined ? this.client.accessLatestVersion(name) : this.client.accessVersion(name, version)),
        isAbsentOrNotEnabled,
      );
    } catch (error) {
      if (isAbsentOrNotEnabled(error)) return undefined;
      throw error;
    }
    // One call: the name comes from a random id, so only a cloned database could point at
    // another deployment's secret, and reading it destroys nothing. A payload zs did not write reads as absent.
    return decodeStoredValues(fromPayload(data));
  }

  async deleteValues(secretId: string): Promise<boolean> {
    const name = this.secretName(secretId);
    const labels = await this.readLabels(name);
    if (labels === undefined) return false;
    this.assertOwned(name, labels, "delete");
    let attempts = 0;
    try {
      await this.call("DeleteSecret", name, () => {
        attempts += 1;
        return this.client.deleteSecret(name);
      });
      return true;
    } catch (error) {
      // After a lost answer the retry finds the secret gone: the first attempt deleted it.
      if (isAbsent(error)) return attempts > 1;
      throw error;
    }
  }

  /** Asks for a secret that does not exist: proves the endpoint, credentials and permissions answer. */
  async check(): Promise<void> {
    await runHealthCheck("gcp", () => this.readLabels(this.secretName("zs-health-check")));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.close();
  }

  /**
   * The put of a secret the caller has just created: CreateSecret, then its first version.
   * `false` (nothing written) when the name is taken after all, or the secret was deleted
   * before its version landed: the checked put sorts that out, refusing another owner's.
   */
  private async putNew(secretId: string, name: string, data: Uint8Array, versioned: VersionedWrite | undefined): Promise<AddedVersion | undefined> {
    try {
      await this.createSecret(secretId, name);
      return await this.addVersion(name, data, versioned);
    } catch (error) {
      if (isAlreadyExists(error) || isAbsent(error)) return undefined;
      throw error;
    }
  }

  /** The checked put: GetSecret for the owner, then create it or add a version. */
  private async putChecked(secretId: string, name: string, data: Uint8Array, versioned: VersionedWrite | undefined): Promise<AddedVersion> {
    // A concurrent put or delete of the same id can slip between the calls: look again once.
    for (let round = 0; ; round++) {
      const lastRound = round > 0;
      const labels = await this.readLabels(name);
      let operation = "CreateSecret";
      try {
        if (labels === undefined) {
          await this.createSecret(secretId, name);
        } else {
          this.assertOwned(name, labels, "overwrite");
        }
        operation = "AddSecretVersion";
        return await this.addVersion(name, data, versioned);
      } catch (error) {
        if (isZsError(error)) throw error;
        if (lastRound) throw toZsError(error, operation, name, 1);
      }
    }
  }

  /** Creates the secret with this deployment's labels; ALREADY_EXISTS is rethrown untouched. */
  private async createSecret(secretId: string, name: string): Promise<void> {
    const ownLabels = { [DEPLOYMENT_LABEL]: toLabelValue(this.context.deploymentId), [SECRET_ID_LABEL]: toLabelValue(secretId) };
    await this.call("CreateSecret", name, () => this.client.createSecret(this.settings.projectId, gcpSecretId(secretId), ownLabels), isAlreadyExists);
  }

  private async readLabels(name: string): Promise<Record<string, string> | undefined> {
    try {
      return await this.call("GetSecret", name, () => this.client.getSecretLabels(name));
    } catch (error) {
      if (isAbsent(error)) return undefined;
      throw error;
    }
  }

  /**
   * Adds the new version (versions are numbered 1, 2, … per secret) and answers its number.
   * Unversioned, it then destroys the one before it; when the add needed retries an answer may
   * have been lost after the service added a version, so every enabled version older than the
   * new one is destroyed instead. Versioned, the enabled versions older than the `keep` newest
   * earlier ones are destroyed; while the new version's number shows there cannot be more than
   * `keep` earlier ones, nothing is listed.
   */
  private async addVersion(name: string, data: Uint8Array, versioned: VersionedWrite | undefined): Promise<AddedVersion> {
    let attempts = 0;
    const answer = await this.call("AddSecretVersion", name, () => {
      attempts += 1;
      return this.client.addSecretVersion(name, data);
    });
    const added = versionNumberOf(answer.name);
    const result: AddedVersion = { number: added, createTime: answer.createTime };
    const keep = versioned ? Math.max(0, versioned.keep) : 0;
    if (!versioned && attempts === 1) {
      if (added > 1) await this.destroyVersion(versionResourceName(name, added - 1));
      return result;
    }
    if (versioned && added - 1 <= keep) return result;
    let enabled: string[];
    try {
      enabled = await this.call("ListSecretVersions", name, () => this.client.listEnabledVersions(name));
    } catch (error) {
      // Deleted meanwhile: nothing left to destroy.
      if (isAbsent(error)) return result;
      throw error;
    }
    const older = enabled
      .map(versionNumberOf)
      .filter((n) => n < added)
      .sort((a, b) => b - a);
    for (const version of older.slice(keep)) await this.destroyVersion(versionResourceName(name, version));
    return result;
  }

  /** A version's createTime, or `undefined` when the secret or the version is gone. */
  private async versionCreateTime(name: string, version: number): Promise<string | undefined> {
    try {
      return await this.call("GetSecretVersion", name, () => this.client.getVersionCreateTime(name, version));
    } catch (error) {
      if (isAbsent(error)) return undefined;
      throw error;
    }
  }

  /**
   * Destroys a superseded version. Already gone or destroyed is fine. The new value is in
   * place by now, so a transient failure only leaves the old version enabled: it is logged,
   * not thrown; a permission problem is thrown, since every update would leave one behind.
   */
  private async destroyVersion(versionName: string): Promise<void> {
    try {
      await this.call("DestroySecretVersion", versionName, () => this.client.destroySecretVersion(versionName), isAbsentOrNotEnabled);
    } catch (error) {
      if (isAbsentOrNotEnabled(error)) return;
      if (isZsError(error) && error.code === "BACKEND_UNAVAILABLE") {
        this.context.logger.warn(
          { store: "gcp", operation: "DestroySecretVersion", resource: versionName, grpcCode: error.details?.grpcCode },
          "superseded secret version left enabled",
        );
        return;
      }
      throw error;
    }
  }

  private assertOwned(name: string, labels: Record<string, string>, action: "overwrite" | "delete"): void {
    const owner = labels[DEPLOYMENT_LABEL];
    if (owner === toLabelValue(this.context.deploymentId)) return;
    throw new ZsError(
      "CONFIGURATION_ERROR",
      `gcp: secret '${name}' belongs to ${owner ? `zs deployment ${owner}` : "something other than zs"}, ` +
        `not this deployment (${this.context.deploymentId}); refusing to ${action} it. Give this deployment its own project.`,
      { reason: "gcp_foreign_secret" },
    );
  }
}

/** A version just added: its number and createTime, which together name it for good. */
interface AddedVersion {
  number: number;
  createTime: string;
}

/** JSON text as UTF-8, or the gzip data as it is. */
function toPayload(encoded: EncodedJson): Uint8Array {
  return encoded.compressed ? encoded.data : Buffer.from(encoded.text, "utf8");
}

function fromPayload(data: Uint8Array): EncodedJson {
  return data[0] === GZIP_MAGIC[0] && data[1] === GZIP_MAGIC[1] ? { compressed: true, data } : { compressed: false, text: Buffer.from(data).toString("utf8") };
}

function isAbsentOrNotEnabled(error: unknown): boolean {
  return isAbsent(error) || isNotEnabled(error);
}
