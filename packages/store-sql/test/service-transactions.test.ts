import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { KeyRing, SecretsService, isZsError, type Caller, type PutValuesHint, type SecretValuesStore } from "@zs/core";
import { KnexMetadataRepository, SqlDatabase, SqlValuesStore } from "../src/index.js";
import {
  randomKeys,
  type TestDatabase,
  testDatabases,
} from "./support/test-databases.js";

/** How a put was hinted, as `calls` records it. */
function describeHint(hint: PutValuesHint | undefined): string {
  return hint === undefined ? "put" : hint.isNew ? "put isNew" : "put existing";
}

/**
 * The real sql store with a switch that makes its writes fail, as a broken backend would, and
 * a record of the values calls made: `get`, or a put with its hint.
 */
function withFailingWrites(store: SecretValuesStore): SecretValuesStore & { failWrites: boolean; calls: string[] } {
  return {
    type: store.type,
    capabilities: store.capabilities,
    failWrites: false,
    calls: [],
    async putValues(id, values, hint) {
      this.calls.push(describeHint(hint));
      if (this.failWrites) throw new Error("backend down");
      return store.putValues(id, values, hint);
    },
    getValues(id) {
      this.calls.push("get");
      return store.getValues(id);
    },
    deleteValues: (id) => store.deleteValues(id),
  };
}


describe.each(testDatabases)("metadata and values commit together on %s", (_label, createDatabase) => {
  let db: TestDatabase;
  let database: SqlDatabase;
  let values: ReturnType<typeof withFailingWrites>;
  let service: SecretsService;
  let admin: Caller;

  const valueRows = async () => Number((await database.knex("secret_values").count({ n: "*" }).first())?.n);
  const secretRows = async () => Number((await database.knex("secrets").count({ n: "*" }).first())?.n);

  beforeAll(async () => {
    db = await createDatabase();
    database = await SqlDatabase.open(db.url);
    values = withFailingWrites(await SqlValuesStore.open(database, new KeyRing(randomKeys())));
    service = new SecretsService(new KnexMetadataRepository(database), values);
    const user = await service.ensureUser("root", { isAdmin: true });
    admin = { userId: user.id, userName: user.name, isAdmin: true, workspace: "default" };
  });
  afterAll(async () => {
    await service.close();
    await db.drop();
  });

  it("a create whose values write fails leaves no metadata row and reports BACKEND_UNAVAILABLE", async () => {
    const before = await secretRows();
    values.failWrites = true;
    const error = await service.createSecret(admin, { name: "doomed", values: { k: "v" } }).catch((e: unknown) => e);
    values.failWrites = false;
    expect(isZsError(error) && error.code).toBe("BACKEND_UNAVAILABLE");
    expect(await secretRows()).toBe(before);
    await expect(service.getSecret(admin, "doomed")).rejects.toMatchObject({ code: "SECRET_NOT_FOUND" });
  });

  it("an update whose values write fails changes neither keys nor version", async () => {
    await service.createSecret(admin, { name: "steady", values: { a: "1" } });
    values.failWrites = true;
    const error = await service.updateSecret(admin, "steady", { name: "renamed", values: { b: "2" } }).catch((e: unknown) => e);
    values.failWrites = false;
    expect(isZsError(error) && error.code).toBe("BACKEND_UNAVAILABLE");
    const after = await service.getSecret(admin, "steady");
    expect(after).toMatchObject({ name: "steady", version: 1, keys: ["a"], values: { a: "1" } });
  });

  it("a create hints its fresh id as new; an update or a replacement hints it as existing, after reading its values; a rename writes none", async () => {
    const callsOf = async (operation: () => Promise<unknown>) => {
      values.calls.length = 0;
      await operation();
      return [...values.calls];
    };
    expect(await callsOf(() => service.createSecret(admin, { name: "hinted", values: { a: "1" } }))).toEqual(["put isNew"]);
    expect(await callsOf(() => service.updateSecret(admin, "hinted", { values: { b: "2" } }))).toEqual(["get", "put existing"]);
    expect(await callsOf(() => service.replaceSecretValues(admin, "hinted", { c: "3" }))).toEqual(["get", "put existing"]);
    expect(await callsOf(() => service.updateSecret(admin, "hinted", { name: "hinted-renamed" }))).toEqual(["get"]);
    expect((await service.getSecret(admin, "hinted-renamed")).values).toEqual({ c: "3" });
  });

  it("deleting a secret removes its values row", async () => {
    const secret = await service.createSecret(admin, { name: "gone", values: { k: "v" } });
    await service.deleteSecret(admin, "gone");
    expect(await database.knex("secret_values").where({ secret_id: secret.id }).first()).toBeUndefined();
  });

  it("deleting a workspace removes its secrets' values rows", async () => {
    await service.createWorkspace(admin, { name: "doomed_ws" });
    const inWorkspace = { ...admin, workspace: "doomed_ws" };
    const created = await Promise.all(
      ["a", "b", "c"].map((name) => service.createSecret(inWorkspace, { name, values: { k: name } })),
    );
    const before = await valueRows();
    await service.deleteWorkspace(admin, "doomed_ws");
    expect(await valueRows()).toBe(before - 3);
    for (const secret of created) {
      expect(await database.knex("secret_values").where({ secret_id: secret.id }).first()).toBeUndefined();
    }
  });

  it("deleting a user with cascade removes their secrets' values rows", async () => {
    const bob = await service.createUser(admin, { name: "bob" });
    const asBob: Caller = { userId: bob.id, userName: "bob", isAdmin: false, workspace: "default" };
    const mine = await service.createSecret(asBob, { name: "bobs", values: { k: "v" }, scope: "user" });
    await service.deleteUser(admin, "bob", { cascade: true });
    expect(await database.knex("secret_values").where({ secret_id: mine.id }).first()).toBeUndefined();
    expect(await database.knex("secrets").where({ id: mine.id }).first()).toBeUndefined();
  });
});
