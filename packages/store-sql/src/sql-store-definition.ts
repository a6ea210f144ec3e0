import * as z from "zod";
import { STORE_API_VERSION, defineStore, type StoreDefinition } from "@zs/core";
import type { SqlDatabase } from "./sql-database.js";
import { SqlValuesStore, type KeySource } from "./sql-values-store.js";

/**
 * The registry entry of the built-in `sql` type. Unlike other stores it lives in the metadata
 * database, so the app builds it around the database it opened. It takes no options.
 */
export function sqlStoreDefinition(database: SqlDatabase, keys: KeySource): StoreDefinition<Record<string, never>> {
  return defineStore({
    apiVersion: STORE_API_VERSION,
    type: "sql",
    optionsSchema: z.strictObject({}),
    create: () => SqlValuesStore.open(database, keys),
  });
}
