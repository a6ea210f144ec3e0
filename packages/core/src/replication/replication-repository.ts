/** A secret's id and its row's version: what a copy records, so a write made since is seen. */
export interface SecretVersion {
  id: string;
  version: number;
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
}
