import type { Knex } from "knex";

type Migration = { name: string; up(knex: Knex): Promise<void>; down(knex: Knex): Promise<void> };

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
      nameColumn(knex, t, "id", 36).primary();
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
  async down(knex) {
    for (const table of ["stack_components", "stacks", "components", "secret_values", "secrets", "credentials", "users", "workspaces", "zs_meta"]) {
      await knex.schema.dropTableIfExists(table);
    }
  },
};

const MIGRATIONS: readonly Migration[] = [initial];

/** The schema migrations, shipped in code (no migration files to find at run time). */
export const migrationSource: Knex.MigrationSource<Migration> = {
  async getMigrations() {
    return [...MIGRATIONS];
  },
  getMigrationName(migration) {
    return migration.name;
  },
  async getMigration(migration) {
    return migration;
  },
};
