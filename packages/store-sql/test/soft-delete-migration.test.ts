import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "@jest/globals";
import knexFactory from "knex";
import { KeyRing, SecretsService, type Caller } from "@zs/core";
import { KnexMetadataRepository, SqlDatabase, SqlValuesStore, knexConfigFor } from "../src/index.js";
import { MIGRATIONS } from "../src/migrations.js";
import { randomKeys, testDatabases, type TestDatabase } from "./support/test-databases.js";

/** A database as zs left it before soft delete, holding a workspace-scoped secret row named `db`. */
async function databaseBeforeSoftDelete(url: string): Promise<{ secretId: string }> {
  const { config } = knexConfigFor(url);
  const knex = knexFactory(config);
  const before = MIGRATIONS.slice(0, MIGRATIONS.findIndex((migration) => migration.name === "006_soft_delete"));
  try {
    await knex.transaction(async (trx) => {
      for (const migration of before) await migration.up(trx);
      await trx("zs_meta").insert([
        { key: "schema", value: before[before.length - 1]!.name },
        { key: "deployment_id", value: randomUUID() },
      ]);
    });
    const workspace = randomUUID();
    const user = randomUUID();
    const secretId = randomUUID();
    await knex("workspaces").insert({ id: workspace, name: "default", created: 1 });
    await knex("users").insert({ id: user, name: "old", is_admin: true, created: 1 });
    await knex("secrets").insert({ id: secretId, workspace_id: workspace, owner_id: user, name: "db", scope: "workspace", keys: "[]", version: 1, created: 1, updated: 1 });
    return { secretId };
  } finally {
    await knex.destroy();
  }
}

describe.each(testDatabases)("migration 006_soft_delete on %s", (_label, createDatabase) => {
  let db: TestDatabase;
  afterEach(() => db.drop());

  it("keeps existing secrets live, and makes names unique among live secrets only", async () => {
    db = await createDatabase();
    const { secretId } = await databaseBeforeSoftDelete(db.url);
    const database = await SqlDatabase.open(db.url);
    const service = new SecretsService(new KnexMetadataRepository(database), await SqlValuesStore.open(database, new KeyRing(randomKeys())), {
      recoveryWindowDays: 7,
    });
    try {
      expect(await database.getMeta("schema")).toBe(MIGRATIONS[MIGRATIONS.length - 1]!.name);
      const user = (await service.ensureUser("old"))!;
      const caller: Caller = { userId: user.id, userName: user.name, isAdmin: true, workspace: "default" };
      expect((await service.findSecret(caller, "db")).id).toBe(secretId);
      expect((await service.listDeletedSecrets(caller)).total).toBe(0);
      await service.deleteSecret(caller, "db");
      const again = await service.createSecret(caller, { name: "db", values: { k: "v" } });
      expect((await service.createSecret(caller, { name: "db", values: { k: "v" } }).catch((error: { code: string }) => error.code))).toBe("SECRET_EXISTS");
      expect((await service.findSecret(caller, "db")).id).toBe(again.id);
    } finally {
      await service.close();
    }
  });
});
