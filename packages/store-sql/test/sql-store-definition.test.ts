import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { KeyRing, StoreRegistry, isZsError, silentLogger } from "@zs/core";
import { SqlDatabase, SqlValuesStore, sqlStoreDefinition } from "../src/index.js";
import { createSqliteDatabase, randomKeys, type TestDatabase } from "./support/test-databases.js";

describe("the built-in `sql` type through the store registry", () => {
  let db: TestDatabase;
  let database: SqlDatabase;
  let registry: StoreRegistry;
  const context = () => ({ deploymentId: database.deploymentId, logger: silentLogger, configDir: process.cwd() });

  beforeAll(async () => {
    db = await createSqliteDatabase();
    database = await SqlDatabase.open(db.url);
    const keyRing = new KeyRing(randomKeys());
    registry = new StoreRegistry({ sql: async () => sqlStoreDefinition(database, keyRing) });
  });
  afterAll(async () => {
    await database.close();
    await db.drop();
  });

  it("creates the encrypted sql values store on the registry's database", async () => {
    const store = await registry.create("sql", {}, context());
    expect(store).toBeInstanceOf(SqlValuesStore);
    await store.putValues("00000000-0000-4000-8000-000000000001", { k: "v" });
    expect(await store.getValues("00000000-0000-4000-8000-000000000001")).toEqual({ k: "v" });
  });

  it("refuses any option, saying the sql store takes none", async () => {
    const error = await registry.create("sql", { region: "eu-west-1" }, context()).catch((e: unknown) => e);
    expect(isZsError(error) && error.details?.reason).toBe("invalid_options");
    expect((error as Error).message).toContain("unknown field 'region'");
    expect((error as Error).message).toContain("The 'sql' store takes no options.");
  });

  it("records a deployment id, the same every time the database opens", async () => {
    const again = await SqlDatabase.open(db.url);
    try {
      expect(again.deploymentId).toBe(database.deploymentId);
      expect(database.deploymentId).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await again.close();
    }
  });
});
