import type { SecretValues } from "../secrets/secret-schema.js";
import {
  silentLogger,
  type GetValuesHint,
  type Logger,
  type PutValuesHint,
  type PutValuesResult,
  type SecretValuesStore,
  type VersionedWrite,
} from "../stores/values-store.js";
import type { BackupMarks } from "./replication-repository.js";
import { callStore, failureKind, type StoreCallObserver, type StoreOperation, type StoreCallWatch } from "./store-call.js";

/** The stores a deployment's values live in besides the primary. */
export interface ValuesPlacementOptions {
  /** A second store every write is copied to and reads fall back to (stores.md). @default none */
  backup?: SecretValuesStore | undefined;
  /** Told of every backup failure and copy-back, never of a value. @default silent */
  logger?: Logger;
  /**
   * The database's values store record as this process found it when it opened (the text):
   * every write first checks it is still so, and refuses once a migration moved the values
   * elsewhere. @default no check
   */
  valuesStoreRecord?: string | undefined;
}

/**
 * Where a secret's values are kept: the primary values store, and the backup store when one is
 * configured. Writes go to the primary, then to the backup; a backup that fails never fails
 * the write, it is marked for the repair pass instead. Reads fall back to the backup when the
 * primary fails or lacks the values, and copy what they find there back into the primary.
 */
export class ValuesPlacement {
  readonly backup: SecretValuesStore | undefined;
  /**
   * The store a migration in this process is copying to: writes go there too (a failure there
   * only means the migration copies that secret again). @default none
   */
  mirror: SecretValuesStore | undefined;
  /** The values store record this process writes under (`ValuesPlacementOptions.valuesStoreRecord`). */
  valuesStoreRecord: string | undefined;
  /**
   * Told of every call this placement (and the backup repair over it) makes to a values store:
   * the store's type, the operation, the outcome and the duration. Set by the server's metrics.
   * @default none
   */
  storeCallObserver: StoreCallObserver | undefined;
  private current: SecretValuesStore;
  private readonly logger: Logger;

  constructor(primary: SecretValuesStore, options: ValuesPlacementOptions = {}) {
    this.current = primary;
    this.backup = options.backup;
    this.valuesStoreRecord = options.valuesStoreRecord;
    this.logger = options.logger ?? silentLogger;
  }

  /** The values store: where values are read and written first. */
  get primary(): SecretValuesStore {
    return this.current;
  }

  /** Makes `store` the values store, under `record`: a migration's switch, in the process that made it. */
  switchPrimary(store: SecretValuesStore, record: string | undefined): void {
    if (this.mirror === store) this.mirror = undefined;
    this.current = store;
    this.valuesStoreRecord = record;
  }

  /**
   * Writes the primary (its failure fails the write), then the backup (its failure is marked in
   * `marks`). `versioned` goes to the primary alone, and only when it declares `versioned`: the
   * backup and a migration's target keep the current values only. Answers the primary's result.
   */
  async put(marks: BackupMarks, secretId: string, values: SecretValues, hint?: PutValuesHint, versioned?: VersionedWrite): Promise<PutValuesResult> {
    const primary = this.primary;
    const keepsVersions = versioned !== undefined && primary.capabilities.versioned === true;
    const result = await callStore(
      primary,
      () => (keepsVersions ? primary.putValues(secretId, values, hint, versioned) : primary.putValues(secretId, values, hint)),
      this.watch("put"),
    );
    await this.toMirror("write", (mirror) => mirror.putValues(secretId, values));
    const answer: PutValuesResult = result && result.backendVersion !== undefined ? { backendVersion: result.backendVersion } : {};
    const backup = this.backup;
    if (!backup) return answer;
    try {
      await callStore(backup, () => backup.putValues(secretId, values, hint), this.watch("put"));
    } catch (error) {
      this.logger.warn({ secretId, store: backup.type, failure: failureKind(error) }, "backup store write failed; marked for repair");
      await marks.markBackupPending(secretId);
    }
    return answer;
  }

  /**
   * The values the primary kept under `backendVersion` (a versioned store's earlier values),
   * `undefined` once pruned. The backup keeps no versions, so it is not asked.
   */
  async getVersion(secretId: string, backendVersion: string): Promise<SecretValues | undefined> {
    const primary = this.primary;
    return callStore(primary, () => primary.getValues(secretId, { backendVersion }), this.watch("get"));
  }

  /** The values from the primary, else from the backup (then copied back into the primary); `undefined` when neither has them. */
  async get(secretId: string, hint?: GetValuesHint): Promise<SecretValues | undefined> {
    let primaryFailure: unknown;
    try {
      const values = await callStore(this.primary, () => this.primary.getValues(secretId, hint), this.watch("get"));
      if (values !== undefined || !this.backup) return values;
    } catch (error) {
      if (!this.backup) throw error;
      primaryFailure = error;
    }
    const backup = this.backup;
    let values: SecretValues | undefined;
    try {
      values = await callStore(backup, () => backup.getValues(secretId), this.watch("get"));
    } catch (error) {
      if (primaryFailure !== undefined) throw primaryFailure;
      throw error;
    }
    if (values === undefined) {
      if (primaryFailure !== undefined) throw primaryFailure;
      return undefined;
    }
    this.logger.warn({ secretId, store: backup.type, primaryFailed: primaryFailure !== undefined }, "values read from the backup store");
    await this.copyBack(secretId, values);
    return values;
  }

  /** Deletes from the primary (its failure fails the delete), then from the backup (its failure is marked in `marks`). */
  async delete(marks: BackupMarks, secretId: string): Promise<void> {
    await callStore(this.primary, () => this.primary.deleteValues(secretId), this.watch("delete"));
    await this.toMirror("delete", (mirror) => mirror.deleteValues(secretId));
    const backup = this.backup;
    if (!backup) return;
    try {
      await callStore(backup, () => backup.deleteValues(secretId), this.watch("delete"));
    } catch (error) {
      this.logger.warn({ secretId, store: backup.type, failure: failureKind(error) }, "backup store delete failed; marked for repair");
      await marks.markBackupDeletePending(secretId);
    }
  }

  /** Releases both stores; calling it twice is harmless. */
  async close(): Promise<void> {
    await this.primary.close?.();
    await this.backup?.close?.();
  }

  /** The operation `operation` of a store call, for `storeCallObserver`. */
  watch(operation: StoreOperation): StoreCallWatch | undefined {
    return this.storeCallObserver ? { operation, observer: this.storeCallObserver } : undefined;
  }

  private async toMirror(action: string, call: (mirror: SecretValuesStore) => Promise<unknown>): Promise<void> {
    const mirror = this.mirror;
    if (!mirror) return;
    try {
      await callStore(mirror, () => call(mirror));
    } catch (error) {
      this.logger.warn({ store: mirror.type, failure: failureKind(error) }, `migration target ${action} failed; the migration copies the secret again`);
    }
  }

  private async copyBack(secretId: string, values: SecretValues): Promise<void> {
    try {
      await callStore(this.primary, () => this.primary.putValues(secretId, values), this.watch("put"));
      this.logger.info({ secretId, store: this.primary.type }, "values copied back from the backup store into the primary");
    } catch (error) {
      this.logger.warn({ secretId, store: this.primary.type, failure: failureKind(error) }, "copying values back into the primary failed");
    }
  }
}
