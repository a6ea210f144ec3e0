import type { CopiedSecret, SecretVersion } from "../replication/replication-repository.js";

/** A migration's row: where from, where to, how it stands. */
export interface MigrationRow {
  id: string;
  sourceType: string;
  targetType: string;
  /** The target's options without credentials (`recordableSettings`). */
  targetSettings: Record<string, string>;
  status: "running" | "completed" | "aborted";
  /** Epoch milliseconds. */
  started: number;
  finished: number | undefined;
  /** Once finished: how many secrets it had copied (all of them, when completed). */
  secrets: number | undefined;
}

/** How far a migration is: secrets whose current version is copied and verified, of all. */
export interface MigrationCounts {
  total: number;
  done: number;
}

/**
 * The metadata a migration between values stores records and reads (`@zs/store-sql`): its row,
 * the version of each secret copied and verified, and the record of the values store.
 */
export interface MigrationRepository {
  /** The values store record's text; `undefined` on a database that has none yet. */
  readValuesStoreRecord(): Promise<string | undefined>;
  /** Records `text` unless a record exists; the record then in force. */
  adoptValuesStoreRecord(text: string): Promise<string>;
  /** `running` when another migration is running (at most one runs); forgets the progress of finished ones. */
  insertMigration(row: MigrationRow): Promise<"inserted" | "running">;
  runningMigration(): Promise<MigrationRow | undefined>;
  latestMigration(): Promise<MigrationRow | undefined>;
  /** Secrets not yet copied at their current version, in id order after `afterId`, at most `limit`. */
  staleSecrets(migrationId: string, afterId: string | undefined, limit: number): Promise<SecretVersion[]>;
  /** Secrets copied, then deleted since: their copies are to delete from the target. */
  removedSecrets(migrationId: string, limit: number): Promise<string[]>;
  /**
   * Records these secrets as copied and verified at these versions, with the backend versions
   * the target gave their history versions (replacing what an earlier copy of the same secret recorded).
   */
  recordCopied(migrationId: string, secrets: readonly CopiedSecret[]): Promise<void>;
  forgetCopied(migrationId: string, secretId: string): Promise<void>;
  counts(migrationId: string): Promise<MigrationCounts>;
  /**
   * Runs `work` in one transaction that holds the values store record against every writer
   * (none is half-way while it runs, none starts until it ends); this repository's calls made
   * inside join that transaction.
   */
  holdingWriters<T>(work: () => Promise<T>): Promise<T>;
  /** Whether the migration is still running (not completed or aborted meanwhile). */
  isRunning(migrationId: string): Promise<boolean>;
  /**
   * Makes `record` the values store record and the migration completed, its progress forgotten.
   * With `forgetKeptVersions` (the values moved to another store), history marks the values
   * every version wrote so far as moved (`HistoryRow.valuesMoved`) and forgets their
   * `backendVersion`: they name versions the old store kept, which the new one cannot read (a
   * repository that also holds a values store's kept versions may drop those the history no
   * longer names). Then, either way, the history versions the copies wrote into the target
   * (`CopiedSecret.writtenVersions`) get the target's backend versions, and are not moved.
   */
  completeMigration(migrationId: string, record: string, finished: number, options?: { forgetKeptVersions?: boolean }): Promise<void>;
  /** Marks the migration aborted and forgets its progress. */
  abortMigration(migrationId: string, finished: number): Promise<void>;
}
