import type { Knex } from "knex";
import type {
  Configuration,
  DeletedSecretMatch,
  ExpiredSecret,
  FoundSecret,
  ListedSecret,
  LockedDeletedSecret,
  LockedSecret,
  ReferencingComponent,
  MetadataRepository,
  MetadataTransaction,
  ParsedSecretQuery,
  SecretReadOptions,
  SecretRow,
  SecretRowChanges,
  User,
  Workspace,
} from "@zs/core";
import { KnexHistoryRepository } from "./knex-history-repository.js";
import { LIKE_ESCAPE, SECRET_COLUMNS, applySecretFilters, escapeLike } from "./secret-filter-compiler.js";
import { prepareRead, type ParameterOf, type PreparedRead } from "./prepared-read.js";
import { isUniqueViolation, type SqlDatabase } from "./sql-database.js";

interface SecretRecord {
  id: string;
  name: string;
  scope: "workspace" | "user";
  workspace: string;
  user: string;
  owner_id: string;
  keys: string;
  version: number | string;
  created: number | string;
  updated: number | string;
  /** Present when the read joined the values (`withStoredValues`), `null` when there were none. */
  stored_values?: string | null;
  /** Present on reads of deleted secrets. */
  deleted?: number | string | null;
  purge_after?: number | string | null;
  /** Present on lists: the actor of the history entry of the current version, if any. */
  updated_by?: string | null;
}

const SECRET_SELECT = [
  "s.id",
  "s.name",
  "s.scope",
  "w.name as workspace",
  "u.name as user",
  "s.owner_id",
  "s.keys",
  "s.version",
  "s.created",
  "s.updated",
];

/** Epoch milliseconds as ISO-8601; PostgreSQL returns bigint columns as strings. */
export const iso = (ms: number | string) => new Date(Number(ms)).toISOString();

function toMetadata(record: SecretRecord): FoundSecret {
  const secret: FoundSecret = {
    id: record.id,
    name: record.name,
    scope: record.scope,
    workspace: record.workspace,
    user: record.user,
    keys: JSON.parse(record.keys) as string[],
    version: Number(record.version),
    created: iso(record.created),
    updated: iso(record.updated),
  };
  if (record.stored_values !== undefined) secret.storedValues = record.stored_values;
  if (record.updated_by !== undefined) Object.assign(secret, { updatedBy: record.updated_by });
  if (record.deleted !== undefined && record.deleted !== null) {
    Object.assign(secret, { deleted: iso(record.deleted), purgeAfter: iso(record.purge_after ?? record.deleted) });
  }
  return secret;
}

const DELETED_SELECT = [...SECRET_SELECT, "s.deleted", "s.purge_after"];


function toWorkspace(record: { id: string; name: string; created: number | string }): Workspace {
  return { id: record.id, name: record.name, created: iso(record.created) };
}

/** The workspace named `name`, if any. */
export async function findWorkspaceByName(db: Knex, name: string): Promise<Workspace | undefined> {
  const record = await db("workspaces").where({ name }).first("id", "name", "created");
  return record ? toWorkspace(record) : undefined;
}

export function toUser(record: { id: string; name: string; is_admin: boolean | number; created: number | string }): User {
  return { id: record.id, name: record.name, isAdmin: Boolean(record.is_admin), created: iso(record.created) };
}

/** Inserts, turning a unique-index refusal into `exists`. */
export async function insertUnique(query: Knex.QueryBuilder): Promise<"inserted" | "exists"> {
  try {
    await query;
    return "inserted";
  } catch (error) {
    if (isUniqueViolation(error)) return "exists";
    throw error;
  }
}

/** Confines a query over `w` (workspaces) to the workspace named `workspace`; `undefined` means all. */
function inWorkspace(builder: Knex.QueryBuilder, workspace: string | undefined): Knex.QueryBuilder {
  return workspace === undefined ? builder : builder.where("w.name", workspace);
}

/** Queries shared by the repository (on the pool) and its transactions. */
class SecretQueries {
  constructor(
    protected readonly db: Knex | Knex.Transaction,
    protected readonly dialect: SqlDatabase["dialect"],
  ) {}

  /**
   * The visible secrets joined with their workspace and (unless `withOwner` is false) owner
   * names: the live ones, or with `deleted` the deleted ones (lifecycle.md "Soft delete").
   */
  protected visibleSecrets(viewerId: string, withOwner = true, deleted = false): Knex.QueryBuilder {
    const builder = this.db({ s: "secrets" })
      .join({ w: "workspaces" }, "w.id", "s.workspace_id")
      // The scope as a literal, not a bound value: only then can either planner prove, once per
      // prepared statement, that the partial name indexes (scope = 'workspace') apply; SQLite
      // re-plans a statement on every run when a bound value decides it.
      .where((visible) => visible.whereRaw("s.scope = 'workspace'").orWhere("s.owner_id", viewerId))
      // A literal too, for the same reason: the partial unique indexes hold live rows only.
      .whereRaw(deleted ? "s.deleted is not null" : "s.deleted is null");
    return withOwner ? builder.join({ u: "users" }, "u.id", "s.owner_id") : builder;
  }

  /**
   * The visible secrets with the columns of a lookup and, when asked, the `sql` values store's
   * ciphertext from the same database (`secret_values`), so a get reads both in one query.
   */
  protected foundSecrets(viewerId: string, options: SecretReadOptions = {}): Knex.QueryBuilder {
    const builder = this.visibleSecrets(viewerId);
    if (!options.withStoredValues) return builder.select(SECRET_SELECT);
    return builder.leftJoin({ v: "secret_values" }, "v.secret_id", "s.id").select([...SECRET_SELECT, "v.ciphertext as stored_values"]);
  }

  async findSecretById(viewerId: string, id: string, options?: SecretReadOptions): Promise<FoundSecret | undefined> {
    const record = await this.foundSecrets(viewerId, options).where("s.id", id).first();
    return record ? toMetadata(record) : undefined;
  }

  async findSecretsByName(viewerId: string, workspace: string | undefined, name: string, options?: SecretReadOptions): Promise<FoundSecret[]> {
    const records = await inWorkspace(this.foundSecrets(viewerId, options), workspace).where("s.name", name);
    return records.map(toMetadata);
  }

  async findSecretsByIdPrefix(
    viewerId: string,
    workspace: string | undefined,
    prefix: string,
    limit: number,
    options?: SecretReadOptions,
  ): Promise<FoundSecret[]> {
    // The prefix is hex and dashes only (checked by lookup), so it needs no LIKE escaping.
    const records = await inWorkspace(this.foundSecrets(viewerId, options), workspace)
      .where("s.id", "like", `${prefix}%`)
      .orderBy("s.id")
      .limit(limit);
    return records.map(toMetadata);
  }

  async findUser(name: string): Promise<User | undefined> {
    const record = await this.db("users").where({ name }).first("id", "name", "is_admin", "created");
    return record ? toUser(record) : undefined;
  }

  async componentsMentioning(workspace: string, secretName: string): Promise<ReferencingComponent[]> {
    // Narrowed by text (the name as JSON holds it: names need no escaping); core parses the rest.
    const records: { id: string; name: string; configuration: string }[] = await this.db({ c: "components" })
      .join({ w: "workspaces" }, "w.id", "c.workspace_id")
      .where("w.name", workspace)
      .whereRaw("c.configuration like ? escape ?", [`%${escapeLike(secretName)}%`, LIKE_ESCAPE])
      .orderBy("c.name")
      .select("c.id", "c.name", "c.configuration");
    if (records.length === 0) return [];
    const memberships: { component_id: string; name: string }[] = await this.db({ sc: "stack_components" })
      .join({ st: "stacks" }, "st.id", "sc.stack_id")
      .whereIn(
        "sc.component_id",
        records.map((record) => record.id),
      )
      .orderBy("st.name")
      .select("sc.component_id", "st.name");
    return records.map((record) => ({
      id: record.id,
      name: record.name,
      configuration: JSON.parse(record.configuration) as Configuration,
      stacks: memberships.filter((m) => m.component_id === record.id).map((m) => m.name),
    }));
  }
}

/** The `zs_meta` key of the values store record (which store holds the values). */
export const VALUES_STORE_RECORD = "values_store";

class KnexMetadataTransaction extends SecretQueries implements MetadataTransaction {
  readonly history = new KnexHistoryRepository(this.db);

  async lockSecret(viewerId: string, id: string): Promise<LockedSecret | undefined> {
    const query = this.visibleSecrets(viewerId).where("s.id", id).first(SECRET_SELECT);
    // Lock the secret's row only; SQLite's write transaction is already exclusive.
    const record: SecretRecord | undefined = await (this.dialect === "postgres" ? query.forUpdate("s") : query);
    return record ? { ...toMetadata(record), ownerId: record.owner_id } : undefined;
  }

  insertSecret(row: SecretRow): Promise<"inserted" | "exists"> {
    return insertUnique(
      this.db("secrets").insert({
        id: row.id,
        workspace_id: row.workspaceId,
        owner_id: row.ownerId,
        name: row.name,
        scope: row.scope,
        keys: JSON.stringify(row.keys),
        version: row.version,
        created: row.created,
        updated: row.updated,
      }),
    );
  }

  async updateSecret(id: string, expectedVersion: number, changes: SecretRowChanges): Promise<"updated" | "stale" | "exists"> {
    try {
      const count = await this.db("secrets")
        .where({ id, version: expectedVersion })
        .update({
          name: changes.name,
          scope: changes.scope,
          owner_id: changes.ownerId,
          keys: JSON.stringify(changes.keys),
          updated: changes.updated,
          version: this.db.raw("version + 1"),
        });
      return count === 1 ? "updated" : "stale";
    } catch (error) {
      if (isUniqueViolation(error)) return "exists";
      throw error;
    }
  }

  async deleteSecret(id: string): Promise<void> {
    await this.db("secrets").where({ id }).delete();
  }

  async softDeleteSecret(id: string, deleted: number, purgeAfter: number): Promise<void> {
    await this.db("secrets").where({ id }).update({ deleted, purge_after: purgeAfter });
  }

  async lockDeletedSecrets(viewerId: string, workspace: string | undefined, match: DeletedSecretMatch, limit: number): Promise<LockedDeletedSecret[]> {
    let query = inWorkspace(this.visibleSecrets(viewerId, true, true), workspace);
    if (match.by === "id") query = query.where("s.id", match.value);
    else if (match.by === "name") query = query.where("s.name", match.value);
    // Hex and dashes only (checked by the service): no LIKE escaping needed.
    else query = query.where("s.id", "like", `${match.value}%`);
    query = query.orderBy("s.id").limit(limit).select(DELETED_SELECT);
    const records: SecretRecord[] = await (this.dialect === "postgres" ? query.forUpdate("s") : query);
    return records.map((record) => ({ ...(toMetadata(record) as LockedDeletedSecret), ownerId: record.owner_id }));
  }

  async recoverSecret(id: string, name: string, updated: number): Promise<"recovered" | "exists"> {
    try {
      await this.db("secrets")
        .where({ id })
        .whereNotNull("deleted")
        .update({ name, deleted: null, purge_after: null, updated, version: this.db.raw("version + 1") });
      return "recovered";
    } catch (error) {
      if (isUniqueViolation(error)) return "exists";
      throw error;
    }
  }

  async lockExpiredSecret(now: number, skipIds: readonly string[]): Promise<ExpiredSecret | undefined> {
    const query = this.db({ s: "secrets" })
      .join({ w: "workspaces" }, "w.id", "s.workspace_id")
      .whereNotNull("s.deleted")
      .where("s.purge_after", "<=", now)
      .whereNotIn("s.id", [...skipIds])
      .orderBy("s.purge_after")
      .first({ id: "s.id", name: "s.name", workspace: "w.name" });
    // SQLite has one writer at a time: the row a concurrent sweeper purged is gone when this reads.
    const row: ExpiredSecret | undefined = await (this.dialect === "postgres" ? query.forUpdate("s").skipLocked() : query);
    return row && { id: row.id, name: row.name, workspace: row.workspace };
  }

  async updateComponentConfiguration(componentId: string, configuration: Configuration, updated: number): Promise<void> {
    await this.db("components").where({ id: componentId }).update({ configuration: JSON.stringify(configuration), updated });
  }

  async lockValuesStoreRecord(): Promise<string | undefined> {
    const query = this.db("zs_meta").where({ key: VALUES_STORE_RECORD }).first("value");
    // A shared lock: writers go on side by side, and a migration's switch waits for them (SQLite: one writer at a time anyway).
    const row = await (this.dialect === "postgres" ? query.forShare() : query);
    return row ? String(row.value) : undefined;
  }

  async markBackupPending(secretId: string): Promise<void> {
    await this.db("secrets").where({ id: secretId }).update({ backup_pending: true });
  }

  async markBackupDeletePending(secretId: string): Promise<void> {
    await this.db("backup_pending_deletes").insert({ secret_id: secretId, marked: Date.now() }).onConflict("secret_id").ignore();
  }

  findWorkspace(name: string): Promise<Workspace | undefined> {
    return findWorkspaceByName(this.db, name);
  }

  insertWorkspace(workspace: Workspace): Promise<"inserted" | "exists"> {
    return insertUnique(this.db("workspaces").insert({ id: workspace.id, name: workspace.name, created: Date.parse(workspace.created) }));
  }

  async deleteWorkspace(id: string): Promise<void> {
    await this.db("workspaces").where({ id }).delete();
  }

  async secretIdsInWorkspace(workspaceId: string): Promise<string[]> {
    return (await this.db("secrets").where({ workspace_id: workspaceId }).pluck("id")) as string[];
  }

  insertUser(user: User): Promise<"inserted" | "exists"> {
    return insertUnique(
      this.db("users").insert({ id: user.id, name: user.name, is_admin: user.isAdmin, created: Date.parse(user.created) }),
    );
  }

  async deleteUser(id: string): Promise<void> {
    await this.db("users").where({ id }).delete();
  }

  async secretIdsOwnedBy(userId: string): Promise<string[]> {
    return (await this.db("secrets").where({ owner_id: userId }).pluck("id")) as string[];
  }

  async countLiveSecretsOwnedBy(userId: string): Promise<number> {
    const row = await this.db("secrets").where({ owner_id: userId }).whereNull("deleted").count({ total: "*" }).first();
    return Number(row?.total ?? 0);
  }

  async setUserAdmin(id: string, isAdmin: boolean): Promise<void> {
    await this.db("users").where({ id }).update({ is_admin: isAdmin });
  }

  async lockAdminIds(): Promise<string[]> {
    const admins = this.db("users").where({ is_admin: true }).orderBy("id");
    // SQLite has no row locks: a transaction that read and then writes after another one
    // committed is refused (SQLITE_BUSY) and run again, reading afresh.
    return (await (this.dialect === "postgres" ? admins.forUpdate() : admins).pluck("id")) as string[];
  }
}

/** A lookup prepared twice, without and with the stored values; gives the one `options` ask for. */
function prepareLookup<P extends Record<string, unknown>>(
  build: (parameter: ParameterOf<P>, options: SecretReadOptions) => Knex.QueryBuilder,
): (options?: SecretReadOptions) => PreparedRead<P, SecretRecord> {
  const plain = prepareRead<P, SecretRecord>((parameter) => build(parameter, {}));
  const withStoredValues = prepareRead<P, SecretRecord>((parameter) => build(parameter, { withStoredValues: true }));
  return (options = {}) => (options.withStoredValues ? withStoredValues : plain);
}

/** The knex `MetadataRepository`: secrets, workspaces and users on SQLite or PostgreSQL. */
export class KnexMetadataRepository extends SecretQueries implements MetadataRepository {
  /** The lookups of every get (lookup.ts), prepared once. */
  private readonly secretById: ReturnType<typeof prepareLookup<{ viewerId: string; id: string }>>;
  private readonly secretsByName: ReturnType<typeof prepareLookup<{ viewerId: string; workspace: string; name: string }>>;

  readonly history: KnexHistoryRepository;

  constructor(private readonly database: SqlDatabase) {
    super(database.knex, database.dialect);
    this.history = new KnexHistoryRepository(database.knex);
    this.secretById = prepareLookup((parameter, options) => this.foundSecrets(parameter("viewerId"), options).where("s.id", parameter("id")).first());
    this.secretsByName = prepareLookup((parameter, options) =>
      this.foundSecrets(parameter("viewerId"), options).where("w.name", parameter("workspace")).where("s.name", parameter("name")),
    );
  }

  override async findSecretById(viewerId: string, id: string, options?: SecretReadOptions): Promise<FoundSecret | undefined> {
    const [record] = await this.database.read(this.secretById(options), { viewerId, id });
    return record ? toMetadata(record) : undefined;
  }

  override async findSecretsByName(viewerId: string, workspace: string | undefined, name: string, options?: SecretReadOptions): Promise<FoundSecret[]> {
    // Every workspace (`*`) is rare enough to go unprepared.
    if (workspace === undefined) return super.findSecretsByName(viewerId, workspace, name, options);
    return (await this.database.read(this.secretsByName(options), { viewerId, workspace, name })).map(toMetadata);
  }

  get deploymentId(): string {
    return this.database.deploymentId;
  }

  transaction<T>(work: (tx: MetadataTransaction) => Promise<T>): Promise<T> {
    return this.database.transaction((trx) => work(new KnexMetadataTransaction(trx, this.dialect)));
  }

  async listSecrets(viewerId: string, query: ParsedSecretQuery): Promise<{ items: ListedSecret[]; total: number | undefined }> {
    const { field, direction } = query.sort;
    const page = this.matchingSecrets(viewerId, query)
      .orderBy([
        { column: SECRET_COLUMNS[field], order: direction },
        // Ties by id, so pages never overlap or skip.
        { column: "s.id", order: direction },
      ])
      .limit(query.size)
      .offset((query.page - 1) * query.size)
      // The count as a scalar subquery: both databases run it once, and the list stays one query.
      .select([...(query.deleted ? DELETED_SELECT : SECRET_SELECT), this.matchCount(viewerId, query).as("total")]);
    // Who made each current version: its history entry, looked up by primary key for the page's rows only.
    const records: (SecretRecord & { total: number | string })[] = await this.db
      .select("p.*", "h.actor as updated_by")
      .from(page.as("p"))
      .leftJoin({ h: "secret_history" }, (on) => on.on("h.secret_id", "p.id").andOn("h.version", "p.version"))
      .orderBy([
        { column: `p.${field}`, order: direction },
        { column: "p.id", order: direction },
      ]);
    return { items: records.map((record) => toMetadata(record) as ListedSecret), total: records[0] === undefined ? undefined : Number(records[0].total) };
  }

  async countSecrets(viewerId: string, query: ParsedSecretQuery): Promise<number> {
    const row = await this.matchCount(viewerId, query).first();
    return Number(row?.total ?? 0);
  }

  /** The visible secrets a list query's filters match. */
  private matchingSecrets(viewerId: string, query: ParsedSecretQuery, withOwner = true): Knex.QueryBuilder {
    const builder = this.visibleSecrets(viewerId, withOwner, query.deleted);
    applySecretFilters(builder, query, this.dialect);
    return builder;
  }

  /** `select count(*) as total` of what a list query matches. */
  private matchCount(viewerId: string, query: ParsedSecretQuery): Knex.QueryBuilder {
    // Joining the owners costs a lookup per row; a count needs them only to filter on `user`.
    return this.matchingSecrets(viewerId, query, query.conditions.some((c) => c.field === "user")).count({ total: "*" });
  }

  async listWorkspaces(): Promise<Workspace[]> {
    return (await this.db("workspaces").orderBy("name").select("id", "name", "created")).map(toWorkspace);
  }

  async listUsers(): Promise<User[]> {
    return (await this.db("users").orderBy("name").select("id", "name", "is_admin", "created")).map(toUser);
  }

  close(): Promise<void> {
    return this.database.close();
  }
}
