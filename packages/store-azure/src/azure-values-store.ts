import {
  ZsError,
  backendCaller,
  isZsError,
  runHealthCheck,
  type BackendCaller,
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
import type { AzureSecret, AzureSecretsClient } from "./azure-secrets-client.js";
import { azureErrors, isAbsent, isDeletedButRecoverable, isDisabledVersion, toZsError } from "./backend-errors.js";
import { decodeValues, encodeValues } from "./value-codec.js";

/** Key Vault's limit on one secret value: 25 KB (the service counts 25600 characters; bytes are never fewer). */
export const AZURE_MAX_SECRET_BYTES = 25600;
/** Key Vault takes text only: a compressed values map goes base64-encoded, and that text must fit. */
const AZURE_FORMAT: StoredJsonFormat = {
  store: "azure",
  maxBytes: AZURE_MAX_SECRET_BYTES,
  holder: "one Key Vault secret",
  documentedAs: "25 KB",
  compressedAs: "base64",
};
/** The tag naming the zs deployment that owns a secret. */
export const DEPLOYMENT_TAG = "zs-deployment";
/** The tag naming the zs secret id a secret holds. */
export const SECRET_ID_TAG = "zs-secret-id";

/** Marks a backendVersion as this store's: `azure:<version id>`. */
const BACKEND_VERSION_PREFIX = "azure:";
/** The tags listing the version ids a secret keeps readable, newest first: `zs-kept-0`, `zs-kept-1`, … */
const KEPT_TAG_PREFIX = "zs-kept-";
/** Version ids (32 hex digits) per kept-list tag: a tag value holds at most 256 characters. */
const IDS_PER_TAG = 7;
/** Key Vault allows 15 tags per secret version; `zs-deployment` and `zs-secret-id` take 2. */
const KEPT_TAGS = 13;
/** Earlier versions a secret keeps enabled at most, whatever the retention asks: what the kept-list tags can hold. */
export const AZURE_MAX_KEPT_VERSIONS = KEPT_TAGS * IDS_PER_TAG;
const VERSION_ID = /^[0-9a-f]{32}$/;

/** What the store needs besides its SDK client. */
export interface AzureValuesStoreSettings {
  /** Purge a secret after soft-deleting it; else it stays recoverable for the vault's retention period. */
  purgeOnDelete: boolean;
  retry?: RetryPolicy;
}

/**
 * Values in Azure Key Vault: secret `zs-<secret id>` tagged with the deployment and the
 * secret id, whose value is exactly the values map as JSON (gzipped when escaping pushes it
 * past 25 KB), so `az keyvault secret show` and External Secrets read it directly.
 * Key Vault names are case-insensitive; ids are UUIDs, so names never collide by case.
 *
 * Reads do not look at the tags (they come with the value, but a read destroys nothing, and
 * every cloud store reads alike); every write and delete checks them first and refuses
 * another deployment's secret.
 *
 * Calls per operation, plus retries: get 1 (GetSecret, which returns the tags too); put 2
 * (GetSecret for ownership, then SetSecret); delete 4 with `purgeOnDelete` (GetSecret,
 * DeleteSecret, GetDeletedSecret — the SDK's delete poller, once when the service is quick —
 * then PurgeDeletedSecret), 3 without; delete of an absent id 2 with `purgeOnDelete`
 * (GetSecret, GetDeletedSecret: a deletion that was interrupted before its purge is finished).
 * A put meeting a soft-deleted secret of its own adds GetDeletedSecret, PurgeDeletedSecret (or
 * RecoverDeletedSecret) and one more SetSecret.
 *
 * Versions (`versioned`): every SetSecret makes a Key Vault version, and versions cannot be
 * deleted, only disabled. Each version zs writes lists, in its `zs-kept-<n>` tags, the ids of
 * the earlier versions still kept, newest first; a versioned put reads that list from the
 * version it supersedes (the GetSecret it makes for ownership anyway), keeps the newest `keep`
 * with the superseded version first, and disables the rest (UpdateSecretProperties, usually
 * one). A version read is GetSecret of that version; a disabled one reads as absent. A put
 * without `VersionedWrite` carries the list forward, the superseded version added, and
 * disables nothing but what the tags cannot hold (`AZURE_MAX_KEPT_VERSIONS`).
 */
export class AzureValuesStore implements SecretValuesStore {
  readonly type = "azure";
  readonly capabilities: ValuesStoreCapabilities = { maxValueBytes: AZURE_MAX_SECRET_BYTES, versioned: true };
  private readonly call: BackendCaller;
  private closed = false;

  constructor(
    private readonly client: AzureSecretsClient,
    private readonly context: StoreContext,
    private readonly settings: AzureValuesStoreSettings,
  ) {
    this.call = backendCaller(azureErrors, { policy: settings.retry, logger: context.logger });
  }

  /** The Key Vault secret name of a zs secret id. */
  secretName(secretId: string): string {
    return `zs-${secretId}`;
  }

  async putValues(secretId: string, values: SecretValues, _hint?: PutValuesHint, versioned?: VersionedWrite): Promise<PutValuesResult> {
    const encoded = await encodeValues(values, AZURE_FORMAT);
    const name = this.secretName(secretId);
    const existing = await this.readSecret(name);
    if (existing) this.assertOwned(name, existing.tags, "overwrite");
    // The superseded version, then the ones it kept: newest first, without repeats.
    const earlier = existing ? [...new Set([existing.version, ...keptVersionsOf(existing.tags)])].filter((v) => VERSION_ID.test(v)) : [];
    const keep = Math.min(versioned ? Math.max(0, versioned.keep) : AZURE_MAX_KEPT_VERSIONS, AZURE_MAX_KEPT_VERSIONS);
    const kept = earlier.slice(0, keep);
    const tags = { [DEPLOYMENT_TAG]: this.context.deploymentId, [SECRET_ID_TAG]: secretId, ...keptTags(kept) };
    const set = () => this.call("SetSecret", name, () => this.client.setSecret(name, encoded.value, encoded.contentType, tags), isDeletedButRecoverable);
    let version: string;
    try {
      version = await set();
    } catch (error) {
      if (isZsError(error) || !isDeletedButRecoverable(error)) throw error;
      // A soft-deleted secret holds the name: an interrupted delete of ours, or someone else's.
      await this.releaseDeletedName(name);
      try {
        version = await set();
      } catch (retryError) {
        throw isZsError(retryError) ? retryError : toZsError(retryError, "SetSecret", name, 1);
      }
    }
    for (const pruned of earlier.slice(keep)) await this.disableVersion(name, pruned);
    return versioned ? { backendVersion: `${BACKEND_VERSION_PREFIX}${version}` } : {};
  }

  async getValues(secretId: string, options?: GetValuesOptions): Promise<SecretValues | undefined> {
    const name = this.secretName(secretId);
    if (options && "backendVersion" in options) {
      // Another store's backendVersion (history kept across a migration) names nothing here.
      const version = options.backendVersion.startsWith(BACKEND_VERSION_PREFIX) ? options.backendVersion.slice(BACKEND_VERSION_PREFIX.length) : "";
      if (!VERSION_ID.test(version)) return undefined;
      const secret = await this.readSecret(name, version);
      return secret ? decodeValues(secret) : undefined;
    }
    const secret = await this.readSecret(name);
    // A value zs did not write reads as absent.
    return secret ? decodeValues(secret) : undefined;
  }

  async deleteValues(secretId: string): Promise<boolean> {
    const name = this.secretName(secretId);
    const secret = await this.readSecret(name);
    if (!secret) {
      if (this.settings.purgeOnDelete) await this.purgeOwnDeleted(name);
      return false;
    }
    this.assertOwned(name, secret.tags, "delete");
    try {
      await this.call("DeleteSecret", name, () => this.client.deleteSecret(name));
    } catch (error) {
      // Gone already: a concurrent delete, or an attempt whose answer was lost. Either way it is deleted.
      if (!isAbsent(error)) throw error;
    }
    if (this.settings.purgeOnDelete) await this.purge(name);
    return true;
  }

  /** Reads a secret that does not exist: proves the vault URL, the credential and the permissions answer. */
  async check(): Promise<void> {
    await runHealthCheck("azure", () => this.readSecret(this.secretName("health-check")));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client.close();
  }

  /** The latest version, or `version`; `undefined` when absent, or when that version is disabled. */
  private async readSecret(name: string, version?: string): Promise<AzureSecret | undefined> {
    const gone = (error: unknown) => isAbsent(error) || (version !== undefined && isDisabledVersion(error));
    try {
      return await this.call("GetSecret", name, () => this.client.getSecret(name, version), gone);
    } catch (error) {
      if (gone(error)) return undefined;
      throw error;
    }
  }

  /**
   * Disables a version beyond the retention. The new value is in place by then, so a transient
   * failure only leaves the old version readable a little longer: it is logged, not thrown (and
   * no later put lists it again); a refusal (permissions) is thrown, since every put would leave one.
   */
  private async disableVersion(name: string, version: string): Promise<void> {
    try {
      await this.call("UpdateSecretProperties", name, () => this.client.disableVersion(name, version));
    } catch (error) {
      if (isAbsent(error)) return;
      if (isZsError(error) && error.code === "BACKEND_UNAVAILABLE") {
        this.context.logger.warn({ store: "azure", operation: "UpdateSecretProperties", objectName: name, version }, "superseded secret version left enabled");
        return;
      }
      throw error;
    }
  }

  private async readDeletedTags(name: string): Promise<Record<string, string> | undefined> {
    try {
      return (await this.call("GetDeletedSecret", name, () => this.client.getDeletedSecret(name))).tags;
    } catch (error) {
      if (isAbsent(error)) return undefined;
      throw error;
    }
  }

  /** Purges the soft-deleted secret under `name` if this deployment owns it. */
  private async purgeOwnDeleted(name: string): Promise<void> {
    const tags = await this.readDeletedTags(name);
    if (!tags || !this.isOwned(tags)) return;
    await this.purge(name);
  }

  private async purge(name: string): Promise<void> {
    try {
      await this.call("PurgeDeletedSecret", name, () => this.client.purgeDeletedSecret(name));
    } catch (error) {
      if (!isAbsent(error)) throw error;
    }
  }

  /** Frees a name held by a soft-deleted secret of this deployment: purged, or recovered when purging is off. */
  private async releaseDeletedName(name: string): Promise<void> {
    const tags = await this.readDeletedTags(name);
    // Purged or recovered meanwhile: the next SetSecret will tell.
    if (!tags) return;
    this.assertOwned(name, tags, "overwrite", "is soft-deleted but still exists and ");
    if (this.settings.purgeOnDelete) {
      await this.purge(name);
    } else {
      await this.call("RecoverDeletedSecret", name, () => this.client.recoverDeletedSecret(name));
    }
  }

  private isOwned(tags: Record<string, string>): boolean {
    return tags[DEPLOYMENT_TAG] === this.context.deploymentId;
  }

  private assertOwned(name: string, tags: Record<string, string>, action: "overwrite" | "delete", state = ""): void {
    if (this.isOwned(tags)) return;
    const owner = tags[DEPLOYMENT_TAG];
    throw new ZsError(
      "CONFIGURATION_ERROR",
      `azure: secret '${name}' ${state}belongs to ${owner ? `zs deployment ${owner}` : "something other than zs"}, ` +
        `not this deployment (${this.context.deploymentId}); refusing to ${action} it. Give this deployment its own vault.`,
      { reason: "azure_foreign_secret" },
    );
  }
}

/** The version ids a version's `zs-kept-<n>` tags list, newest first. */
function keptVersionsOf(tags: Record<string, string>): string[] {
  const kept: string[] = [];
  for (let index = 0; index < KEPT_TAGS; index++) {
    const listed = tags[`${KEPT_TAG_PREFIX}${index}`];
    if (listed === undefined) break;
    kept.push(...listed.split(",").filter((id) => id !== ""));
  }
  return kept;
}

/** The `zs-kept-<n>` tags listing `kept` (newest first), `IDS_PER_TAG` ids a tag. */
function keptTags(kept: string[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (let index = 0; index * IDS_PER_TAG < kept.length; index++) {
    tags[`${KEPT_TAG_PREFIX}${index}`] = kept.slice(index * IDS_PER_TAG, (index + 1) * IDS_PER_TAG).join(",");
  }
  return tags;
}
