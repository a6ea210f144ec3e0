/** A secret's id and its row's version: what a copy records, so a write made since is seen. */
export interface SecretVersion {
  id: string;
  version: number;
}

/** A version of a secret in its history whose write put values, and where the values store kept them. */
export interface ValuesWrite {
  /** The history version that wrote them. */
  version: number;
  /** The values store's id of them (`PutValuesResult.backendVersion`); unset when it kept none. */
  backendVersion?: string;
}

/** A secret's copy: its id and version, and the backend versions the target gave the history versions written to it. */
export interface CopiedSecret extends SecretVersion {
  /** Set when the copy wrote versions into a versioned target (`VersionsToCopy`). */
  writtenVersions?: ValuesWrite[];
}

/** What a write marks, inside its own transaction, when the backup store did not take it. */
export interface BackupMarks {
  /** The backup lacks this secret's current values: the repair pass copies them. */
  markBackupPending(secretId: string): Promise<void>;
  /** The backup still holds values of this deleted secret: the repair pass deletes them. */
  markBackupDeletePending(secretId: string): Promise<void>;
}

/**
 * The metadata the backup store's repair pass and the copy commands (backup, restore,
 * migrate) read and clear (`@zs/store-sql`). Every read is of every workspace and user: these
 * are operator tasks.
 */
export interface ReplicationRepository {
  /** Every secret's id and version in id order, those after `afterId` (all when `undefined`), at most `limit`. */
  secretVersions(afterId: string | undefined, limit: number): Promise<SecretVersion[]>;
  /** Secrets marked `backup_pending`, at most `limit`. */
  pendingBackupWrites(limit: number): Promise<SecretVersion[]>;
  /** Deleted secrets whose values the backup may still hold, at most `limit`. */
  pendingBackupDeletes(limit: number): Promise<string[]>;
  /** How many backup writes and deletes are pending. */
  countBackupPending(): Promise<number>;
  /** Clears the mark, unless the secret changed since `version` was read (then the newer values are still to copy). */
  clearBackupPending(secretId: string, version: number): Promise<void>;
  clearBackupDelete(secretId: string): Promise<void>;
  /**
   * The `newest` latest versions of a secret's history that wrote values held by the current
   * values store (not moved away by a migration), oldest first: the last one wrote the current values.
   */
  valuesWrites(secretId: string, newest: number): Promise<ValuesWrite[]>;
  /** Records where the values store now keeps the values these history versions wrote (a restore rewrote them). */
  recordBackendVersions(secretId: string, versions: readonly ValuesWrite[]): Promise<void>;
}
