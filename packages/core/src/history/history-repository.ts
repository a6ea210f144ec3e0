import type { HistoryEntry } from "./history-entry.js";

/** A history entry as the repository keeps it, with where that version's values are. */
export interface HistoryRow extends Omit<HistoryEntry, "time"> {
  secretId: string;
  /** Epoch milliseconds. */
  time: number;
  /**
   * This version wrote values (create, merge, replace, rollback, recover). A rename or scope
   * change did not: its values are those of the latest earlier version that did.
   */
  valuesWritten: boolean;
  /**
   * The values store's id of the values this version wrote (`PutValuesResult.backendVersion`);
   * `undefined` when it wrote none or the store keeps no versions.
   */
  backendVersion?: string | undefined;
  /**
   * The values this version wrote were in a values store a migration has since moved away from
   * (`MigrationRepository.completeMigration`): the new store cannot read them. @default false
   */
  valuesMoved?: boolean;
}

/** Writes of history, inside the metadata transaction of the change they record. */
export interface HistoryTransaction extends HistoryReader {
  /** Adds one entry; a second entry for the same secret and version is a bug (unique key). */
  insertEntry(row: HistoryRow): Promise<void>;
}

/** Reads of a secret's history. */
export interface HistoryReader {
  /** One page of a secret's entries, newest first, and how many it has in all. */
  listEntries(secretId: string, page: number, size: number): Promise<{ items: HistoryRow[]; total: number }>;
  /** The entry of that version, if the history has one. */
  findEntry(secretId: string, version: number): Promise<HistoryRow | undefined>;
  /** The newest entry that wrote values, of those with `version <= atMost` (all when `undefined`). */
  latestValuesWrite(secretId: string, atMost?: number): Promise<HistoryRow | undefined>;
}

/** The history part of the metadata database (`@zs/store-sql`): reads outside a transaction. */
export type HistoryRepository = HistoryReader;
