import type { User, Workspace } from "../accounts/account-schema.js";
import type { HistoryRepository, HistoryTransaction } from "../history/history-repository.js";
import type { BackupMarks } from "../replication/replication-repository.js";
import type { ParsedSecretQuery } from "./secret-query.js";
import type { Configuration } from "../components/component-schema.js";
import type { ReferencingComponent } from "../references/secret-usages.js";
import type { DeletedSecret, ListedSecret, Scope, SecretMetadata } from "./secret-schema.js";

/**
 * A secret's metadata row as the repository keeps it. `viewerId` arguments below restrict
 * every read to what that user may see: workspace-scoped secrets and their own user-scoped ones.
 */
export interface SecretRow {
  id: string;
  name: string;
  scope: Scope;
  workspaceId: string;
  ownerId: string;
  keys: string[];
  version: number;
  /** Epoch milliseconds. */
  created: number;
  updated: number;
}

/** The columns an update may change; the version is bumped by the repository. */
export interface SecretRowChanges {
  name: string;
  scope: Scope;
  ownerId: string;
  keys: string[];
  updated: number;
}

/** A secret read under a row lock, with its owner's id. */
export interface LockedSecret extends SecretMetadata {
  ownerId: string;
}

/** What a lookup read returns besides the metadata. */
export interface SecretReadOptions {
  /**
   * Also read each secret's values in their stored form, in the same query (`storedValues`).
   * Asked only when the values store keeps its values in this database
   * (`ValuesStoreCapabilities.storedWithMetadata`). @default false
   */
  withStoredValues?: boolean;
}

/** A secret a lookup read found. */
export interface FoundSecret extends SecretMetadata {
  /**
   * Its values as the values store stored them in the metadata database (`null`: none there);
   * present only when the read asked `withStoredValues`. Never part of an answer.
   */
  storedValues?: string | null;
}

/**
 * Reads that lookup needs, available in and outside a transaction. A `workspace` of
 * `undefined` means every workspace; lookup passes the request's workspace otherwise, and a
 * reader must not return secrets of other workspaces then.
 */
export interface SecretReader {
  /** The visible secret of that id, whatever its workspace (lookup checks the workspace). */
  findSecretById(viewerId: string, id: string, options?: SecretReadOptions): Promise<FoundSecret | undefined>;
  /** The visible secrets of that exact name in a workspace (at most one per scope), or in all. */
  findSecretsByName(viewerId: string, workspace: string | undefined, name: string, options?: SecretReadOptions): Promise<FoundSecret[]>;
  /**
   * Visible secrets of the workspace (or of all) whose id starts with `prefix` (lower-case hex
   * and dashes), at most `limit`.
   */
  findSecretsByIdPrefix(
    viewerId: string,
    workspace: string | undefined,
    prefix: string,
    limit: number,
    options?: SecretReadOptions,
  ): Promise<FoundSecret[]>;
}

/** A deleted secret read under a row lock, with its owner's id. */
export interface LockedDeletedSecret extends DeletedSecret {
  ownerId: string;
}

/** How recover names the deleted secret it wants: by full id, by id prefix, or by name. */
/** A deleted secret a sweep claimed for purging: who it was, for the record. */
export interface ExpiredSecret {
  id: string;
  name: string;
  /** The workspace's name. */
  workspace: string;
}

export type DeletedSecretMatch = { by: "id" | "idPrefix" | "name"; value: string };

/** Reads of who references a secret (lifecycle.md "Usages"), in and outside a transaction. */
export interface SecretUsageReader {
  /**
   * The components of the workspace whose configuration mentions `secretName` as text (a
   * superset of those referencing it: core parses), with the names of the stacks holding them.
   */
  componentsMentioning(workspace: string, secretName: string): Promise<ReferencingComponent[]>;
}

/** Writes, always inside a transaction. */
export interface MetadataTransaction extends SecretReader, SecretUsageReader, BackupMarks {
  /** The secrets' history, written in this same transaction as the change each entry records. */
  readonly history: HistoryTransaction;
  /** Re-reads a visible secret and holds it against concurrent writers until commit. */
  lockSecret(viewerId: string, id: string): Promise<LockedSecret | undefined>;
  /** `exists` when a unique index refuses the name in that scope. */
  insertSecret(row: SecretRow): Promise<"inserted" | "exists">;
  /**
   * Compare-and-set on `expectedVersion`, bumping the version: `stale` when the row moved on,
   * `exists` when the new name clashes in its scope.
   */
  updateSecret(id: string, expectedVersion: number, changes: SecretRowChanges): Promise<"updated" | "stale" | "exists">;
  deleteSecret(id: string): Promise<void>;
  /** Moves a live secret to the deleted state: lookups and lists no longer see it; its name is free. */
  softDeleteSecret(id: string, deleted: number, purgeAfter: number): Promise<void>;
  /**
   * The deleted secrets the viewer may see that `match` names, in the workspace (or in all),
   * at most `limit`, held against the sweeper and other recovers until commit.
   */
  lockDeletedSecrets(viewerId: string, workspace: string | undefined, match: DeletedSecretMatch, limit: number): Promise<LockedDeletedSecret[]>;
  /** Brings a deleted secret back under `name`, bumping its version; `exists` when a live secret holds the name in its scope. */
  recoverSecret(id: string, name: string, updated: number): Promise<"recovered" | "exists">;
  /**
   * One deleted secret whose `purge_after` is at or before `now`, none of `skipIds`, locked for
   * purging: a row another transaction holds (another sweeper, a recover) is skipped, never
   * waited for, so sweepers on several instances never purge the same secret twice.
   */
  lockExpiredSecret(now: number, skipIds: readonly string[]): Promise<ExpiredSecret | undefined>;
  /** Replaces a component's configuration (a rename rewriting references to the secret). */
  updateComponentConfiguration(componentId: string, configuration: Configuration, updated: number): Promise<void>;
  findWorkspace(name: string): Promise<Workspace | undefined>;
  insertWorkspace(workspace: Workspace): Promise<"inserted" | "exists">;
  /** Deletes the workspace and, by cascade, every row in it. */
  deleteWorkspace(id: string): Promise<void>;
  secretIdsInWorkspace(workspaceId: string): Promise<string[]>;
  findUser(name: string): Promise<User | undefined>;
  insertUser(user: User): Promise<"inserted" | "exists">;
  /** Deletes the user and, by cascade, their secrets and credentials. */
  deleteUser(id: string): Promise<void>;
  /** Every secret the user owns, deleted ones included. */
  secretIdsOwnedBy(userId: string): Promise<string[]>;
  /** How many live (not deleted) secrets the user owns. */
  countLiveSecretsOwnedBy(userId: string): Promise<number>;
  setUserAdmin(id: string, isAdmin: boolean): Promise<void>;
  /**
   * The ids of every admin, held against concurrent changes until commit: two admins
   * demoting or deleting each other at once cannot leave the server without one.
   */
  lockAdminIds(): Promise<string[]>;
  /**
   * The values store record's text (which store holds the values), held against a migration's
   * switch until commit; `undefined` when the database has none.
   */
  lockValuesStoreRecord(): Promise<string | undefined>;
}

/**
 * The metadata database (`@zs/store-sql`). A values store that shares the database joins
 * the transaction `transaction` opens, so metadata and values commit together.
 */
export interface MetadataRepository extends SecretReader, SecretUsageReader {
  transaction<T>(work: (tx: MetadataTransaction) => Promise<T>): Promise<T>;
  /** The secrets' history (lifecycle.md), read outside a transaction. */
  readonly history: HistoryRepository;
  /**
   * One page of a list, in the query's order (ties by id), and in the same query how many rows
   * match, pages aside: `total` is `undefined` only when the page is empty (no row to carry it).
   */
  listSecrets(viewerId: string, query: ParsedSecretQuery): Promise<{ items: ListedSecret[]; total: number | undefined }>;
  /** How many rows the query matches, pages aside. (`query.deleted` lists deleted secrets, with `deleted` and `purgeAfter`.) */
  countSecrets(viewerId: string, query: ParsedSecretQuery): Promise<number>;
  listWorkspaces(): Promise<Workspace[]>;
  listUsers(): Promise<User[]>;
  findUser(name: string): Promise<User | undefined>;
  /** The deployment's id, created with the database. */
  readonly deploymentId: string;
  close(): Promise<void>;
}
