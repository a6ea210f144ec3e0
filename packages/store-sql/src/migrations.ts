import type { Knex } from "knex";

/** One step of the schema, applied once, in order, inside the migration lock. */
export interface Migration {
  name: string;
  up(knex: Knex): Promise<void>;
}

/** A name column: byte-wise ("C") collation on PostgreSQL, so sorting and matching agree with SQLite. */
function nameColumn(knex: Knex, table: Knex.CreateTableBuilder, column: string, length = 255): Knex.ColumnBuilder {
  return knex.client.config.client === "pg"
    ? table.specificType(column, `varchar(${length}) collate "C"`)
    : table.string(column, length);
}

/**
 * `name=contains:…` on PostgreSQL: a trigram index turns the scan into an index search. pg_trgm
 * is a trusted extension (any database owner may create it); where it is not installed the
 * filter still works, by scanning.
 */
async function createTrigramIndex(knex: Knex): Promise<void> {
  try {
    await knex.transaction(async (savepoint) => {
      await savepoint.raw("create extension if not exists pg_trgm");
      await savepoint.raw("create index secrets_name_trigram on secrets using gin (name gin_trgm_ops)");
    });
  } catch {
    // Without pg_trgm, contains/endswith filters scan; everything else is unaffected.
  }
}

/**
 * `name=contains:…` on SQLite: an FTS5 trigram index over secret names, kept in step with
 * `secrets` by triggers (foreign-key cascades fire them too).
 */
async function createNameSearchTable(knex: Knex): Promise<void> {
  await knex.raw(
    "create virtual table secrets_name_search using fts5(name, content = 'secrets', content_rowid = 'seq', tokenize = 'trigram case_sensitive 1')",
  );
  await knex.raw(
    "create trigger secrets_name_search_insert after insert on secrets begin " +
      "insert into secrets_name_search (rowid, name) values (new.seq, new.name); end",
  );
  await knex.raw(
    "create trigger secrets_name_search_delete after delete on secrets begin " +
      "insert into secrets_name_search (secrets_name_search, rowid, name) values ('delete', old.seq, old.name); end",
  );
  await knex.raw(
    "create trigger secrets_name_search_update after update of name on secrets begin " +
      "insert into secrets_name_search (secrets_name_search, rowid, name) values ('delete', old.seq, old.name); " +
      "insert into secrets_name_search (rowid, name) values (new.seq, new.name); end",
  );
  await seedPlannerStatistics(knex);
}

/**
 * SQLite plans from statistics; without any it guesses that a workspace holds a handful of
 * secrets, and then scans a whole workspace instead of asking the name index. These describe
 * the shape of a zs database (many secrets per workspace, one per id) until a real ANALYZE
 * replaces them.
 */
async function seedPlannerStatistics(knex: Knex): Promise<void> {
  await knex.raw("analyze");
  const statistics: [string, string, string][] = [
    ["secrets", "secrets_listing", "10000 1000 2 1 1"],
    ["secrets", "secrets_workspace_id_created_id_index", "10000 1000 1 1"],
    ["secrets", "secrets_workspace_id_updated_id_index", "10000 1000 1 1"],
    ["secrets", "secrets_owner_id_index", "10000 100"],
    ["secrets", "secrets_id_unique", "10000 1"],
    ["workspaces", "workspaces_name_unique", "10 1"],
    ["users", "users_name_unique", "100 1"],
  ];
  await knex("sqlite_stat1").whereIn("tbl", ["secrets", "workspaces", "users"]).delete();
  await knex("sqlite_stat1").insert(statistics.map(([tbl, idx, stat]) => ({ tbl, idx, stat })));
  await knex.raw("analyze sqlite_schema");
}

const initial: Migration = {
  name: "001_initial",
  async up(knex) {
    await knex.schema.createTable("zs_meta", (t) => {
      t.string("key", 64).primary();
      t.text("value").notNullable();
    });
    await knex.schema.createTable("workspaces", (t) => {
      t.string("id", 36).primary();
      nameColumn(knex, t, "name").notNullable().unique();
      t.bigInteger("created").notNullable();
    });
    await knex.schema.createTable("users", (t) => {
      t.string("id", 36).primary();
      nameColumn(knex, t, "name").notNullable().unique();
      t.boolean("is_admin").notNullable().defaultTo(false);
      t.text("password_hash");
      t.bigInteger("created").notNullable();
    });
    // Session tokens and API keys: only their SHA-256 is stored.
    await knex.schema.createTable("credentials", (t) => {
      t.string("id", 36).primary();
      t.string("user_id", 36).notNullable().references("id").inTable("users").onDelete("CASCADE");
      t.string("kind", 16).notNullable();
      t.string("name", 255);
      t.string("token_hash", 64).notNullable().unique();
      t.bigInteger("created").notNullable();
      t.bigInteger("expires");
      t.bigInteger("last_used");
      t.index(["user_id"]);
    });
    await knex.schema.createTable("secrets", (t) => {
      // A stable integer key (it never changes, not even by VACUUM) for SQLite's name index.
      t.increments("seq");
      nameColumn(knex, t, "id", 36).notNullable().unique();
      t.string("workspace_id", 36).notNullable().references("id").inTable("workspaces").onDelete("CASCADE");
      t.string("owner_id", 36).notNullable().references("id").inTable("users").onDelete("CASCADE");
      nameColumn(knex, t, "name").notNullable();
      t.string("scope", 16).notNullable();
      t.text("keys").notNullable();
      t.integer("version").notNullable();
      t.bigInteger("created").notNullable();
      t.bigInteger("updated").notNullable();
      t.index(["workspace_id", "created", "id"]);
      t.index(["workspace_id", "updated", "id"]);
      t.index(["owner_id"]);
    });
    // model.md uniqueness, enforced by the database so racing creates cannot both win.
    await knex.raw("create unique index secrets_workspace_name on secrets (workspace_id, name) where scope = 'workspace'");
    await knex.raw("create unique index secrets_user_name on secrets (workspace_id, owner_id, name) where scope = 'user'");
    // Lookup by name, and a narrow covering index a filtered count can scan instead of the table.
    await knex.raw("create index secrets_listing on secrets (workspace_id, name, scope, owner_id)");
    if (knex.client.config.client === "pg") await createTrigramIndex(knex);
    else await createNameSearchTable(knex);
    // The `sql` values store: one encrypted JSON object per secret id.
    await knex.schema.createTable("secret_values", (t) => {
      t.string("secret_id", 36).primary();
      t.text("ciphertext").notNullable();
    });
    await knex.schema.createTable("components", (t) => {
      t.string("id", 36).primary();
      t.string("workspace_id", 36).notNullable().references("id").inTable("workspaces").onDelete("CASCADE");
      t.string("owner_id", 36).notNullable().references("id").inTable("users").onDelete("CASCADE");
      nameColumn(knex, t, "name").notNullable();
      t.string("type", 255).notNullable();
      t.string("flavor", 255).notNullable();
      t.text("configuration").notNullable();
      t.bigInteger("created").notNullable();
      t.bigInteger("updated").notNullable();
      t.unique(["workspace_id", "name"]);
    });
    await knex.schema.createTable("stacks", (t) => {
      t.string("id", 36).primary();
      t.string("workspace_id", 36).notNullable().references("id").inTable("workspaces").onDelete("CASCADE");
      t.string("owner_id", 36).notNullable().references("id").inTable("users").onDelete("CASCADE");
      nameColumn(knex, t, "name").notNullable();
      t.bigInteger("created").notNullable();
      t.bigInteger("updated").notNullable();
      t.unique(["workspace_id", "name"]);
    });
    await knex.schema.createTable("stack_components", (t) => {
      t.string("stack_id", 36).notNullable().references("id").inTable("stacks").onDelete("CASCADE");
      t.string("component_id", 36).notNullable().references("id").inTable("components").onDelete("CASCADE");
      t.integer("position").notNullable();
      t.primary(["stack_id", "component_id"]);
    });
  },
};

/** The tables of components and stacks, children first. */
const COMPONENT_TABLES = ["stack_components", "stacks", "components"] as const;

/**
 * Components and stacks belong to their workspace, not to whoever registered them: deleting
 * that user keeps them (`owner_id` becomes null; 001 deleted them with the user, and with them
 * other people's stacks' memberships). A stack's position is unique, and the stacks holding a
 * component are found by index. SQLite cannot alter a foreign key, so the three tables are
 * rebuilt, their rows (none, before this release) carried over.
 */
const componentsOutliveTheirCreator: Migration = {
  name: "002_components_outlive_their_creator",
  async up(knex) {
    const rows = new Map<string, Record<string, unknown>[]>();
    for (const table of COMPONENT_TABLES) rows.set(table, await knex(table).select("*"));
    for (const table of COMPONENT_TABLES) await knex.schema.dropTable(table);
    await knex.schema.createTable("components", (t) => {
      t.string("id", 36).primary();
      t.string("workspace_id", 36).notNullable().references("id").inTable("workspaces").onDelete("CASCADE");
      t.string("owner_id", 36).nullable().references("id").inTable("users").onDelete("SET NULL");
      nameColumn(knex, t, "name").notNullable();
      t.string("type", 255).notNullable();
      t.string("flavor", 255).notNullable();
      t.text("configuration").notNullable();
      t.bigInteger("created").notNullable();
      t.bigInteger("updated").notNullable();
      t.unique(["workspace_id", "name"]);
    });
    await knex.schema.createTable("stacks", (t) => {
      t.string("id", 36).primary();
      t.string("workspace_id", 36).notNullable().references("id").inTable("workspaces").onDelete("CASCADE");
      t.string("owner_id", 36).nullable().references("id").inTable("users").onDelete("SET NULL");
      nameColumn(knex, t, "name").notNullable();
      t.bigInteger("created").notNullable();
      t.bigInteger("updated").notNullable();
      t.unique(["workspace_id", "name"]);
    });
    await knex.schema.createTable("stack_components", (t) => {
      t.string("stack_id", 36).notNullable().references("id").inTable("stacks").onDelete("CASCADE");
      // The service refuses to delete a component a stack holds; the cascade serves workspace deletion.
      t.string("component_id", 36).notNullable().references("id").inTable("components").onDelete("CASCADE");
      t.integer("position").notNullable();
      t.primary(["stack_id", "component_id"]);
      t.unique(["stack_id", "position"]);
      t.index(["component_id"]);
    });
    for (const table of [...COMPONENT_TABLES].reverse()) {
      const carried = rows.get(table)!;
      for (let i = 0; i < carried.length; i += 100) await knex(table).insert(carried.slice(i, i + 100));
    }
  },
};

/**
 * Failed-login counters (security.md), shared by every server instance on the database. The
 * key is a hash of what is counted (a client address, or a user name with an address), so a
 * password typed into the user name field is never stored.
 */
const loginCounters: Migration = {
  name: "003_login_counters",
  async up(knex) {
    await knex.schema.createTable("login_counters", (t) => {
      t.string("key", 80).primary();
      t.integer("failures").notNullable();
      t.bigInteger("last_failure").notNullable();
      t.bigInteger("blocked_until").notNullable();
    });
  },
};

/**
 * The backup store and migrations between values stores (stores.md): which secrets still need
 * their values copied to the backup (`backup_pending`) or deleted from it, and each migration
 * with the secrets it has copied and verified so far (the version copied, so a write made
 * since is copied again).
 */
const backupAndMigrations: Migration = {
  name: "004_backup_and_migrations",
  async up(knex) {
    await knex.schema.alterTable("secrets", (t) => {
      t.boolean("backup_pending").notNullable().defaultTo(false);
    });
    await knex.raw("create index secrets_backup_pending on secrets (id) where backup_pending");
    await knex.schema.createTable("backup_pending_deletes", (t) => {
      t.string("secret_id", 36).primary();
      t.bigInteger("marked").notNullable();
    });
    await knex.schema.createTable("values_migrations", (t) => {
      t.string("id", 36).primary();
      t.string("source_type", 255).notNullable();
      t.string("target_type", 255).notNullable();
      // The target's options without its credentials: what a resume must be given again.
      t.text("target_settings").notNullable();
      t.string("status", 16).notNullable();
      t.bigInteger("started").notNullable();
      t.bigInteger("finished");
      t.integer("secrets");
    });
    // At most one migration runs at a time, whichever process starts it.
    await knex.raw("create unique index values_migrations_running on values_migrations (status) where status = 'running'");
    await knex.schema.createTable("values_migration_progress", (t) => {
      t.string("migration_id", 36).notNullable().references("id").inTable("values_migrations").onDelete("CASCADE");
      t.string("secret_id", 36).notNullable();
      t.integer("version").notNullable();
      t.primary(["migration_id", "secret_id"]);
    });
  },
};

/**
 * Versions and history (lifecycle.md): one row per version of a secret, key names only (never a
 * value), removed with the secret; and the `sql` values store's earlier values, encrypted like
 * the current ones (the additional data binds the secret id and the version), which the store
 * prunes to the retention in each write and removes with the secret's values.
 */
const history: Migration = {
  name: "005_history",
  async up(knex) {
    await knex.schema.createTable("secret_history", (t) => {
      t.string("secret_id", 36).notNullable().references("id").inTable("secrets").onDelete("CASCADE");
      t.integer("version").notNullable();
      t.bigInteger("time").notNullable();
      t.string("actor", 255).notNullable();
      t.string("action", 32).notNullable();
      // JSON arrays of key names.
      t.text("keys_added").notNullable();
      t.text("keys_removed").notNullable();
      t.text("keys_changed").notNullable();
      t.boolean("values_written").notNullable();
      // The values store's opaque id of the values this version wrote; null: none, or not kept.
      t.text("backend_version");
      t.integer("restored_version");
      // Set by a migration's switch: the values this version wrote stayed in the old store.
      t.boolean("values_moved").notNullable().defaultTo(false);
      t.primary(["secret_id", "version"]);
    });
    await knex.schema.createTable("secret_value_versions", (t) => {
      t.string("secret_id", 36).notNullable();
      t.integer("version").notNullable();
      // Random per write: a backend version names these values only, never a later write of the same id and version.
      t.string("write_id", 36).notNullable();
      t.text("ciphertext").notNullable();
      t.primary(["secret_id", "version"]);
    });
  },
};

/**
 * Soft delete (lifecycle.md): a deleted secret keeps its row (and its values, in whichever store)
 * until `purge_after`; `deleted` is when it was deleted, null while it is live. Its name is free
 * at once, so the uniqueness indexes cover live rows only. The sweeper finds expired rows by
 * the partial `secrets_purge_after` index. The rows stay in `secrets`, so the backup store's
 * repair pass and migrations between values stores carry deleted secrets' values too.
 */
const softDelete: Migration = {
  name: "006_soft_delete",
  async up(knex) {
    await knex.schema.alterTable("secrets", (t) => {
      t.bigInteger("deleted").nullable();
      t.bigInteger("purge_after").nullable();
    });
    await knex.raw("drop index secrets_workspace_name");
    await knex.raw("drop index secrets_user_name");
    await knex.raw("create unique index secrets_workspace_name on secrets (workspace_id, name) where scope = 'workspace' and deleted is null");
    await knex.raw("create unique index secrets_user_name on secrets (workspace_id, owner_id, name) where scope = 'user' and deleted is null");
    await knex.raw("create index secrets_purge_after on secrets (purge_after) where deleted is not null");
  },
};

/**
 * The audit log (lifecycle.md "Audit log"): the events of one hash chain, each field a column
 * (so that editing any breaks the event's hash), and the chain's one row: its head (the last
 * event, read and moved under a lock by the instance flushing a batch) and its anchor (the
 * hash the first kept event follows, moved by retention pruning).
 */
const audit: Migration = {
  name: "007_audit",
  async up(knex) {
    await knex.schema.createTable("audit_events", (t) => {
      t.bigInteger("seq").primary();
      t.string("id", 36).notNullable();
      // ISO-8601 with milliseconds in UTC: sorts as it reads.
      t.string("time", 30).notNullable().index("audit_events_time");
      t.text("actor_user_id");
      t.text("actor_user_name");
      t.string("actor_via", 16);
      t.text("actor_api_key_id");
      t.string("action", 64).notNullable();
      t.string("target_type", 32).notNullable();
      t.text("target_id");
      t.text("target_name");
      t.text("target_workspace");
      t.string("outcome", 8).notNullable();
      t.string("error_code", 64);
      t.text("request_id");
      t.text("client_ip");
      t.text("user_agent");
      t.text("details").notNullable();
      t.string("prev_hash", 64).notNullable();
      t.string("hash", 64).notNullable();
    });
    await knex.schema.createTable("audit_chain", (t) => {
      t.integer("id").primary();
      t.bigInteger("head_seq").notNullable();
      t.string("head_hash", 64).notNullable();
      t.bigInteger("anchor_seq").notNullable();
      t.string("anchor_hash", 64).notNullable();
    });
    const genesis = "0".repeat(64);
    await knex("audit_chain").insert({ id: 1, head_seq: 0, head_hash: genesis, anchor_seq: 0, anchor_hash: genesis });
    // Each row must follow the head, which it then becomes: one insert statement appends a
    // batch atomically, and a batch linked to a head another instance moved is refused whole.
    if (knex.client.config.client === "pg") {
      // Once per statement, over the rows it inserted: one lock and one update of the head per batch.
      await knex.raw(`
        create function zs_audit_chain_advance() returns trigger language plpgsql as $$
        declare
          head record;
          first_row record;
          last_row record;
          row_count bigint;
        begin
          select head_seq, head_hash into head from audit_chain where id = 1 for update;
          select seq, prev_hash into first_row from inserted order by seq limit 1;
          select seq, hash into last_row from inserted order by seq desc limit 1;
          select count(*) into row_count from inserted;
          if first_row.seq <> head.head_seq + 1 or first_row.prev_hash <> head.head_hash or last_row.seq - first_row.seq + 1 <> row_count
             or exists (select 1 from inserted a join inserted b on b.seq = a.seq + 1 where b.prev_hash <> a.hash) then
            raise exception 'ZS_AUDIT_CHAIN_MOVED: events from % do not follow the head %', first_row.seq, head.head_seq;
          end if;
          update audit_chain set head_seq = last_row.seq, head_hash = last_row.hash where id = 1;
          return null;
        end $$`);
      await knex.raw(
        "create trigger audit_events_chain after insert on audit_events referencing new table as inserted for each statement execute function zs_audit_chain_advance()",
      );
    } else {
      await knex.raw(`
        create trigger audit_events_chain before insert on audit_events
        begin
          select raise(abort, 'ZS_AUDIT_CHAIN_MOVED')
            where new.seq <> (select head_seq + 1 from audit_chain where id = 1)
               or new.prev_hash <> (select head_hash from audit_chain where id = 1);
          update audit_chain set head_seq = new.seq, head_hash = new.hash where id = 1;
        end`);
    }
  },
};

/**
 * Revocation of cached authentications (operations.md "Authentication cache and revocation"):
 * every change that revokes or weakens access — a credential deleted (logout, API key delete,
 * expiry sweep, a user's cascade), a user deleted, demoted or given a new password — is
 * announced by the database itself, in the transaction that makes it, whichever process makes
 * it (a promotion too, so no cache lags behind the admin flag). On PostgreSQL a trigger sends
 * `NOTIFY zs_auth, '<token hash | user id>'` (delivered at commit, dropped on rollback). On
 * SQLite, where one server shares the file only with commands on the same host, the triggers
 * move a revocation epoch the server polls; its own changes move it too (its cache then
 * empties at the next poll, costing one read per token).
 */
const authRevocation: Migration = {
  name: "008_auth_revocation",
  async up(knex) {
    const userWeakened = "old.is_admin is distinct from new.is_admin or old.password_hash is distinct from new.password_hash";
    if (knex.client.config.client === "pg") {
      await knex.raw(`
        create function zs_auth_revoke_credential() returns trigger language plpgsql as $$
        begin perform pg_notify('zs_auth', old.token_hash); return null; end $$`);
      await knex.raw(`
        create function zs_auth_revoke_user() returns trigger language plpgsql as $$
        begin perform pg_notify('zs_auth', old.id); return null; end $$`);
      await knex.raw("create trigger credentials_auth_revoke after delete on credentials for each row execute function zs_auth_revoke_credential()");
      await knex.raw("create trigger users_auth_revoke_delete after delete on users for each row execute function zs_auth_revoke_user()");
      await knex.raw(
        `create trigger users_auth_revoke_update after update of is_admin, password_hash on users for each row when (${userWeakened}) execute function zs_auth_revoke_user()`,
      );
      return;
    }
    await knex.schema.createTable("auth_revocation", (t) => {
      t.integer("id").primary();
      t.bigInteger("epoch").notNullable();
    });
    await knex("auth_revocation").insert({ id: 1, epoch: 0 });
    const bump = "update auth_revocation set epoch = epoch + 1 where id = 1;";
    await knex.raw(`create trigger credentials_auth_revoke after delete on credentials begin ${bump} end`);
    await knex.raw(`create trigger users_auth_revoke_delete after delete on users begin ${bump} end`);
    await knex.raw(
      `create trigger users_auth_revoke_update after update of is_admin, password_hash on users when ${userWeakened.replaceAll("is distinct from", "is not")} begin ${bump} end`,
    );
  },
};

/**
 * History across a migration between values stores (lifecycle.md): the backend versions a
 * migration's copies got from the target for each history version they wrote, per secret; at
 * the switch they become the history's `backend_version`.
 */
const migratedVersions: Migration = {
  name: "009_migrated_versions",
  async up(knex) {
    await knex.schema.createTable("values_migration_versions", (t) => {
      t.string("migration_id", 36).notNullable().references("id").inTable("values_migrations").onDelete("CASCADE");
      t.string("secret_id", 36).notNullable();
      t.integer("version").notNullable();
      t.text("backend_version").notNullable();
      t.primary(["migration_id", "secret_id", "version"]);
    });
  },
};

/**
 * On PostgreSQL, every column that holds a secret's id in the byte-wise collation of
 * `secrets.id`: a join of two columns of different collations cannot use either one's index,
 * so each get scanned all of `secret_values`, and a list all of `secret_history`.
 */
const secretIdCollation: Migration = {
  name: "010_secret_id_collation",
  async up(knex) {
    if (knex.client.config.client !== "pg") return;
    const tables = ["secret_values", "backup_pending_deletes", "values_migration_progress", "secret_history", "secret_value_versions", "values_migration_versions"];
    for (const table of tables) await knex.raw(`alter table ?? alter column secret_id type varchar(36) collate "C"`, [table]);
  },
};

/** The schema's migrations, oldest first; the name of the last one applied is kept in `zs_meta`. */
export const MIGRATIONS: readonly Migration[] = [initial, componentsOutliveTheirCreator, loginCounters, backupAndMigrations, history, softDelete, audit, authRevocation, migratedVersions, secretIdCollation];

/** The name of the newest migration: a database that recorded it needs no migrating. */
export const LATEST_MIGRATION = MIGRATIONS[MIGRATIONS.length - 1]!.name;
