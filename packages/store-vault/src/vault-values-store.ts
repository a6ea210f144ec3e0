import {
  DEFAULT_RETRY_POLICY,
  ZsError,
  assertValuesFit,
  isValuesMap,
  silentLogger,
  type Logger,
  type PutValuesHint,
  type RetryPolicy,
  type SecretValues,
  type SecretValuesStore,
  type ValueSizeLimit,
  type ValuesStoreCapabilities,
} from "@zs/core";
import { callVault, isCasMismatch } from "./backend-errors.js";
import type { VaultKvClient, VaultKvDocument } from "./vault-kv-client.js";

/** The KV data key holding the deployment tag. */
export const DEPLOYMENT_TAG = "zs-deployment";
/** The KV data key holding the values map, as one JSON string. */
export const VALUES_FIELD = "values";
/** zs's own limit (model.md's), as KV v2 takes far more. */
const VAULT_LIMIT: ValueSizeLimit = { store: "vault", maxBytes: 65536, holder: "the vault store" };

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
 * Values kept in HashiCorp Vault's KV v2 engine: one secret per id at
 * `<mount>/data/zs/<id>`, whose data is `{ values: "<JSON of the map>", "zs-deployment": <id> }`.
 * Writes are check-and-set against the version just read; an object tagged with another
 * deployment is treated as absent and never overwritten. Calls: get 1 (readData); put 2
 * (readData, writeData), or 1 when hinted new (writeData with check-and-set 0, which only
 * creates: on a conflict the 2 follow); delete 2 (readData, deleteMetadata).
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

  async putValues(secretId: string, values: SecretValues, hint?: PutValuesHint): Promise<void> {
    this.assertOpen();
    assertValuesFit(values, VAULT_LIMIT);
    const path = this.pathOf(secretId);
    const data = { [VALUES_FIELD]: JSON.stringify(values), [DEPLOYMENT_TAG]: this.deploymentId };
    // Check-and-set 0 writes only where no secret is, so a new id needs no read first; a path
    // taken after all (a retried write, another deployment's object) is the checked rounds'.
    if (hint?.isNew === true) {
      try {
        await this.call("writeData", path, () => this.client.writeData(this.mountPoint, path, data, 0));
        return;
      } catch (error) {
        if (!isCasMismatch(error)) throw error;
      }
    }
    for (let round = 1; round <= this.casAttempts; round++) {
      const current = await this.call("readData", path, () => this.client.readData(this.mountPoint, path));
      if (current?.data && !this.isOurs(current)) {
        throw new ZsError(
          "CONFIGURATION_ERROR",
          `vault: ${this.mountPoint}/data/${path} belongs to another zs deployment (its '${DEPLOYMENT_TAG}' is not ${this.deploymentId}); ` +
            "refusing to overwrite it. Two deployments share this mount and a secret id; give one of them another mount_point.",
        );
      }
      try {
        await this.call("writeData", path, () => this.client.writeData(this.mountPoint, path, data, current?.version ?? 0));
        return;
      } catch (error) {
        // Someone wrote between our read and our write (or a retried write already landed): read again.
        if (!isCasMismatch(error)) throw error;
      }
    }
    throw new ZsError(
      "BACKEND_UNAVAILABLE",
      `vault: ${this.mountPoint}/data/${path} kept changing during the write (check-and-set failed ${this.casAttempts} times).`,
    );
  }

  async getValues(secretId: string): Promise<SecretValues | undefined> {
    this.assertOpen();
    const path = this.pathOf(secretId);
    const current = await this.call("readData", path, () => this.client.readData(this.mountPoint, path));
    if (!current?.data || !this.isOurs(current)) return undefined;
    return this.parseValues(current.data, path);
  }

  async deleteValues(secretId: string): Promise<boolean> {
    this.assertOpen();
    const path = this.pathOf(secretId);
    const current = await this.call("readData", path, () => this.client.readData(this.mountPoint, path));
    if (!current?.data || !this.isOurs(current)) return false;
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

  private isOurs(document: VaultKvDocument): boolean {
    return document.data?.[DEPLOYMENT_TAG] === this.deploymentId;
  }

  private parseValues(data: Record<string, unknown>, path: string): SecretValues {
    const raw = data[VALUES_FIELD];
    let parsed: unknown;
    try {
      parsed = typeof raw === "string" ? JSON.parse(raw) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!isValuesMap(parsed)) {
      throw new ZsError("INTERNAL", `vault: ${this.mountPoint}/data/${path} carries this deployment's tag but its '${VALUES_FIELD}' is not a JSON object of strings.`);
    }
    return parsed;
  }

  private assertOpen(): void {
    if (this.closed) throw new ZsError("INTERNAL", "vault: the store is closed.");
  }

  /** Runs one Vault call through the shared retry, mapping failures to `ZsError`. */
  private call<T>(operation: string, path: string, run: () => Promise<T>, retry: RetryPolicy = this.retry): Promise<T> {
    return callVault(operation, { mountPoint: this.mountPoint, path, address: this.address }, retry, this.logger, run);
  }
}
