import type { Caller } from "../accounts/caller.js";
import { ZsError } from "../errors.js";
import { DEFAULT_HISTORY_MAX_VERSIONS } from "../history/retention.js";
import { silentLogger, type Logger, type SecretValuesStore } from "../stores/values-store.js";
import type { ReplicationRepository, SecretVersion } from "./replication-repository.js";
import { callStore, failureKind } from "./store-call.js";
import { copySecretValues, type CopySummary } from "./values-copy.js";
import type { ValuesPlacement } from "./values-placement.js";

/** The backup store as `zs secret backup --status` shows it. */
export interface BackupStatus {
  /** The backup store's type; `null` when none is configured. */
  type: string | null;
  /** Secrets whose values the backup still has to receive, or to lose (deleted ones). */
  pending: number;
}

/** What a whole-store copy may be told. */
export interface CopyRunOptions {
  /** Secrets copied at once. @default 8 */
  concurrency?: number;
  onProgress?(done: number, total: number): void;
}

/** What one repair pass did. */
export interface RepairOutcome {
  repaired: number;
  /** Still pending afterwards (the backup failed again, or the primary lacks the values). */
  remaining: number;
}

/** Secrets read per page when listing them all, and pending ones per repair batch. */
const PAGE_SIZE = 1000;
const REPAIR_BATCH = 100;

/** Every secret's id and version, page by page. */
export async function allSecretVersions(repository: ReplicationRepository): Promise<SecretVersion[]> {
  const all: SecretVersion[] = [];
  for (let page = await repository.secretVersions(undefined, PAGE_SIZE); page.length > 0; ) {
    all.push(...page);
    if (page.length < PAGE_SIZE) break;
    page = await repository.secretVersions(page[page.length - 1]!.id, PAGE_SIZE);
  }
  return all;
}

/**
 * The backup store's operations (stores.md): its status, a full backup, a restore into the
 * primary, and the repair pass that brings the backup up to date with what failed to reach it.
 */
export class BackupService {
  private readonly logger: Logger;

  constructor(
    private readonly placement: ValuesPlacement,
    private readonly repository: ReplicationRepository,
    logger?: Logger,
    /** `ZS_HISTORY_MAX_VERSIONS`: the earlier value versions a versioned primary keeps of each secret. */
    private readonly historyMaxVersions = DEFAULT_HISTORY_MAX_VERSIONS,
  ) {
    this.logger = logger ?? silentLogger;
  }

  async status(caller: Caller): Promise<BackupStatus> {
    assertAdmin(caller, "see the backup status");
    return { type: this.placement.backup?.type ?? null, pending: await this.repository.countBackupPending() };
  }

  /**
   * Secrets whose values the backup still has to receive, or to lose: the `pending` of
   * `status`, for metrics (one SQL statement; no caller, so no route may answer it).
   */
  pendingCount(): Promise<number> {
    return this.repository.countBackupPending();
  }

  /** Copies every secret's values to the backup store (verified), after the deletes it still owes. */
  async backup(caller: Caller, options: CopyRunOptions = {}): Promise<CopySummary> {
    assertAdmin(caller, "back up secrets");
    const backup = this.requireBackup("zs secret backup");
    await this.repairDeletes(backup);
    return copySecretValues(this.placement.primary, backup, await allSecretVersions(this.repository), {
      mode: "overwrite",
      ...options,
      onVerified: (secret) => this.repository.clearBackupPending(secret.id, secret.version),
    });
  }

  /**
   * Copies values from the backup store into the primary: where the primary lacks them, or
   * every one with `overwrite`. Into a versioned primary each is written as the version that
   * wrote those values, and history then names what the primary kept of it: a store that
   * replaces an object's version (gcp) would otherwise leave history naming a destroyed one.
   */
  async restore(caller: Caller, options: CopyRunOptions & { overwrite?: boolean } = {}): Promise<CopySummary> {
    assertAdmin(caller, "restore secrets");
    const backup = this.requireBackup("zs secret restore");
    return copySecretValues(backup, this.placement.primary, await allSecretVersions(this.repository), {
      mode: options.overwrite ? "overwrite" : "missing",
      ...options,
      versions: { keep: this.historyMaxVersions, plan: (secretId) => this.repository.valuesWrites(secretId, 1) },
      onVerified: async (secret) => {
        if (secret.writtenVersions?.length) await this.repository.recordBackendVersions(secret.id, secret.writtenVersions);
      },
    });
  }

  /**
   * Copies the values of every secret marked `backup_pending` to the backup and deletes there
   * what was deleted meanwhile. It stops at the first failure of the backup store (it is most
   * likely down; the next pass tries again).
   */
  async repair(): Promise<RepairOutcome> {
    const backup = this.placement.backup;
    if (!backup) return { repaired: 0, remaining: 0 };
    let repaired = await this.repairDeletes(backup);
    const seen = new Set<string>();
    try {
      for (;;) {
        const batch = (await this.repository.pendingBackupWrites(REPAIR_BATCH)).filter((secret) => !seen.has(secret.id));
        if (batch.length === 0) break;
        for (const secret of batch) {
          seen.add(secret.id);
          const primary = this.placement.primary;
          const values = await callStore(primary, () => primary.getValues(secret.id), this.placement.watch("get"));
          if (values === undefined) {
            this.logger.warn({ secretId: secret.id, store: primary.type }, "backup repair: the primary has no values for this secret");
            continue;
          }
          await callStore(backup, () => backup.putValues(secret.id, values), this.placement.watch("put"));
          await this.repository.clearBackupPending(secret.id, secret.version);
          repaired++;
        }
      }
    } catch (error) {
      this.logger.warn({ store: backup.type, failure: failureKind(error) }, "backup repair stopped; the next pass tries again");
    }
    const remaining = await this.repository.countBackupPending();
    if (repaired > 0 || remaining > 0) this.logger.info({ repaired, remaining }, "backup repair pass");
    return { repaired, remaining };
  }

  /** Deletes from the backup the values of secrets deleted while it failed; how many it deleted. */
  private async repairDeletes(backup: SecretValuesStore): Promise<number> {
    let deleted = 0;
    try {
      for (let batch = await this.repository.pendingBackupDeletes(REPAIR_BATCH); batch.length > 0; ) {
        for (const secretId of batch) {
          await callStore(backup, () => backup.deleteValues(secretId), this.placement.watch("delete"));
          await this.repository.clearBackupDelete(secretId);
          deleted++;
        }
        batch = await this.repository.pendingBackupDeletes(REPAIR_BATCH);
      }
    } catch (error) {
      this.logger.warn({ store: backup.type, failure: failureKind(error) }, "backup repair of deletes stopped; the next pass tries again");
    }
    return deleted;
  }

  private requireBackup(command: string): SecretValuesStore {
    const backup = this.placement.backup;
    if (!backup) {
      throw new ZsError("VALIDATION_ERROR", `${command} needs a backup store, and none is configured: set ZS_BACKUP_SECRETS_STORE_TYPE (and its options).`);
    }
    return backup;
  }
}

function assertAdmin(caller: Caller, action: string): void {
  if (!caller.isAdmin) throw new ZsError("FORBIDDEN", `Only admins may ${action}.`);
}
