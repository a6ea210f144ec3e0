import {
  ZsError,
  backendCaller,
  isZsError,
  runHealthCheck,
  type BackendCaller,
  type RetryPolicy,
  type SecretValues,
  type SecretValuesStore,
  type StoreContext,
  type StoredJsonFormat,
} from "@zs/core";
import type { AzureSecret, AzureSecretsClient } from "./azure-secrets-client.js";
import { azureErrors, isAbsent, isDeletedButRecoverable, toZsError } from "./backend-errors.js";
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
 */
export class AzureValuesStore implements SecretValuesStore {
  readonly type = "azure";
  readonly capabilities = { maxValueBytes: AZURE_MAX_SECRET_BYTES };
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

  async putValues(secretId: string, values: SecretValues): Promise<void> {
    const encoded = await encodeValues(values, AZURE_FORMAT);
    const name = this.secretName(secretId);
    const existing = await this.readSecret(name);
    if (existing) this.assertOwned(name, existing.tags, "overwrite");
    const tags = { [DEPLOYMENT_TAG]: this.context.deploymentId, [SECRET_ID_TAG]: secretId };
    const set = () => this.call("SetSecret", name, () => this.client.setSecret(name, encoded.value, encoded.contentType, tags), isDeletedButRecoverable);
    try {
      await set();
    } catch (error) {
      if (isZsError(error) || !isDeletedButRecoverable(error)) throw error;
      // A soft-deleted secret holds the name: an interrupted delete of ours, or someone else's.
      await this.releaseDeletedName(name);
      try {
        await set();
      } catch (retryError) {
        throw isZsError(retryError) ? retryError : toZsError(retryError, "SetSecret", name, 1);
      }
    }
  }

  async getValues(secretId: string): Promise<SecretValues | undefined> {
    const secret = await this.readSecret(this.secretName(secretId));
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

  private async readSecret(name: string): Promise<AzureSecret | undefined> {
    try {
      return await this.call("GetSecret", name, () => this.client.getSecret(name));
    } catch (error) {
      if (isAbsent(error)) return undefined;
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
