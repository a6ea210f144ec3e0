import { randomUUID } from "node:crypto";
import type { Caller } from "../accounts/caller.js";
import type { StoreSetting } from "../config.js";
import { ZsError } from "../errors.js";
import { allSecretVersions } from "../replication/backup-service.js";
import type { CopiedSecret, ReplicationRepository, SecretVersion } from "../replication/replication-repository.js";
import { callStore, failureKind } from "../replication/store-call.js";
import { DEFAULT_COPY_CONCURRENCY, copySecretValues, type CopyFailure, type CopySummary, type VersionsToCopy } from "../replication/values-copy.js";
import type { ValuesPlacement } from "../replication/values-placement.js";
import { DEFAULT_HISTORY_MAX_VERSIONS } from "../history/retention.js";
import { forEachConcurrently } from "../run-concurrently.js";
import { silentLogger, type Logger, type SecretValuesStore } from "../stores/values-store.js";
import type { MigrationCounts, MigrationRepository, MigrationRow } from "./migration-repository.js";
import { recordableSettings, serializeValuesStoreRecord, valuesStoreRecordOf } from "./values-store-record.js";

/** What `zs secret migrate` asks for. */
export interface MigrationRequest {
  /** The new values store, created from `targetSetting`. */
  target: SecretValuesStore;
  targetSetting: StoreSetting;
  /** Go on with the migration in progress instead of starting one. @default false */
  resume?: boolean;
  /** After the switch, delete every secret's values from the old store. @default false */
  deleteSource?: boolean;
  /** The target is the current store itself: rewrite every object in the current format. @default false */
  rewrite?: boolean;
  /** Secrets copied at once. @default 8 */
  concurrency?: number;
  onProgress?(done: number, total: number): void;
  /** Stops the run between secrets; the migration stays in progress (resume or abort it). */
  signal?: AbortSignal;
}

/** A migration under way in this process: its id at once, its outcome when it stops. */
export interface MigrationRun {
  migrationId: string;
  outcome: Promise<MigrationOutcome>;
}

/** What a migration run did. `completed`: the values store is switched; `running`: resume it. */
export interface MigrationOutcome extends CopySummary {
  migrationId: string;
  status: "completed" | "running";
  /** Secrets whose values were deleted from the old store (`deleteSource`). */
  deletedFromSource: number;
}

/** A migration as `GET /api/v1/admin/migrations` shows it. */
export interface MigrationStatus extends MigrationCounts {
  id: string;
  sourceType: string;
  targetType: string;
  status: MigrationRow["status"];
  started: string;
  finished: string | null;
}

/** A migration and the latest run of it that this process made or watched: what `zs secret migrate` reports. */
export interface MigrationReport extends MigrationStatus {
  /** Whether a run is copying now. */
  active: boolean;
  copied: number;
  verified: number;
  skipped: number;
  failed: number;
  failures: CopyFailure[];
  /** Why the run stopped short, when it did on an error rather than on failed secrets. */
  error: string | null;
}

/** Rounds of copying what changed meanwhile before a migration gives up switching (writes kept changing secrets). */
const MAX_ROUNDS = 20;
const STALE_PAGE = 1000;
/**
 * At most this many secrets are copied in the last round, while every writer waits: a pause of
 * some 100 ms against an emulator, a few seconds against a distant cloud. More than that, and
 * another round runs with writers going on.
 */
const FINAL_ROUND_LIMIT = 100;
const MAX_REPORTED_FAILURES = 100;
const PROGRESS_BATCH = 50;

/**
 * Moves every secret's values to another values store, online (stores.md): copy, read back and
 * compare, record each secret's copied version in the database, copy again what changed
 * meanwhile, then switch the record of which store holds the values in one transaction that
 * holds every writer off. Writes made in this process during the migration go to both stores.
 * An interrupted migration resumes where it stopped; an aborted one leaves the old store
 * holding everything.
 */
export class ValuesMigrationService {
  private readonly logger: Logger;

  constructor(
    private readonly placement: ValuesPlacement,
    private readonly repository: MigrationRepository & ReplicationRepository,
    /** The configured values store: what is migrated from. */
    private sourceSetting: StoreSetting,
    logger?: Logger,
    /** `ZS_HISTORY_MAX_VERSIONS`: the earlier value versions a versioned target keeps of each secret. */
    private readonly historyMaxVersions = DEFAULT_HISTORY_MAX_VERSIONS,
  ) {
    this.logger = logger ?? silentLogger;
  }

  /** The setting of the store that holds the values now (a completed migration changes it). */
  get currentSetting(): StoreSetting {
    return this.sourceSetting;
  }

  /** The migration running, else the latest one; `undefined` when there never was one. */
  async status(caller: Caller): Promise<MigrationStatus | undefined> {
    assertAdmin(caller);
    const row = (await this.repository.runningMigration()) ?? (await this.repository.latestMigration());
    if (!row) return undefined;
    // A finished migration's progress is gone with it; its row keeps how many secrets it copied.
    const counts = row.status === "running" ? await this.repository.counts(row.id) : { total: row.secrets ?? 0, done: row.secrets ?? 0 };
    return {
      id: row.id,
      sourceType: row.sourceType,
      targetType: row.targetType,
      status: row.status,
      started: new Date(row.started).toISOString(),
      finished: row.finished === undefined ? null : new Date(row.finished).toISOString(),
      ...counts,
    };
  }

  /** Checks a request before any store is touched: what `migrate` would refuse, it refuses here too. */
  async check(caller: Caller, request: Pick<MigrationRequest, "targetSetting" | "resume" | "deleteSource" | "rewrite">): Promise<void> {
    assertAdmin(caller);
    const sameStore = this.isCurrentStore(request.targetSetting);
    if (request.rewrite && request.targetSetting.type !== this.sourceSetting.type) {
      throw new ZsError("VALIDATION_ERROR", `--rewrite rewrites the objects of the current values store: give --to ${this.sourceSetting.type}.`);
    }
    if (sameStore && !request.rewrite) {
      throw new ZsError(
        "VALIDATION_ERROR",
        `The values are already in that '${this.sourceSetting.type}' store; give --rewrite to rewrite every object in the current format, or other --to-options.`,
      );
    }
    if (sameStore && request.deleteSource) {
      throw new ZsError("VALIDATION_ERROR", "--delete-source would delete what a rewrite just wrote: the target is the current store.");
    }
    const running = await this.repository.runningMigration();
    if (request.resume) {
      if (!running) throw new ZsError("VALIDATION_ERROR", "There is no migration to resume; start one without --resume.");
      if (running.targetType !== request.targetSetting.type) {
        throw new ZsError("VALIDATION_ERROR", `The migration in progress goes to '${running.targetType}', not '${request.targetSetting.type}'.`);
      }
    } else if (running) {
      throw migrationInProgress(running);
    }
  }

  /** Starts or resumes a migration and runs it to the switch, or until a secret fails to copy. */
  async migrate(caller: Caller, request: MigrationRequest): Promise<MigrationOutcome> {
    return (await this.begin(caller, request)).outcome;
  }

  /** Checks and records the migration, then runs it in the background (`migrate`'s steps). */
  async begin(caller: Caller, request: MigrationRequest): Promise<MigrationRun> {
    await this.check(caller, request);
    const row = request.resume ? (await this.repository.runningMigration())! : await this.start(request.targetSetting);
    const outcome = this.run(row, request);
    // The caller awaits it later; until then a failure must not count as unhandled.
    outcome.catch(() => undefined);
    return { migrationId: row.id, outcome };
  }

  private async run(row: MigrationRow, request: MigrationRequest): Promise<MigrationOutcome> {
    const sameStore = this.isCurrentStore(request.targetSetting);
    const target = request.target;
    const source = this.placement.primary;
    const summary: MigrationOutcome = { migrationId: row.id, status: "running", copied: 0, verified: 0, skipped: 0, failed: 0, failures: [], deletedFromSource: 0 };
    // A rewrite keeps the record as it is: the store stays the same, so no writer must stop.
    const record = sameStore ? undefined : serializeValuesStoreRecord(valuesStoreRecordOf(request.targetSetting, target, new Date().toISOString()));
    const copy = async (stale: SecretVersion[]): Promise<boolean> => {
      const done = summary.copied + summary.skipped;
      // Progress is recorded in batches: one write per batch, and a crash copies at most a batch again.
      const verified: CopiedSecret[] = [];
      const flush = (): Promise<void> => this.repository.recordCopied(row.id, verified.splice(0));
      const copied = await copySecretValues(source, target, stale, {
        mode: "overwrite",
        concurrency: request.concurrency,
        // A store new to these secrets may try its create-only write first (it falls back where one exists).
        putHint: sameStore ? undefined : { isNew: true },
        versions: this.versionsToCopy(sameStore),
        signal: request.signal,
        onProgress: (n) => request.onProgress?.(done + n, done + stale.length),
        onVerified: async (secret) => {
          verified.push(secret);
          if (verified.length >= PROGRESS_BATCH) await flush();
        },
      });
      await flush();
      summary.copied += copied.copied;
      summary.verified += copied.verified;
      // A secret deleted while it was copied is no failure: it is simply not to copy any more.
      const failures = copied.failed > 0 ? await this.stillToCopy(row.id, copied.failures) : [];
      summary.failed += copied.failed - (copied.failures.length - failures.length);
      summary.failures.push(...failures.slice(0, MAX_REPORTED_FAILURES - summary.failures.length));
      return summary.failed === 0;
    };
    const forgetRemoved = async (): Promise<void> => {
      for (const secretId of await this.repository.removedSecrets(row.id, STALE_PAGE)) {
        if (!sameStore) await callStore(target, () => target.deleteValues(secretId));
        await this.repository.forgetCopied(row.id, secretId);
      }
    };
    summary.skipped = (await this.repository.counts(row.id)).done;
    if (!sameStore) this.placement.mirror = target;
    try {
      for (let round = 1; round <= MAX_ROUNDS && !request.signal?.aborted; round++) {
        await forgetRemoved();
        const stale = await this.allStale(row.id);
        if (stale.length > FINAL_ROUND_LIMIT) {
          // A secret that does not copy stops the migration where it is: fix the cause, then --resume.
          if (!(await copy(stale))) return summary;
          continue;
        }
        // The last few, copied while no writer can change one: then the switch, in the same hold.
        // This process's writers waiting on the hold must find the new store in place when it ends.
        const before = { primary: this.placement.primary, record: this.placement.valuesStoreRecord };
        const last = await this.repository.holdingWriters(async () => {
          if (!(await this.repository.isRunning(row.id))) return "aborted";
          await forgetRemoved();
          const remaining = await this.allStale(row.id);
          if (remaining.length > FINAL_ROUND_LIMIT) return "again";
          if (!(await copy(remaining))) return "failed";
          if ((await this.allStale(row.id)).length > 0) return "again";
          await this.repository.completeMigration(row.id, record ?? (await this.repository.readValuesStoreRecord()) ?? "", Date.now(), {
            forgetKeptVersions: !sameStore,
          });
          if (!sameStore) this.placement.switchPrimary(target, record);
          return "switched";
        }).catch((error: unknown) => {
          if (this.placement.primary !== before.primary) this.placement.switchPrimary(before.primary, before.record);
          throw error;
        });
        if (last === "aborted") throw new ZsError("VALIDATION_ERROR", "The migration was aborted while it ran; the old values store still holds everything.");
        if (last === "failed") return summary;
        if (last === "switched") {
          summary.status = "completed";
          break;
        }
      }
    } finally {
      if (this.placement.mirror === target) this.placement.mirror = undefined;
    }
    if (summary.status !== "completed") {
      if (request.signal?.aborted) return summary;
      throw new ZsError("BACKEND_UNAVAILABLE", `Secrets kept changing faster than they were copied (${MAX_ROUNDS} rounds); run the migration again with --resume.`);
    }
    this.logger.info({ migrationId: row.id, from: source.type, to: target.type, copied: summary.copied }, "values store switched");
    if (!sameStore) {
      this.sourceSetting = request.targetSetting;
      if (request.deleteSource) summary.deletedFromSource = await this.deleteFromSource(source, request.concurrency);
      await source.close?.();
    }
    return summary;
  }

  /**
   * History survives the move (lifecycle.md): into a versioned store, the earlier values the
   * old store kept go along, each under its version, then the current ones. A rewrite of the
   * same store writes only the current values again, as the version that wrote them, so that a
   * store replacing an object's version (gcp) leaves history naming the new one.
   */
  private versionsToCopy(sameStore: boolean): VersionsToCopy {
    const keep = this.historyMaxVersions;
    return {
      keep,
      plan: async (secretId) => {
        const writes = await this.repository.valuesWrites(secretId, keep + 1);
        return sameStore ? writes.slice(-1) : writes;
      },
    };
  }

  /** Abandons the migration in progress: the old store still holds everything; the copies made stay in the target. */
  async abort(caller: Caller): Promise<MigrationStatus> {
    assertAdmin(caller);
    const running = await this.repository.runningMigration();
    if (!running) throw new ZsError("VALIDATION_ERROR", "There is no migration in progress to abort.");
    const counts = await this.repository.counts(running.id);
    const finished = Date.now();
    await this.repository.abortMigration(running.id, finished);
    return {
      id: running.id,
      sourceType: running.sourceType,
      targetType: running.targetType,
      status: "aborted",
      started: new Date(running.started).toISOString(),
      finished: new Date(finished).toISOString(),
      total: counts.done,
      done: counts.done,
    };
  }

  private async start(targetSetting: StoreSetting): Promise<MigrationRow> {
    const row: MigrationRow = {
      id: randomUUID(),
      sourceType: this.sourceSetting.type,
      targetType: targetSetting.type,
      targetSettings: recordableSettings(targetSetting.options),
      status: "running",
      started: Date.now(),
      finished: undefined,
      secrets: undefined,
    };
    if ((await this.repository.insertMigration(row)) === "running") throw migrationInProgress((await this.repository.runningMigration()) ?? row);
    return row;
  }

  private async stillToCopy(migrationId: string, failures: CopyFailure[]): Promise<CopyFailure[]> {
    const stale = new Set((await this.allStale(migrationId)).map((secret) => secret.id));
    return failures.filter((failure) => stale.has(failure.secretId));
  }

  private async allStale(migrationId: string): Promise<SecretVersion[]> {
    const all: SecretVersion[] = [];
    for (let page = await this.repository.staleSecrets(migrationId, undefined, STALE_PAGE); page.length > 0; ) {
      all.push(...page);
      if (page.length < STALE_PAGE) break;
      page = await this.repository.staleSecrets(migrationId, page[page.length - 1]!.id, STALE_PAGE);
    }
    return all;
  }

  private async deleteFromSource(source: SecretValuesStore, concurrency = DEFAULT_COPY_CONCURRENCY): Promise<number> {
    const secrets = await allSecretVersions(this.repository);
    let deleted = 0;
    await forEachConcurrently(secrets, concurrency, async ({ id: secretId }) => {
      try {
        if (await callStore(source, () => source.deleteValues(secretId))) deleted++;
      } catch (error) {
        this.logger.warn({ secretId, store: source.type, failure: failureKind(error) }, "deleting from the old values store failed");
      }
    });
    return deleted;
  }

  /** The target is where the values already are: same type and options (sql: one table, whatever the options). */
  private isCurrentStore(target: StoreSetting): boolean {
    if (target.type !== this.sourceSetting.type) return false;
    if (target.type === "sql") return true;
    const canonical = (options: Record<string, string>) => JSON.stringify(Object.entries(options).sort(([a], [b]) => (a < b ? -1 : 1)));
    return canonical(target.options) === canonical(this.sourceSetting.options);
  }
}

function migrationInProgress(running: MigrationRow): ZsError {
  return new ZsError(
    "MIGRATION_IN_PROGRESS",
    `A migration from '${running.sourceType}' to '${running.targetType}' started at ${new Date(running.started).toISOString()} is in progress: ` +
      "resume it (--resume) or abandon it (--abort).",
    { migrationId: running.id },
  );
}

function assertAdmin(caller: Caller): void {
  if (!caller.isAdmin) throw new ZsError("FORBIDDEN", "Only admins may migrate the values store.");
}

/** What an aborted migration leaves behind, for the operator. */
export function copiesLeft(copies: number, targetType: string): string {
  if (copies === 0) return "";
  return `The ${copies} cop${copies === 1 ? "y" : "ies"} it made stay in the '${targetType}' store: a later migration there overwrites them; otherwise remove them with that store's own tools.`;
}
