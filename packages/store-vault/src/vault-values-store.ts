import {
  DEFAULT_RETRY_POLICY,
  ZsError,
  assertValuesFit,
  isZsError,
  silentLogger,
  type GetValuesOptions,
  type Logger,
  type PutValuesHint,
  type PutValuesResult,
  type RetryPolicy,
  type SecretValues,
  type SecretValuesStore,
  type ValueSizeLimit,
  type ValuesStoreCapabilities,
  type VersionedWrite,
} from "@zs/core";
import { callVault, isCasMismatch } from "./backend-errors.js";
import { DEPLOYMENT_TAG, MAX_VERSIONS_TAG, ownerOf, ownerTags, valuesOf } from "./object-format.js";
import type { VaultKvClient, VaultKvDocument, VaultKvWritten } from "./vault-kv-client.js";

/** zs's own limit (model.md's), as KV v2 takes far more. */
const VAULT_LIMIT: ValueSizeLimit = { store: "vault", maxBytes: 65536, holder: "the vault store" };

/**
 * A backendVersion of this store: `vault:<version>:<created_time>`. Version numbers restart at 1
 * when a path is deleted and written again; its `created_time` tells the versions apart.
 */
const BACKEND_VERSION = /^vault:([1-9]\d{0,15}):(.+)$/;

/** Settings of a `VaultValuesStore`. */
export interface VaultValuesStoreSettings {
  client: VaultKvClient;
  deploymentId: string;
  /** The KV v2 mount. */
  mountPoint: string;
  /** Shown in error messages. */
  address: string;
  /** How calls failing with 5xx, 429 or a lost connection are retried. @default DEFAULT_RETRY_POLICY of @zs/core */
  retry?: RetryPolicy;
  /** Gets a debug entry per retry. @default silent */
  logger?: Logger;
  /** Read-then-write rounds a put makes when check-and-set keeps failing. @default 3 */
  casAttempts?: number;
}

/**
 * Values kept in HashiCorp Vault's KV v2 engine: one secret per id at `<mount>/data/zs/<id>`,
 * whose data is exactly the values map, one field per key, and whose `custom_metadata` names
 * the owning deployment (`zs-deployment`) and the secret id (`zs-secret-id`). A path still in
 * the legacy envelope is read as well, and rewritten by the next put (see `object-format.ts`).
 *
 * Reads do not look at the owner (the path comes from a random id: only a cloned database
 * could point at another deployment's). Writes and deletes do, from the same read that gives
 * the version for check-and-set, and refuse another deployment's path. Writes are
 * check-and-set against that version; the tag is written after the data, since Vault cannot
 * write both in one call: a path whose data landed but whose tag did not names no owner, and
 * the next write adopts and tags it.
 *
 * Calls: get 1 (readData); put 2 (readData, writeData), plus writeMetadata when the path is
 * not tagged yet (a new or legacy path); hinted new 2 (writeData with check-and-set 0, which
 * only creates, then writeMetadata; on a conflict the checked put follows); delete 2
 * (readData, deleteMetadata).
 *
 * Versions (`versioned`): KV v2 keeps versions itself. A put given a `VersionedWrite` sets the
 * path's `max_versions` to `keep + 1` — before its data write, so that this very write prunes
 * by it (Vault removes versions beyond `max_versions` as it writes) — and records the value in
 * `custom_metadata` (`zs-max-versions`), so later puts skip that metadata write until the
 * retention changes. A version read is readData `?version=N`; a version Vault removed is a
 * plain 404. Vault keeps the larger of a path's and its mount's `max_versions`; the store never
 * reconfigures the mount.
 */
export class VaultValuesStore implements SecretValuesStore {
  readonly type = "vault";
  readonly capabilities: ValuesStoreCapabilities = { maxValueBytes: VAULT_LIMIT.maxBytes, versioned: true, compareAndSet: true };
  private readonly client: VaultKvClient;
  private readonly deploymentId: string;
  private readonly mountPoint: string;
  private readonly address: string;
  private readonly retry: RetryPolicy;
  private readonly logger: Logger;
  private readonly casAttempts: number;
  private closed = false;

  constructor(settings: VaultValuesStoreSettings) {
    this.client = settings.client;
    this.deploymentId = settings.deploymentId;
    this.mountPoint = settings.mountPoint;
    this.address = settings.address;
    this.retry = settings.retry ?? DEFAULT_RETRY_POLICY;
    this.logger = settings.logger ?? silentLogger;
    this.casAttempts = settings.casAttempts ?? 3;
  }

  async putValues(secretId: string, values: SecretValues, hint?: PutValuesHint, versioned?: VersionedWrite): Promise<PutValuesResult> {
    this.assertOpen();
    assertValuesFit(values, VAULT_LIMIT);
    const path = this.pathOf(secretId);
    const data = { ...values };
    // Vault's max_versions counts the current version too.
    const maxVersions = versioned ? Math.max(0, versioned.keep) + 1 : undefined;
    const result = (written: VaultKvWritten): PutValuesResult =>
      versioned ? { backendVersion: `vault:${written.version}:${written.createdTime}` } : {};
    // Check-and-set 0 writes only where no secret is, so a new id needs no read first; a path
    // taken after all (a retried write, another deployment's object) is the checked rounds'.
    if (hint?.isNew === true) {
      try {
        const written = await this.call("writeData", path, () => this.client.writeData(this.mountPoint, path, data, 0));
        // One version so far: the retention set after the write prunes nothing too early.
        await this.tag(path, secretId, null, maxVersions);
        return result(written);
      } catch (error) {
        if (!isCasMismatch(error)) throw error;
      }
    }
    for (let round = 1; round <= this.casAttempts; round++) {
      const current = await this.call("readData", path, () => this.client.readData(this.mountPoint, path));
      if (current) this.assertOwned(path, current, "overwrite");
      // The retention goes first where the path has versions, so that this write prunes by it.
      const retentionFirst = current !== undefined && maxVersions !== undefined && current.customMetadata?.[MAX_VERSIONS_TAG] !== String(maxVersions);
      if (retentionFirst) {
        await this.call("writeMetadata", path, () =>
          this.client.writeMetadata(this.mountPoint, path, this.ownTags(current.customMetadata, secretId, maxVersions), maxVersions),
        );
      }
      let written: VaultKvWritten;
      try {
        written = await this.call("writeData", path, () => this.client.writeData(this.mountPoint, path, data, current?.version ?? 0));
      } catch (error) {
        // Someone wrote between our read and our write (or a retried write already landed): read again.
        if (!isCasMismatch(error)) throw error;
        continue;
      }
      if (!retentionFirst && current?.customMetadata?.[DEPLOYMENT_TAG] !== this.deploymentId) {
        await this.tag(path, secretId, current?.customMetadata ?? null, maxVersions);
      }
      return result(written);
    }
    throw new ZsError(
      "BACKEND_UNAVAILABLE",
      `vault: ${this.mountPoint}/data/${path} kept changing during the write (check-and-set failed ${this.casAttempts} times).`,
    );
  }

  async getValues(secretId: string, options?: GetValuesOptions): Promise<SecretValues | undefined> {
    this.assertOpen();
    const path = this.pathOf(secretId);
    if (options && "backendVersion" in options) {
      // Another store's backendVersion (history kept across a migration) names nothing here.
      const match = BACKEND_VERSION.exec(options.backendVersion);
      if (!match) return undefined;
      const version = Number(match[1]);
      const found = await this.call("readData", path, () => this.client.readData(this.mountPoint, path, version));
      // Removed by max_versions, soft-deleted, or a version of a path deleted and written again since.
      if (!found?.data || found.createdTime !== match[2]) return undefined;
      return valuesOf(found);
    }
    const current = await this.call("readData", path, () => this.client.readData(this.mountPoint, path));
    return current ? valuesOf(current) : undefined;
  }

  async deleteValues(secretId: string): Promise<boolean> {
    this.assertOpen();
    const path = this.pathOf(secretId);
    const current = await this.call("readData", path, () => this.client.readData(this.mountPoint, path));
    // Nothing to read there (no path, or its current version soft-deleted): no values to delete.
    if (!current?.data) return false;
    this.assertOwned(path, current, "delete");
    await this.call("deleteMetadata", path, () => this.client.deleteMetadata(this.mountPoint, path));
    return true;
  }

  /** Reads a path no secret id can take: a 404 proves the address, token, policy and mount work. */
  async check(): Promise<void> {
    this.assertOpen();
    const path = "zs/.health-check";
    await this.call("readData", path, () => this.client.readData(this.mountPoint, path), { ...this.retry, maxAttempts: 1 });
  }

  async close(): Promise<void> {
    // node-vault keeps no connection of its own beyond Node's shared agent.
    this.closed = true;
  }

  private pathOf(secretId: string): string {
    return `zs/${secretId}`;
  }

  /** Refuses a path another deployment owns; one that names no owner is this deployment's to take. */
  private assertOwned(path: string, current: VaultKvDocument, action: "overwrite" | "delete"): void {
    const owner = ownerOf(current);
    if (owner === undefined || owner === this.deploymentId) return;
    throw new ZsError(
      "CONFIGURATION_ERROR",
      `vault: ${this.mountPoint}/data/${path} belongs to another zs deployment (its '${DEPLOYMENT_TAG}' is ${owner}, not ${this.deploymentId}); ` +
        `refusing to ${action} it. Two deployments share this mount and a secret id; give one of them another mount_point.`,
    );
  }

  /**
   * Tags the path for this deployment, after its data was written. The values are in place by
   * then, so a backend failure is logged, not thrown: the path names no owner until the next
   * write tags it. A refusal (permissions) is thrown, since every write would leave it untagged.
   */
  private async tag(path: string, secretId: string, existing: Record<string, string> | null, maxVersions: number | undefined): Promise<void> {
    try {
      await this.call("writeMetadata", path, () =>
        this.client.writeMetadata(this.mountPoint, path, this.ownTags(existing, secretId, maxVersions), maxVersions),
      );
    } catch (error) {
      if (!isZsError(error) || error.code !== "BACKEND_UNAVAILABLE") throw error;
      this.logger.warn({ store: "vault", operation: "writeMetadata", objectName: `${this.mountPoint}/metadata/${path}` }, "values written, deployment tag not");
    }
  }

  /** `custom_metadata` tagging the path for this deployment, with the retention set alongside when there is one. */
  private ownTags(existing: Record<string, string> | null, secretId: string, maxVersions: number | undefined): Record<string, string> {
    const tags = ownerTags(existing, this.deploymentId, secretId);
    return maxVersions === undefined ? tags : { ...tags, [MAX_VERSIONS_TAG]: String(maxVersions) };
  }

  private assertOpen(): void {
    if (this.closed) throw new ZsError("INTERNAL", "vault: the store is closed.");
  }

  /** Runs one Vault call through the shared retry, mapping failures to `ZsError`. */
  private call<T>(operation: string, path: string, run: () => Promise<T>, retry: RetryPolicy = this.retry): Promise<T> {
    return callVault(operation, { mountPoint: this.mountPoint, path, address: this.address }, retry, this.logger, run);
  }
}
