import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "@jest/globals";
import knexFactory from "knex";
import { ComponentsService, SecretsService, noneStore, silentLogger, type Caller } from "@zs/core";
import { KnexComponentRepository, KnexMetadataRepository, SqlDatabase, knexConfigFor } from "../src/index.js";
import { MIGRATIONS } from "../src/migrations.js";
import { type TestDatabase, testDatabases } from "./support/test-databases.js";

/** A database as zs left it at migration 001, holding a component and a stack of a user. */
async function databaseAt001(url: string) {
  const { config } = knexConfigFor(url);
  const knex = knexFactory(config);
  try {
    await knex.transaction(async (trx) => {
      await MIGRATIONS[0]!.up(trx);
      await trx("zs_meta").insert([
        { key: "schema", value: MIGRATIONS[0]!.name },
        { key: "deployment_id", value: randomUUID() },
      ]);
    });
    const ids = { workspace: randomUUID(), user: randomUUID(), component: randomUUID(), stack: randomUUID() };
    await knex("workspaces").insert({ id: ids.workspace, name: "default", created: 1 });
    await knex("users").insert({ id: ids.user, name: "old", is_admin: false, created: 1 });
    const owned = { workspace_id: ids.workspace, owner_id: ids.user, created: 1, updated: 2 };
    await knex("components").insert({ id: ids.component, name: "kept", type: "t", flavor: "f", configuration: '{"a":"{{s.k}}"}', ...owned });
    await knex("stacks").insert({ id: ids.stack, name: "kept_stack", ...owned });
    await knex("stack_components").insert({ stack_id: ids.stack, component_id: ids.component, position: 0 });
    return ids;
  } finally {
    await knex.destroy();
  }
}

describe.each(testDatabases)("migration 002 on %s", (_label, createDatabase) => {
  let db: TestDatabase;
  afterEach(() => db.drop());

  it("carries components and stacks over, and they outlive the user who registered them", async () => {
    db = await createDatabase();
    const ids = await databaseAt001(db.url);
    const database = await SqlDatabase.open(db.url);
    const values = await noneStore.create({}, { deploymentId: database.deploymentId, logger: silentLogger, configDir: "." });
    const secrets = new SecretsService(new KnexMetadataRepository(database), values);
    try {
      expect(await database.getMeta("schema")).toBe(MIGRATIONS[MIGRATIONS.length - 1]!.name);
      const components = new ComponentsService(new KnexComponentRepository(database), secrets);
      const admin: Caller = { userId: randomUUID(), userName: "root", isAdmin: true, workspace: "default" };
      expect(await components.getComponent(admin, "kept")).toEqual({
        id: ids.component,
        name: "kept",
        type: "t",
        flavor: "f",
        workspace: "default",
        user: "old",
        configuration: { a: "{{s.k}}" },
        created: new Date(1).toISOString(),
        updated: new Date(2).toISOString(),
      });
      await secrets.deleteUser(admin, "old");
      expect(await components.getComponent(admin, "kept")).toMatchObject({ user: null });
      expect(await components.getStack(admin, "kept_stack")).toMatchObject({ user: null, components: ["kept"] });
    } finally {
      await secrets.close();
    }
  });
});
