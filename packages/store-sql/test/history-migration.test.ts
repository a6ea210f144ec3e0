import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "@jest/globals";
import knexFactory from "knex";
import { KeyRing, SecretsService, type Caller } from "@zs/core";
import { KnexMetadataRepository, SqlDatabase, SqlValuesStore, knexConfigFor } from "../src/index.js";
import { MIGRATIONS } from "../src/migrations.js";
import { randomKeys, testDatabases, type TestDatabase } from "./support/test-databases.js";

const BEFORE_HISTORY = MIGRATIONS.findIndex((migration) => migration.name === "005_history");

/** A database as zs left it before migration 005, holding a secret at version 3 with its encrypted values. */
async function databaseBeforeHistory(url: string, keys: KeyRing) {
  const { config } = knexConfigFor(url);
  const knex = knexFactory(config);
  const ids = { workspace: randomUUID(), user: randomUUID(), secret: randomUUID() };
  try {
    await knex.transaction(async (trx) => {
      for (const migration of MIGRATIONS.slice(0, BEFORE_HISTORY)) await migration.up(trx);
      await trx("zs_meta").insert([
        { key: "schema", value: MIGRATIONS[BEFORE_HISTORY - 1]!.name },
        { key: "deployment_id", value: randomUUID() },
      ]);
    });
    await knex("workspaces").insert({ id: ids.workspace, name: "default", created: 1 });
    await knex("users").insert({ id: ids.user, name: "old", is_admin: true, created: 1 });
    await knex("secrets").insert({
      id: ids.secret,
      workspace_id: ids.workspace,
      owner_id: ids.user,
      name: "legacy",
      scope: "workspace",
      keys: JSON.stringify(["k"]),
      version: 3,
      created: 1,
      updated: 2,
    });
    await knex("secret_values").insert({ secret_id: ids.secret, ciphertext: await keys.encrypt(JSON.stringify({ k: "legacy-value-3" }), ids.secret) });
    return ids;
  } finally {
    await knex.destroy();
  }
}

describe.each(testDatabases)("migration 005_history on %s", (_label, createDatabase) => {
  let db: TestDatabase;
  afterEach(() => db.drop());

  it("adds history to a database with secrets: their versions before it have no entries, the current values stay readable, later changes are recorded", async () => {
    db = await createDatabase();
    const keys = new KeyRing(randomKeys());
    const ids = await databaseBeforeHistory(db.url, keys);
    const database = await SqlDatabase.open(db.url);
    const service = new SecretsService(new KnexMetadataRepository(database), await SqlValuesStore.open(database, keys));
    try {
      expect(await database.getMeta("schema")).toBe(MIGRATIONS[MIGRATIONS.length - 1]!.name);
      const admin: Caller = { userId: ids.user, userName: "old", isAdmin: true, workspace: "default" };
      expect(await service.listSecretHistory(admin, "legacy")).toMatchObject({ total: 0, totalPages: 1, items: [] });
      expect((await service.getSecretVersion(admin, "legacy", 3)).values).toEqual({ k: "legacy-value-3" });
      await expect(service.getSecretVersion(admin, "legacy", 2)).rejects.toMatchObject({
        code: "HISTORY_UNAVAILABLE",
        details: { reason: "before_history" },
        message: "The values of version 2 of secret 'legacy' are not available: zs began keeping this secret's history after that version.",
      });

      await service.updateSecret(admin, "legacy", { values: { k: "legacy-value-4" } });
      await service.updateSecret(admin, "legacy", { values: { k: "legacy-value-5" } });
      expect((await service.listSecretHistory(admin, "legacy")).items.map((entry) => [entry.version, entry.action, entry.keysChanged])).toEqual([
        [5, "merge", ["k"]],
        [4, "merge", ["k"]],
      ]);
      expect((await service.getSecretVersion(admin, "legacy", 4)).values).toEqual({ k: "legacy-value-4" });
      await expect(service.rollbackSecret(admin, "legacy", { version: 3 })).rejects.toMatchObject({ code: "HISTORY_UNAVAILABLE" });
      expect((await service.rollbackSecret(admin, "legacy", { version: 4 })).values).toEqual({ k: "legacy-value-4" });
    } finally {
      await service.close();
    }
  });
});
