import { randomUUID } from "node:crypto";
import type { Knex } from "knex";
import { DEFAULT_WORKSPACE, ZsError } from "@zs/core";
import type { SqlDialect } from "./database-url.js";
import { MIGRATIONS } from "./migrations.js";

/** Any constant: the PostgreSQL advisory lock every zs process takes while migrating. */
const POSTGRES_MIGRATION_LOCK = 0x7a73_0001;
const LOCK_ATTEMPTS = 5;

/**
 * Brings the schema up to date, then makes sure the deployment id and workspace `default`
 * exist; returns the deployment id. Everything runs in one transaction holding the database's
 * own lock (SQLite's write lock, a PostgreSQL advisory lock), so processes starting together
 * wait for each other, and one killed half-way leaves nothing behind: no half-applied
 * migration and no lock to clear by hand.
 */
export async function migrateSchema(knex: Knex, dialect: SqlDialect): Promise<string> {
  return withMigrationLock(knex, dialect, async (db) => {
    const applied = (await db.schema.hasTable("zs_meta")) ? await readMeta(db, "schema") : undefined;
    const done = applied === undefined ? 0 : MIGRATIONS.findIndex((migration) => migration.name === applied) + 1;
    if (applied !== undefined && done === 0) {
      throw new ZsError("CONFIGURATION_ERROR", `The database's schema (${applied}) is newer than this version of zs; upgrade zs.`);
    }
    for (const migration of MIGRATIONS.slice(done)) {
      await migration.up(db);
      await db("zs_meta").insert({ key: "schema", value: migration.name }).onConflict("key").merge();
    }
    await db("zs_meta").insert({ key: "deployment_id", value: randomUUID() }).onConflict("key").ignore();
    await db("workspaces").insert({ id: randomUUID(), name: DEFAULT_WORKSPACE, created: Date.now() }).onConflict("name").ignore();
    return (await readMeta(db, "deployment_id"))!;
  });
}

async function readMeta(db: Knex, key: string): Promise<string | undefined> {
  const row = await db("zs_meta").where({ key }).first("value");
  return row ? String(row.value) : undefined;
}

async function withMigrationLock<T>(knex: Knex, dialect: SqlDialect, work: (db: Knex) => Promise<T>): Promise<T> {
  if (dialect === "postgres") {
    return knex.transaction(async (trx) => {
      await trx.raw("select pg_advisory_xact_lock(?)", [POSTGRES_MIGRATION_LOCK]);
      return work(trx);
    });
  }
  // SQLite: the pool has one connection, so these statements share it. BEGIN IMMEDIATE takes
  // the write lock up front; a process migrating meanwhile is waited for (busy_timeout).
  for (let attempt = 1; ; attempt++) {
    try {
      await knex.raw("begin immediate");
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== "SQLITE_BUSY" || attempt >= LOCK_ATTEMPTS) throw error;
    }
  }
  try {
    const result = await work(knex);
    await knex.raw("commit");
    return result;
  } catch (error) {
    await knex.raw("rollback").catch(() => undefined);
    throw error;
  }
}
