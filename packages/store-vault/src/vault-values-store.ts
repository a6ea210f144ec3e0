import { ZsError, secretSizeInBytes, type SecretValues, type SecretValuesStore, type ValuesStoreCapabilities } from "@zs/core";
import { VaultCallError, type VaultKvClient, type VaultKvDocument } from "./vault-kv-client.js";

/** The KV data key holding the deployment tag. */
export const DEPLOYMENT_TAG = "zs-deployment";
/** The KV data key holding the values map, as one JSON string. */
export const VALUES_FIELD = "values";

/** Settings of a `VaultValuesStore`. */
export interface VaultValuesStoreSettings {
  client: VaultKvClient;
  deploymentId: string;
  /** The KV v2 mount. */
  mountPoint: string;
  /** Shown in error messages. */
  address: string;
  /** Attempts per call on 5xx, 429 and lost connections. @default 4 */
  maxAttempts?: number;
  /** First backoff delay in ms; it doubles per attempt, with jitter, up to 1 s. @default 50 */
  baseDelayMs?: number;
  /** Read-then-write rounds a put makes when check-and-set keeps failing. @default 3 */
  casAttempts?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isRetryable(error: VaultCallError): boolean {
  // 412: Vault Enterprise performance standbys not yet caught up; 429: rate limited.
  return error.status === undefined || error.status >= 500 || error.status === 429 || error.status === 412;
}

function isCasMismatch(error: unknown): boolean {
  return error instanceof VaultCallError && error.status === 400 && error.reason.includes("check-and-set");
}

/**
 * Values kept in HashiCorp Vault's KV v2 engine: one secret per id at
 * `<mount>/data/zs/<id>`, whose data is `{ values: "<JSON of the map>", "zs-deployment": <id> }`.
 * Writes are check-and-set against the version just read; an object tagged with another
 * deployment is treated as absent and never overwritten.
 */
export class VaultValuesStore implements SecretValuesStore {
  readonly type = "vault";
  readonly capabilities: ValuesStoreCapabilities = { maxValueBytes: 65536, versioned: true, compareAndSet: true };
  private readonly client: VaultKvClient;
  private readonly deploymentId: string;
  private readonly mountPoint: string;
  private readonly address: string;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly casAttempts: number;
  private closed = false;

  constructor(settings: VaultValuesStoreSettings) {
    this.client = settings.client;
    this.deploymentId = settings.deploymentId;
    this.mountPoint = settings.mountPoint;
    this.address = settings.address;
    this.maxAttempts = settings.maxAttempts ?? 4;
    this.baseDelayMs = settings.baseDelayMs ?? 50;
    this.casAttempts = settings.casAttempts ?? 3;
  }

  async putValues(secretId: string, values: SecretValues): Promise<void> {
    this.assertOpen();
    const bytes = secretSizeInBytes(values);
    if (bytes > this.capabilities.maxValueBytes) {
      throw new ZsError(
        "SECRET_TOO_LARGE",
        `vault: the values of secret ${secretId} are ${bytes} bytes (keys and values, UTF-8); the limit is ${this.capabilities.maxValueBytes}.`,
      );
    }
    const path = this.pathOf(secretId);
    const data = { [VALUES_FIELD]: JSON.stringify(values), [DEPLOYMENT_TAG]: this.deploymentId };
    for (let round = 1; round <= this.casAttempts; round++) {
      const current = await this.call(path, () => this.client.readData(this.mountPoint, path));
      if (current?.data && !this.isOurs(current)) {
        throw new ZsError(
          "CONFIGURATION_ERROR",
          `vault: ${this.mountPoint}/data/${path} belongs to another zs deployment (its '${DEPLOYMENT_TAG}' is not ${this.deploymentId}); ` +
            "refusing to overwrite it. Two deployments share this mount and a secret id; give one of them another mount_point.",
        );
      }
      try {
        await this.call(path, () => this.client.writeData(this.mountPoint, path, data, current?.version ?? 0));
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
    const current = await this.call(path, () => this.client.readData(this.mountPoint, path));
    if (!current?.data || !this.isOurs(current)) return undefined;
    return this.parseValues(current.data, path);
  }

  async deleteValues(secretId: string): Promise<boolean> {
    this.assertOpen();
    const path = this.pathOf(secretId);
    const current = await this.call(path, () => this.client.readData(this.mountPoint, path));
    if (!current?.data || !this.isOurs(current)) return false;
    await this.call(path, () => this.client.deleteMetadata(this.mountPoint, path));
    return true;
  }

  /** Reads a path no secret id can take: a 404 proves the address, token, policy and mount work. */
  async check(): Promise<void> {
    this.assertOpen();
    const path = "zs/.health-check";
    await this.call(path, () => this.client.readData(this.mountPoint, path), 1);
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
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== "string")) {
      throw new ZsError("INTERNAL", `vault: ${this.mountPoint}/data/${path} carries this deployment's tag but its '${VALUES_FIELD}' is not a JSON object of strings.`);
    }
    return parsed as SecretValues;
  }

  private assertOpen(): void {
    if (this.closed) throw new ZsError("INTERNAL", "vault: the store is closed.");
  }

  /** Runs one Vault call with bounded exponential backoff and jitter, mapping failures to `ZsError`. */
  private async call<T>(path: string, run: () => Promise<T>, attempts = this.maxAttempts): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (error) {
        if (!(error instanceof VaultCallError)) throw error;
        if (isRetryable(error) && attempt < attempts) {
          const ceiling = Math.min(1000, this.baseDelayMs * 2 ** (attempt - 1));
          await sleep(ceiling / 2 + Math.random() * (ceiling / 2));
          continue;
        }
        throw this.toZsError(error, path, attempt);
      }
    }
  }

  private toZsError(error: VaultCallError, path: string, attempts: number): Error {
    const where = `${this.mountPoint}/data/${path} at ${this.address}`;
    if (isCasMismatch(error)) return error;
    if (isRetryable(error)) {
      return new ZsError("BACKEND_UNAVAILABLE", `vault: ${where} unavailable after ${attempts} attempt(s): ${error.message}.`);
    }
    if (error.status === 403 || error.status === 401) {
      return new ZsError(
        "CONFIGURATION_ERROR",
        `vault: permission denied on ${where}. Check vault_token (ZS_SECRETS_STORE_VAULT_TOKEN), vault_namespace, and that the token's ` +
          `policy grants create/read/update on "${this.mountPoint}/data/zs/*" and delete on "${this.mountPoint}/metadata/zs/*".`,
      );
    }
    if (error.status === 404) {
      return new ZsError(
        "CONFIGURATION_ERROR",
        `vault: ${error.reason || "not found"} (${where}). Is '${this.mountPoint}' a KV version 2 mount? Set mount_point (ZS_SECRETS_STORE_MOUNT_POINT).`,
      );
    }
    return new ZsError("INTERNAL", `vault: unexpected answer for ${where}: ${error.message}.`);
  }
}
