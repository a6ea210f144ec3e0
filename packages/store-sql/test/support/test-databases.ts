import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import knexFactory from "knex";
import { KeyRing, SecretsService, generateEncryptionKey, parseEncryptionKeys, type EncryptionKey } from "@zs/core";
import { KnexMetadataRepository, SqlDatabase, SqlValuesStore } from "../../src/index.js";

/** The PostgreSQL the tests use, from `ZS_TEST_POSTGRES_URL`; unset means those tests are skipped. */
export const postgresUrl = process.env.ZS_TEST_POSTGRES_URL || undefined;

/** A throwaway database URL and how to remove it. */
export interface TestDatabase {
  url: string;
  /** The SQLite file, for tests that read its bytes. */
  file?: string;
  drop(): Promise<void>;
}

/** A SQLite file in a fresh temp dir. */
export async function createSqliteDatabase(): Promise<TestDatabase> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "zs-sqlite-"));
  const file = path.join(dir, "zs.db");
  return { url: `sqlite:${file}`, file, drop: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A fresh database on the test PostgreSQL (or on the server of `adminUrl`, as the benches ask),
 * so test files never see each other's rows. Throws when the server does not answer.
 */
export async function createPostgresDatabase(adminUrl = postgresUrl): Promise<TestDatabase> {
  if (!adminUrl) throw new Error("ZS_TEST_POSTGRES_URL is not set");
  const name = `zs_test_${randomBytes(6).toString("hex")}`;
  const admin = knexFactory({ client: "pg", connection: adminUrl, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(`create database ${name}`);
  } catch (error) {
    // An open pool would keep the process alive.
    await admin.destroy();
    throw error;
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.raw(`drop database if exists ${name} with (force)`);
      await admin.destroy();
    },
  };
}

/** The databases every cross-database test runs on: SQLite always, PostgreSQL when configured. */
export const testDatabases: [string, () => Promise<TestDatabase>][] = [
  ["SQLite", createSqliteDatabase],
  ...(postgresUrl ? [["PostgreSQL", createPostgresDatabase] as [string, () => Promise<TestDatabase>]] : []),
];

/** A fresh random key ring. */
export function randomKeys(id?: string): EncryptionKey[] {
  const problems: string[] = [];
  const key = generateEncryptionKey();
  const keys = parseEncryptionKeys(id ? { keys: `${id}:${key}` } : { key }, problems);
  if (problems.length > 0) throw new Error(problems.join("; "));
  return keys;
}

/** A `SecretsService` over the `sql` values store on `databaseUrl`. */
export async function openSqlService(databaseUrl: string, keys: EncryptionKey[] = randomKeys()) {
  const database = await SqlDatabase.open(databaseUrl);
  const values = await SqlValuesStore.open(database, new KeyRing(keys)).catch(async (error: unknown) => {
    await database.close();
    throw error;
  });
  return { database, values, service: new SecretsService(new KnexMetadataRepository(database), values) };
}
