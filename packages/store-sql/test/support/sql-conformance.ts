import { describe, it, expect, beforeAll, afterAll } from "@jest/globals";
import { runSecretsServiceConformance, runValuesStoreConformance, type TestApi } from "@zs/store-conformance";
import { KeyRing } from "@zs/core";
import { SqlDatabase, SqlValuesStore } from "../../src/index.js";
import { openSqlService, randomKeys, type TestDatabase } from "./test-databases.js";

/** jest's functions, as the suites take them. */
export const jestApi: TestApi = { describe, it, expect, beforeAll, afterAll };

/** Runs the values-store and the service conformance suites on one kind of database. */
export function runSqlConformance(label: string, createDatabase: () => Promise<TestDatabase>): void {
  let shared: { db: TestDatabase; database: SqlDatabase; keyRing: KeyRing } | undefined;
  runValuesStoreConformance({
    name: `sql (${label})`,
    api: jestApi,
    async createStore() {
      if (!shared) {
        const db = await createDatabase();
        shared = { db, database: await SqlDatabase.open(db.url), keyRing: new KeyRing(randomKeys()) };
      }
      return SqlValuesStore.open(shared.database, shared.keyRing);
    },
    async readStoredValues(secretId) {
      const row = await shared!.database.knex("secret_values").where({ secret_id: secretId }).first("ciphertext");
      return row?.ciphertext ?? null;
    },
    async cleanup() {
      await shared?.database.close();
      await shared?.db.drop();
    },
  });

  runSecretsServiceConformance({
    name: label,
    api: jestApi,
    async open() {
      const db = await createDatabase();
      const { service } = await openSqlService(db.url);
      return {
        service,
        async teardown() {
          await service.close();
          await db.drop();
        },
      };
    },
  });
}
