import { randomUUID } from "node:crypto";
import {
  userCreateSchema,
  workspaceCreateSchema,
  type User,
  type UserCreate,
  type Workspace,
  type WorkspaceCreate,
} from "../accounts/account-schema.js";
import type { Caller } from "../accounts/caller.js";
import { hasErrorCode, isZsError, ZsError } from "../errors.js";
import { findSecret, secretNotFound } from "./lookup.js";
import { lockDeletedSecret } from "./deleted-secret-lookup.js";
import { referencedWarnings, renameInConfiguration, usagesIn, type SecretUsage, type SecretWarning } from "../references/secret-usages.js";
import { keysOf, mergeValues } from "./merge.js";
import type { ExpiredSecret, FoundSecret, LockedSecret, MetadataRepository, MetadataTransaction, SecretReadOptions, SecretRow } from "./metadata-repository.js";
import { nameSchema } from "../names.js";
import { parseSecretQuery, secretQuerySchema, type Page, type SecretQuery } from "./secret-query.js";
import {
  ALL_WORKSPACES,
  lookupSchema,
  secretCreateSchema,
  secretRecoverSchema,
  secretUpdateSchema,
  secretValuesSchema,
  type Lookup,
  type ListedSecret,
  type DeletedSecret,
  type Scope,
  type Secret,
  type SecretCreate,
  type SecretMetadata,
  type SecretRecover,
  type SecretUpdate,
  type SecretValues,
} from "./secret-schema.js";
import { assertSecretSize } from "./secret-size.js";
import { parseInput } from "../validation.js";
import { assertHoldsValues, parseValuesStoreRecord } from "../migration/values-store-record.js";
import { ValuesPlacement, type ValuesPlacementOptions } from "../replication/values-placement.js";
import type { GetValuesHint, PutValuesResult, SecretValuesStore } from "../stores/values-store.js";
import {
  historyQuerySchema,
  rollbackRequestSchema,
  versionNumberSchema,
  type HistoryAction,
  type HistoryEntry,
  type HistoryQuery,
  type RollbackRequest,
  type SecretVersionValues,
} from "../history/history-entry.js";
import type { HistoryRow } from "../history/history-repository.js";
import { diffKeys, type KeyDiff } from "../history/key-diff.js";
import { DEFAULT_HISTORY_MAX_VERSIONS, versionedWriteFor } from "../history/retention.js";
import { locateVersionValues, versionPruned } from "../history/version-values.js";
import { LIMITS } from "../limits.js";

/** The workspace every store starts with; it cannot be deleted. */
export const DEFAULT_WORKSPACE = "default";

/** How often an update is retried when a concurrent writer moved the row on. */
const MAX_UPDATE_ATTEMPTS = 8;

/** The secrets-store interface of interfaces.md. */
export interface SecretsStore {
  createSecret(caller: Caller, secret: SecretCreate): Promise<Secret>;
  getSecret(caller: Caller, nameOrId: string, lookup?: Lookup): Promise<Secret>;
  listSecrets(caller: Caller, query?: SecretQuery): Promise<Page<ListedSecret>>;
  updateSecret(caller: Caller, nameOrId: string, update: SecretUpdate, lookup?: Lookup): Promise<Secret>;
  replaceSecretValues(caller: Caller, nameOrId: string, values: SecretValues, lookup?: Lookup): Promise<Secret>;
  deleteSecret(caller: Caller, nameOrId: string, lookup?: Lookup, options?: DeleteSecretOptions): Promise<SecretDeletion>;
}

class StaleRow extends Error {}

function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

/** How a `SecretsService` keeps values: where (`ValuesPlacementOptions`), how many earlier versions, how long deleted secrets stay recoverable. */
export interface SecretsServiceOptions extends ValuesPlacementOptions {
  /**
   * Earlier value versions per secret the values store keeps readable (`ZS_HISTORY_MAX_VERSIONS`);
   * 0 keeps none. History entries are kept whatever this is. @default 10
   */
  historyMaxVersions?: number;
  /**
   * Days a deleted secret stays recoverable before `purgeExpiredSecrets` purges it
   * (`ZS_RECOVERY_WINDOW_DAYS`, whose default is 7); 0 deletes at once. @default 0
   */
  recoveryWindowDays?: number;
}

/** One change of a secret, as its history entry records it (`SecretsService.recordHistory`). */
export interface RecordedChange {
  secretId: string;
  /** The secret's version once the change is made. */
  version: number;
  /** Epoch milliseconds: the secret's new `updated`. */
  time: number;
  action: HistoryAction;
  /** The keys the change added, removed and changed; none when it changed no value. @default no keys */
  keys?: KeyDiff;
  /**
   * What the values store answered the write of the new values (`ValuesPlacement.put`); absent
   * when the change wrote no values (a rename, a scope change, a recovery).
   */
  written?: PutValuesResult;
  /** On a rollback: the version whose values it restored. */
  restoredVersion?: number;
}

/** What a change given to `modify` does besides renaming and rescoping. */
interface SecretChange {
  name?: string | undefined;
  scope?: Scope | undefined;
  /** The new values from the current ones, read under the row lock. */
  values?: ((current: SecretValues, locked: LockedSecret, tx: MetadataTransaction) => SecretValues | Promise<SecretValues>) | undefined;
  /** What the history calls it. @default `rename` or `scope_change`, from what changed */
  action?: HistoryAction;
  restoredVersion?: number;
  /** On a rename: rewrite the references components hold to the old name. @default false */
  updateReferences?: boolean;
}

/** Options of `deleteSecret`. */
export interface DeleteSecretOptions {
  /** Delete at once, values included, whatever the recovery window. @default false */
  purge?: boolean;
}

/** What a delete did: kept the secret recoverable until `purgeAfter`, or purged it. */
export interface SecretDeletion {
  id: string;
  name: string;
  /** True when the secret and its values are gone for good. */
  purged: boolean;
  /** When it was deleted; absent when purged. */
  deleted?: string;
  /** When the sweeper purges it; absent when purged. */
  purgeAfter?: string;
  /** Components that reference the secret (`SECRET_REFERENCED`); empty when none. */
  warnings: SecretWarning[];
}

/** Options of `updateSecret`. */
export interface UpdateSecretOptions {
  /** On a rename, rewrite the references components hold to the old name, in the same transaction. @default false */
  updateReferences?: boolean;
}

/** A secret an update returned; a rename that left references to the old name behind carries `warnings`. */
export type UpdatedSecret = Secret & { warnings?: SecretWarning[] };

/** What a sweep did. */
export interface PurgeOutcome {
  /** Expired secrets purged, values and row. */
  purged: ExpiredSecret[];
  /** Expired secrets whose values store failed; they are tried again on the next sweep. */
  failed: ExpiredSecret[];
}

const DAY_MS = 86_400_000;

/** Options of `deleteUser`. */
export interface DeleteUserOptions {
  /** Also delete every secret the user owns (values included). @default false */
  cascade?: boolean;
}

/**
 * The one implementation of the secrets store: validation, uniqueness, scope privacy,
 * lookup, merge-on-update and limits, over a metadata repository and a values store.
 * The CLI, the client and the server all call this; none re-implements any of it.
 */
export class SecretsService implements SecretsStore {
  /** Where the values are kept: the values store, and the backup store when one is configured. */
  readonly placement: ValuesPlacement;
  /** Days a deleted secret stays recoverable; 0: deleted at once. */
  readonly recoveryWindowDays: number;

  /** Earlier value versions per secret the values store keeps readable (`SecretsServiceOptions.historyMaxVersions`). */
  readonly historyMaxVersions: number;

  constructor(
    private readonly repository: MetadataRepository,
    values: SecretValuesStore,
    options: SecretsServiceOptions = {},
  ) {
    this.placement = new ValuesPlacement(values, options);
    this.recoveryWindowDays = options.recoveryWindowDays ?? 0;
    this.historyMaxVersions = options.historyMaxVersions ?? DEFAULT_HISTORY_MAX_VERSIONS;
  }

  /** The values store's type, e.g. `sql`. */
  get valuesStoreType(): string {
    return this.placement.primary.type;
  }

  async createSecret(caller: Caller, input: SecretCreate): Promise<Secret> {
    this.assertEnabled();
    const request = parseInput(secretCreateSchema, input, "secret");
    assertSecretSize(request.values, request.name);
    const scope = request.scope ?? "workspace";
    const workspaceName = request.workspace ?? caller.workspace;
    return this.repository.transaction(async (tx) => {
      await this.assertValuesStoreUnmoved(tx);
      const workspace = await this.requireWorkspace(tx, workspaceName);
      const now = Date.now();
      const row: SecretRow = {
        id: randomUUID(),
        name: request.name,
        scope,
        workspaceId: workspace.id,
        ownerId: caller.userId,
        keys: keysOf(request.values),
        version: 1,
        created: now,
        updated: now,
      };
      if ((await tx.insertSecret(row)) === "exists") throw this.secretExists(request.name, scope, workspaceName);
      const written = await this.placement.put(tx, row.id, request.values, { isNew: true }, this.versionedWrite(1));
      await this.recordHistory(tx, caller, {
        secretId: row.id,
        version: 1,
        time: now,
        action: "create",
        keys: diffKeys({}, request.values),
        written,
      });
      return {
        id: row.id,
        name: row.name,
        scope,
        workspace: workspaceName,
        user: caller.userName,
        keys: row.keys,
        version: 1,
        created: toIso(now),
        updated: toIso(now),
        values: request.values,
      };
    });
  }

  async getSecret(caller: Caller, nameOrId: string, lookup: Lookup = {}): Promise<Secret> {
    this.assertEnabled();
    // A values store in the metadata database is read in the lookup's own query.
    const withStoredValues = this.placement.primary.capabilities.storedWithMetadata === true;
    const { storedValues, ...metadata } = await this.lookupSecret(caller, nameOrId, parseInput(lookupSchema, lookup, "lookup"), { withStoredValues });
    return { ...metadata, values: await this.readValues(metadata, storedValues === undefined ? undefined : { stored: storedValues }) };
  }

  /** Resolves `nameOrId` to a secret's metadata without reading any value. */
  async findSecret(caller: Caller, nameOrId: string, lookup: Lookup = {}): Promise<SecretMetadata> {
    return this.lookupSecret(caller, nameOrId, parseInput(lookupSchema, lookup, "lookup"));
  }

  async listSecrets(caller: Caller, query: SecretQuery = {}): Promise<Page<ListedSecret>> {
    this.assertEnabled();
    const parsed = parseSecretQuery(parseInput(secretQuerySchema, query, "list query", "INVALID_FILTER"), caller.workspace);
    // One query; an empty page (no matches, or a page past the end) also needs the count alone.
    const page = await this.repository.listSecrets(caller.userId, parsed);
    const total = page.total ?? (await this.repository.countSecrets(caller.userId, parsed));
    // A misspelt workspace must not look like an empty one; checked only when nothing matched.
    if (total === 0 && parsed.workspace?.operator === "equals") {
      const name = parsed.workspace.value;
      // One read, no transaction: workspaces are few.
      const workspaces = await this.repository.listWorkspaces();
      if (!workspaces.some((workspace) => workspace.name === name)) throw new ZsError("WORKSPACE_NOT_FOUND", `No workspace named '${name}'.`);
    }
    const totalPages = Math.max(1, Math.ceil(total / parsed.size));
    if (parsed.page > totalPages) {
      throw new ZsError("PAGE_OUT_OF_RANGE", `Page ${parsed.page} is out of range: the last page is ${totalPages}.`, {
        totalPages,
      });
    }
    return { index: parsed.page, maxSize: parsed.size, totalPages, total, items: page.items };
  }

  async updateSecret(caller: Caller, nameOrId: string, input: SecretUpdate, lookup: Lookup = {}, options: UpdateSecretOptions = {}): Promise<UpdatedSecret> {
    this.assertEnabled();
    const update = parseInput(secretUpdateSchema, input, "update");
    if (update.name === undefined && update.scope === undefined && update.values === undefined) {
      throw new ZsError("VALIDATION_ERROR", "Nothing to update: give a new name, scope or values.");
    }
    return this.modify(caller, nameOrId, parseInput(lookupSchema, lookup, "lookup"), update.expectedVersion, {
      name: update.name,
      scope: update.scope,
      values: update.values && ((current) => mergeValues(current, update.values!)),
      updateReferences: options.updateReferences === true,
      ...(update.values ? { action: "merge" as const } : {}),
    });
  }

  async replaceSecretValues(caller: Caller, nameOrId: string, values: SecretValues, lookup: Lookup = {}): Promise<Secret> {
    this.assertEnabled();
    const replacement = parseInput(secretValuesSchema, values, "values");
    return this.modify(caller, nameOrId, parseInput(lookupSchema, lookup, "lookup"), undefined, {
      values: () => replacement,
      action: "replace",
    });
  }

  /**
   * One page of a secret's history, newest first (lifecycle.md): who changed it, how, and which
   * keys, never a value. Entries outlive the values retention prunes.
   */
  async listSecretHistory(caller: Caller, nameOrId: string, query: HistoryQuery = {}, lookup: Lookup = {}): Promise<Page<HistoryEntry>> {
    this.assertEnabled();
    const { page = 1, size = LIMITS.defaultPageSize } = parseInput(historyQuerySchema, query, "history query");
    const secret = await this.lookupSecret(caller, nameOrId, parseInput(lookupSchema, lookup, "lookup"));
    const { items, total } = await this.repository.history.listEntries(secret.id, page, size);
    const totalPages = Math.max(1, Math.ceil(total / size));
    if (page > totalPages) {
      throw new ZsError("PAGE_OUT_OF_RANGE", `Page ${page} is out of range: the last page is ${totalPages}.`, { totalPages });
    }
    return { index: page, maxSize: size, totalPages, total, items: items.map(historyEntryOf) };
  }

  /**
   * The values `nameOrId` had at `version`: the current values for the current version (or a
   * later rename), else those the values store kept. `NOT_FOUND` for a version the secret never
   * had; `HISTORY_UNAVAILABLE` when the store keeps no earlier values or pruned them.
   */
  async getSecretVersion(caller: Caller, nameOrId: string, version: number, lookup: Lookup = {}): Promise<SecretVersionValues> {
    this.assertEnabled();
    const wanted = parseInput(versionNumberSchema, version, "version");
    const parsedLookup = parseInput(lookupSchema, lookup, "lookup");
    let secret: SecretMetadata = await this.lookupSecret(caller, nameOrId, parsedLookup);
    // A write between reading the metadata and the values moves "current" on: look again.
    for (let attempt = 1; ; attempt++) {
      const source = await locateVersionValues(this.repository.history, secret, wanted, this.placement.primary);
      if (source.kind === "kept") {
        const values = await this.placement.getVersion(secret.id, source.backendVersion);
        if (!values) throw versionPruned(secret, wanted, this.historyMaxVersions);
        return versionValuesOf(secret, wanted, values);
      }
      const current = await this.getSecret(caller, secret.id, { workspace: ALL_WORKSPACES });
      if (current.version === secret.version || attempt >= MAX_UPDATE_ATTEMPTS) return versionValuesOf(current, wanted, current.values);
      secret = current;
    }
  }

  /**
   * Writes the values of an earlier version as a new version (lifecycle.md), name and scope
   * untouched; `expectedVersion` guards it like an update's. `VALIDATION_ERROR` for the current
   * version (nothing to roll back), `NOT_FOUND` and `HISTORY_UNAVAILABLE` as `getSecretVersion`.
   */
  async rollbackSecret(caller: Caller, nameOrId: string, request: RollbackRequest, lookup: Lookup = {}): Promise<Secret> {
    this.assertEnabled();
    const { version, expectedVersion } = parseInput(rollbackRequestSchema, request, "rollback");
    return this.modify(caller, nameOrId, parseInput(lookupSchema, lookup, "lookup"), expectedVersion, {
      action: "rollback",
      restoredVersion: version,
      values: async (current, locked, tx) => {
        if (version === locked.version) {
          throw new ZsError("VALIDATION_ERROR", `Secret '${locked.name}' is at version ${version} already; nothing to roll back.`);
        }
        const source = await locateVersionValues(tx.history, locked, version, this.placement.primary);
        if (source.kind === "current") return current;
        const values = await this.placement.getVersion(locked.id, source.backendVersion);
        if (!values) throw versionPruned(locked, version, this.historyMaxVersions);
        return values;
      },
    });
  }

  /**
   * Deletes a secret (lifecycle.md "Soft delete"): it leaves lookups and lists at once and its
   * name is free, but its row and values stay until the recovery window ends, so
   * `recoverSecret` can bring it back. With a window of 0 or `purge`, it is purged at once.
   */
  async deleteSecret(caller: Caller, nameOrId: string, lookup: Lookup = {}, options: DeleteSecretOptions = {}): Promise<SecretDeletion> {
    this.assertEnabled();
    const parsedLookup = parseInput(lookupSchema, lookup, "lookup");
    return this.repository.transaction(async (tx) => {
      await this.assertValuesStoreUnmoved(tx);
      const found = await this.lookupSecret(caller, nameOrId, parsedLookup, {}, tx);
      const locked = await tx.lockSecret(caller.userId, found.id);
      if (!locked) throw this.notFound(nameOrId, parsedLookup, caller);
      const warnings = referencedWarnings(locked.name, usagesIn(locked.name, await tx.componentsMentioning(locked.workspace, locked.name)), "deleted");
      if (options.purge === true || this.recoveryWindowDays === 0) {
        // Values first: a failing backend must never leave values without their row.
        await this.placement.delete(tx, locked.id);
        await tx.deleteSecret(locked.id);
        return { id: locked.id, name: locked.name, purged: true, warnings };
      }
      const now = Date.now();
      const purgeAfter = now + this.recoveryWindowDays * DAY_MS;
      await tx.softDeleteSecret(locked.id, now, purgeAfter);
      return { id: locked.id, name: locked.name, purged: false, deleted: toIso(now), purgeAfter: toIso(purgeAfter), warnings };
    });
  }

  /** One page of the deleted secrets the caller may recover, with `deleted` and `purgeAfter`; filters as `listSecrets`. */
  async listDeletedSecrets(caller: Caller, query: SecretQuery = {}): Promise<Page<DeletedSecret & ListedSecret>> {
    return (await this.listSecrets(caller, { ...query, deleted: true })) as Page<DeletedSecret & ListedSecret>;
  }

  /**
   * Brings a deleted secret back, values and all, under its name or `input.name`: `SECRET_EXISTS`
   * when a live secret took the name meanwhile. `nameOrId` is looked up among deleted secrets
   * only (full id, exact name, id prefix). Counts as a change: the version moves on.
   */
  async recoverSecret(caller: Caller, nameOrId: string, input: SecretRecover = {}, lookup: Lookup = {}): Promise<SecretMetadata> {
    this.assertEnabled();
    const request = parseInput(secretRecoverSchema, input, "recover");
    const parsedLookup = parseInput(lookupSchema, lookup, "lookup");
    return this.repository.transaction(async (tx) => {
      await this.assertValuesStoreUnmoved(tx);
      const locked = await lockDeletedSecret(tx, caller, nameOrId, parsedLookup);
      const name = request.name ?? locked.name;
      const updated = Math.max(Date.now(), Date.parse(locked.updated) + 1);
      if ((await tx.recoverSecret(locked.id, name, updated)) === "exists") {
        const error = this.secretExists(name, locked.scope, locked.workspace);
        throw new ZsError("SECRET_EXISTS", `${error.message} Recover it under another name (--as NEW, or {"name": …}).`);
      }
      // A recovery writes no values: its entry names no key, and the values stay readable as they were.
      await this.recordHistory(tx, caller, { secretId: locked.id, version: locked.version + 1, time: updated, action: "recover" });
      const { ownerId: _owner, deleted: _deleted, purgeAfter: _purgeAfter, ...metadata } = locked;
      return { ...metadata, name, version: locked.version + 1, updated: toIso(updated) };
    });
  }

  /**
   * Purges the deleted secrets whose recovery window has ended: values from the values store
   * (and backup) first, then the row, one secret per transaction. Safe on several instances at
   * once: each secret is locked for purging, and one another sweeper holds is skipped. A
   * values store that fails leaves that secret for the next sweep.
   */
  async purgeExpiredSecrets(now: number = Date.now()): Promise<PurgeOutcome> {
    const outcome: PurgeOutcome = { purged: [], failed: [] };
    if (this.placement.primary.type === "none") return outcome;
    for (;;) {
      // Set inside the transaction, so a failure after the claim is known to be that secret's.
      let claimed: ExpiredSecret | undefined;
      try {
        await this.repository.transaction(async (tx) => {
          await this.assertValuesStoreUnmoved(tx);
          claimed = await tx.lockExpiredSecret(now, outcome.failed.map((secret) => secret.id));
          if (claimed === undefined) return;
          // Values first: a failing backend must never leave values without their row.
          await this.placement.delete(tx, claimed.id);
          await tx.deleteSecret(claimed.id);
        });
      } catch (error) {
        if (claimed === undefined) throw error;
        outcome.failed.push(claimed);
        continue;
      }
      if (claimed === undefined) return outcome;
      outcome.purged.push(claimed);
    }
  }

  /** Every component attribute that references the secret, with the stacks holding the component (lifecycle.md "Usages"). */
  async secretUsages(caller: Caller, nameOrId: string, lookup: Lookup = {}): Promise<SecretUsage[]> {
    const secret = await this.findSecret(caller, nameOrId, lookup);
    return usagesIn(secret.name, await this.repository.componentsMentioning(secret.workspace, secret.name));
  }

  async listWorkspaces(_caller: Caller): Promise<Workspace[]> {
    return this.repository.listWorkspaces();
  }

  async createWorkspace(caller: Caller, input: WorkspaceCreate): Promise<Workspace> {
    this.assertAdmin(caller, "create workspaces");
    const { name } = parseInput(workspaceCreateSchema, input, "workspace");
    const workspace: Workspace = { id: randomUUID(), name, created: toIso(Date.now()) };
    const outcome = await this.repository.transaction((tx) => tx.insertWorkspace(workspace));
    if (outcome === "exists") throw new ZsError("WORKSPACE_EXISTS", `Workspace '${name}' already exists.`);
    return workspace;
  }

  /** Deletes a workspace with all its secrets, their backend values included. */
  async deleteWorkspace(caller: Caller, name: string): Promise<void> {
    this.assertAdmin(caller, "delete workspaces");
    parseInput(nameSchema, name, "workspace name");
    if (name === DEFAULT_WORKSPACE) {
      throw new ZsError("VALIDATION_ERROR", `Workspace '${DEFAULT_WORKSPACE}' cannot be deleted.`);
    }
    await this.repository.transaction(async (tx) => {
      await this.assertValuesStoreUnmoved(tx);
      const workspace = await this.requireWorkspace(tx, name);
      // Deleted secrets too: their values are purged with the workspace.
      for (const id of await tx.secretIdsInWorkspace(workspace.id)) await this.placement.delete(tx, id);
      await tx.deleteWorkspace(workspace.id);
    });
  }

  async listUsers(caller: Caller): Promise<User[]> {
    this.assertAdmin(caller, "list users");
    return this.repository.listUsers();
  }

  async createUser(caller: Caller, input: UserCreate): Promise<User> {
    this.assertAdmin(caller, "create users");
    const request = parseInput(userCreateSchema, input, "user");
    return this.insertUser(request.name, request.isAdmin ?? false);
  }

  /**
   * Returns user `name`, creating it first if absent. For bootstrapping (the local CLI's
   * `default` user, the server's first admin): it checks no caller.
   */
  async ensureUser(name: string, options: { isAdmin?: boolean } = {}): Promise<User> {
    parseInput(nameSchema, name, "user name");
    const existing = await this.repository.findUser(name);
    if (existing) return existing;
    try {
      return await this.insertUser(name, options.isAdmin ?? false);
    } catch (error) {
      // Another process bootstrapped the same user first.
      const raced = isZsError(error) && error.code === "USER_EXISTS" ? await this.repository.findUser(name) : undefined;
      if (raced) return raced;
      throw error;
    }
  }

  /** Deletes a user; refused with `USER_OWNS_SECRETS` while they own secrets, unless cascading. */
  async deleteUser(caller: Caller, name: string, options: DeleteUserOptions = {}): Promise<void> {
    this.assertAdmin(caller, "delete users");
    parseInput(nameSchema, name, "user name");
    await this.repository.transaction(async (tx) => {
      await this.assertValuesStoreUnmoved(tx);
      const user = await tx.findUser(name);
      if (!user) throw new ZsError("USER_NOT_FOUND", `No user named '${name}'.`);
      const live = await tx.countLiveSecretsOwnedBy(user.id);
      if (live > 0 && !options.cascade) {
        throw new ZsError(
          "USER_OWNS_SECRETS",
          `User '${name}' owns ${live} secret${live === 1 ? "" : "s"}; delete them first or delete the user with cascade.`,
        );
      }
      // Their deleted secrets (recoverable by nobody once the user is gone) are purged with them.
      const owned = await tx.secretIdsOwnedBy(user.id);
      if (user.isAdmin) await assertNotLastAdmin(tx, user, "deleted");
      for (const id of owned) await this.placement.delete(tx, id);
      await tx.deleteUser(user.id);
    });
  }

  /** Makes a user an admin or not; the last admin cannot be demoted (`LAST_ADMIN`). */
  async setUserAdmin(caller: Caller, name: string, isAdmin: boolean): Promise<User> {
    this.assertAdmin(caller, "change users");
    parseInput(nameSchema, name, "user name");
    return this.repository.transaction(async (tx) => {
      const user = await tx.findUser(name);
      if (!user) throw new ZsError("USER_NOT_FOUND", `No user named '${name}'.`);
      if (user.isAdmin && !isAdmin) await assertNotLastAdmin(tx, user, "demoted");
      if (user.isAdmin !== isAdmin) await tx.setUserAdmin(user.id, isAdmin);
      return { ...user, isAdmin };
    });
  }

  /** Releases the values stores and the database. */
  async close(): Promise<void> {
    await this.placement.close();
    await this.repository.close();
  }

  private async insertUser(name: string, isAdmin: boolean): Promise<User> {
    const user: User = { id: randomUUID(), name, isAdmin, created: toIso(Date.now()) };
    const outcome = await this.repository.transaction((tx) => tx.insertUser(user));
    if (outcome === "exists") throw new ZsError("USER_EXISTS", `User '${name}' already exists.`);
    return user;
  }

  /**
   * Applies a change to one secret under a row lock with a version compare-and-set, retrying
   * when a concurrent writer got there first, so no update is ever lost.
   */
  private async modify(
    caller: Caller,
    nameOrId: string,
    lookup: Lookup,
    expectedVersion: number | undefined,
    change: SecretChange,
  ): Promise<UpdatedSecret> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.repository.transaction(async (tx) => {
          await this.assertValuesStoreUnmoved(tx);
          const found = await this.lookupSecret(caller, nameOrId, lookup, {}, tx);
          const locked = await tx.lockSecret(caller.userId, found.id);
          if (!locked) throw this.notFound(nameOrId, lookup, caller);
          if (change.scope !== undefined && change.scope !== locked.scope) this.assertMayChangeScope(caller, locked);
          if (expectedVersion !== undefined && locked.version !== expectedVersion) {
            throw new ZsError(
              "VERSION_MISMATCH",
              `Secret '${locked.name}' is at version ${locked.version}, not ${expectedVersion}; reload it and try again.`,
              { version: locked.version },
            );
          }
          const previous = change.values ? await this.readValues(locked) : undefined;
          const values = change.values && previous ? await change.values(previous, locked, tx) : undefined;
          const name = change.name ?? locked.name;
          const scope = change.scope ?? locked.scope;
          if (values) assertSecretSize(values, name);
          // Making a secret user-scoped makes it the private secret of whoever does it.
          const ownerId = scope === "user" && locked.scope !== "user" ? caller.userId : locked.ownerId;
          const updated = Math.max(Date.now(), Date.parse(locked.updated) + 1);
          const keys = values ? keysOf(values) : locked.keys;
          const outcome = await tx.updateSecret(locked.id, locked.version, { name, scope, ownerId, keys, updated });
          if (outcome === "stale") throw new StaleRow();
          if (outcome === "exists") throw this.secretExists(name, scope, locked.workspace);
          const version = locked.version + 1;
          // `values` exist only after readValues found the current ones through the same store.
          const written = values ? await this.placement.put(tx, locked.id, values, { isNew: false }, this.versionedWrite(version)) : undefined;
          await this.recordHistory(tx, caller, {
            secretId: locked.id,
            version,
            time: updated,
            action: change.action ?? (name !== locked.name || scope === locked.scope ? "rename" : "scope_change"),
            ...(values && previous ? { keys: diffKeys(previous, values), written: written! } : {}),
            ...(change.restoredVersion !== undefined ? { restoredVersion: change.restoredVersion } : {}),
          });
          const warnings = name === locked.name ? [] : await this.renameReferences(tx, caller, locked, name, change.updateReferences === true);
          const user = ownerId === caller.userId ? caller.userName : locked.user;
          const { ownerId: _previousOwner, ...metadata } = locked;
          return {
            ...metadata,
            name,
            scope,
            user,
            keys,
            version,
            updated: toIso(updated),
            values: values ?? (await this.readValues(locked)),
            ...(warnings.length > 0 ? { warnings } : {}),
          };
        });
      } catch (error) {
        if (!(error instanceof StaleRow) || attempt >= MAX_UPDATE_ATTEMPTS) {
          if (error instanceof StaleRow) {
            throw new ZsError("BACKEND_UNAVAILABLE", "The secret is being changed by others too often; try again.");
          }
          throw error;
        }
      }
    }
  }

  /**
   * After a rename of `secret` to `name`: the references components hold to the old name,
   * rewritten to the new one when `update` is set (unless the old name still means another
   * secret to the caller, the other scope's), else returned as a warning.
   */
  private async renameReferences(tx: MetadataTransaction, caller: Caller, secret: LockedSecret, name: string, update: boolean): Promise<SecretWarning[]> {
    const components = await tx.componentsMentioning(secret.workspace, secret.name);
    const usages = usagesIn(secret.name, components);
    if (usages.length === 0) return [];
    if (!update) return referencedWarnings(secret.name, usages, "renamed");
    const stillNamed = await tx.findSecretsByName(caller.userId, secret.workspace, secret.name);
    if (stillNamed.length > 0) {
      const [warning] = referencedWarnings(secret.name, usages, "renamed");
      return [
        {
          ...warning!,
          message: `References to '${secret.name}' were left alone: that name still means another (${stillNamed[0]!.scope}-scoped) secret. ${warning!.message}`,
        },
      ];
    }
    const now = Date.now();
    for (const component of components) {
      const configuration = renameInConfiguration(component.configuration, secret.name, name);
      if (configuration) await tx.updateComponentConfiguration(component.id, configuration, now);
    }
    return [];
  }

  /**
   * Adds the one history entry of a change made in `tx` (lifecycle.md): every create, merge,
   * replace, rename, scope change, rollback and recovery calls it once, in the transaction of
   * the metadata change, so an entry exists exactly when its change committed.
   */
  protected async recordHistory(tx: MetadataTransaction, caller: Caller, change: RecordedChange): Promise<void> {
    const keys = change.keys ?? { added: [], removed: [], changed: [] };
    const row: HistoryRow = {
      secretId: change.secretId,
      version: change.version,
      time: change.time,
      actor: caller.userName,
      action: change.action,
      keysAdded: keys.added,
      keysRemoved: keys.removed,
      keysChanged: keys.changed,
      valuesWritten: change.written !== undefined,
      backendVersion: change.written?.backendVersion,
    };
    if (change.restoredVersion !== undefined) row.restoredVersion = change.restoredVersion;
    await tx.history.insertEntry(row);
  }

  /** What a write making `version` tells the values store about versions (only one declaring `versioned`). */
  private versionedWrite(version: number) {
    return versionedWriteFor(this.placement.primary, version, this.historyMaxVersions);
  }

  private async readValues(secret: SecretMetadata, hint?: GetValuesHint): Promise<SecretValues> {
    const values = await this.placement.get(secret.id, hint);
    if (!values) {
      throw new ZsError(
        "BACKEND_UNAVAILABLE",
        `The values of secret '${secret.name}' (${secret.id}) are missing from the '${this.placement.primary.type}' values store.`,
      );
    }
    return values;
  }

  /**
   * Refuses a write once a migration (in another process) has moved the values to another store:
   * this process would write them where nobody reads them any more.
   */
  private async assertValuesStoreUnmoved(tx: MetadataTransaction): Promise<void> {
    if (this.placement.valuesStoreRecord === undefined) return;
    const current = await tx.lockValuesStoreRecord();
    // Read once the lock is held: a migration of this process that held it switched the placement meanwhile.
    const expected = this.placement.valuesStoreRecord;
    if (current === undefined || current === expected) return;
    assertHoldsValues(parseValuesStoreRecord(current), this.placement.primary);
    throw new ZsError(
      "CONFIGURATION_ERROR",
      `A migration moved this deployment's values to other '${this.placement.primary.type}' options; restart zs with the new ZS_SECRETS_STORE_* settings.`,
      { reason: "values_store_moved" },
    );
  }

  /**
   * `findSecret` (in `tx` when given), where a lookup in a workspace that does not exist is
   * `WORKSPACE_NOT_FOUND`: a misspelt or deleted workspace must not read as a missing secret.
   * Checked only once nothing was found, so a found secret costs no extra query.
   */
  private async lookupSecret(
    caller: Caller,
    nameOrId: string,
    lookup: Lookup,
    options: SecretReadOptions = {},
    tx?: MetadataTransaction,
  ): Promise<FoundSecret> {
    try {
      return await findSecret(tx ?? this.repository, caller, nameOrId, lookup, options);
    } catch (error) {
      const workspace = lookup.workspace ?? caller.workspace;
      if (hasErrorCode(error, "SECRET_NOT_FOUND") && workspace !== ALL_WORKSPACES) {
        if (tx) await this.requireWorkspace(tx, workspace);
        else await this.repository.transaction((check) => this.requireWorkspace(check, workspace));
      }
      throw error;
    }
  }

  private async requireWorkspace(tx: MetadataTransaction, name: string): Promise<Workspace> {
    const workspace = await tx.findWorkspace(name);
    if (!workspace) throw new ZsError("WORKSPACE_NOT_FOUND", `No workspace named '${name}'.`);
    return workspace;
  }

  private secretExists(name: string, scope: Scope, workspace: string): ZsError {
    const where = scope === "user" ? `among your user-scoped secrets in workspace '${workspace}'` : `in workspace '${workspace}'`;
    return new ZsError("SECRET_EXISTS", `A ${scope}-scoped secret named '${name}' already exists ${where}.`);
  }

  private notFound(nameOrId: string, lookup: Lookup, caller: Caller): ZsError {
    return secretNotFound(nameOrId, lookup.workspace ?? caller.workspace, lookup.scope);
  }

  /**
   * Only a secret's creator or an admin may change its scope (security.md): making a shared
   * secret user-scoped takes it away from everyone else, so no other user may do it.
   */
  private assertMayChangeScope(caller: Caller, secret: LockedSecret): void {
    if (secret.ownerId === caller.userId || caller.isAdmin) return;
    throw new ZsError(
      "FORBIDDEN",
      `Only the creator of secret '${secret.name}' (user '${secret.user}') or an admin may change its scope.`,
    );
  }

  private assertAdmin(caller: Caller, action: string): void {
    if (!caller.isAdmin) throw new ZsError("FORBIDDEN", `Only admins may ${action}.`);
  }

  private assertEnabled(): void {
    if (this.placement.primary.type === "none") {
      throw new ZsError("SECRETS_STORE_DISABLED", "Secrets are disabled on this deployment (ZS_SECRETS_STORE_TYPE=none).");
    }
  }
}

/** `LAST_ADMIN` when `admin` is the only admin left: a server nobody can administer cannot be repaired over its API. */
async function assertNotLastAdmin(tx: MetadataTransaction, admin: User, change: "deleted" | "demoted"): Promise<void> {
  const others = (await tx.lockAdminIds()).filter((id) => id !== admin.id);
  if (others.length === 0) {
    throw new ZsError("LAST_ADMIN", `User '${admin.name}' is the last admin and cannot be ${change}; make another user an admin first.`);
  }
}

/** A history row as the history shows it: no store internals. */
function historyEntryOf(row: HistoryRow): HistoryEntry {
  const entry: HistoryEntry = {
    version: row.version,
    time: toIso(row.time),
    actor: row.actor,
    action: row.action,
    keysAdded: row.keysAdded,
    keysRemoved: row.keysRemoved,
    keysChanged: row.keysChanged,
  };
  if (row.restoredVersion !== undefined) entry.restoredVersion = row.restoredVersion;
  return entry;
}

function versionValuesOf(secret: SecretMetadata, version: number, values: SecretValues): SecretVersionValues {
  return { id: secret.id, name: secret.name, version, currentVersion: secret.version, keys: keysOf(values), values };
}
