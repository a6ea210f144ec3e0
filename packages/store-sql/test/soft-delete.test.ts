import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ComponentsService, KeyRing, SecretsService, type Caller, type SecretValuesStore } from "@zs/core";
import { KnexComponentRepository, KnexMetadataRepository, SqlDatabase, SqlValuesStore } from "../src/index.js";
import { rejection, unique } from "./support/components-fixture.js";
import { postgresUrl, createPostgresDatabase, randomKeys, testDatabases, type TestDatabase } from "./support/test-databases.js";

const DAY_MS = 86_400_000;

interface Fixture {
  db: TestDatabase;
  database: SqlDatabase;
  secrets: SecretsService;
  components: ComponentsService;
  admin: Caller;
  alice: Caller;
  bob: Caller;
  close(): Promise<void>;
}

async function openFixture(createDatabase: () => Promise<TestDatabase>, keys = randomKeys()): Promise<Fixture> {
  const recoveryWindowDays = 7;
  const db = await createDatabase();
  const database = await SqlDatabase.open(db.url);
  const values = await SqlValuesStore.open(database, new KeyRing(keys));
  const secrets = new SecretsService(new KnexMetadataRepository(database), values, { recoveryWindowDays });
  const components = new ComponentsService(new KnexComponentRepository(database), secrets);
  const caller = async (name: string, isAdmin = false): Promise<Caller> => {
    const user = await secrets.ensureUser(name, { isAdmin });
    return { userId: user.id, userName: user.name, isAdmin, workspace: "default" };
  };
  const [admin, alice, bob] = [await caller("root", true), await caller("alice"), await caller("bob")];
  return {
    db,
    database,
    secrets,
    components,
    admin,
    alice,
    bob,
    async close() {
      await secrets.close();
      await db.drop();
    },
  };
}

describe.each(testDatabases)("soft delete and recovery on %s", (_label, createDatabase) => {
  let f: Fixture;
  const valueRow = async (id: string) => f.database.knex("secret_values").where({ secret_id: id }).first();
  const secretRow = async (id: string) => f.database.knex("secrets").where({ id }).first();

  beforeAll(async () => {
    f = await openFixture(createDatabase);
  });
  afterAll(() => f.close());

  it("delete hides a secret at once, frees its name, keeps its values, and lists it as deleted with purge_after", async () => {
    const name = unique("db");
    const created = await f.secrets.createSecret(f.alice, { name, values: { password: "pw-1" } });
    const before = Date.now();
    const deletion = await f.secrets.deleteSecret(f.alice, name);
    expect(deletion).toMatchObject({ id: created.id, name, purged: false, warnings: [] });
    expect(Date.parse(deletion.purgeAfter!) - Date.parse(deletion.deleted!)).toBe(7 * DAY_MS);
    expect(Date.parse(deletion.deleted!)).toBeGreaterThanOrEqual(before);

    expect((await rejection(f.secrets.getSecret(f.alice, name))).code).toBe("SECRET_NOT_FOUND");
    expect((await rejection(f.secrets.getSecret(f.alice, created.id))).code).toBe("SECRET_NOT_FOUND");
    expect((await f.secrets.listSecrets(f.alice, { name })).total).toBe(0);
    expect(await valueRow(created.id)).toBeDefined();

    const deleted = await f.secrets.listDeletedSecrets(f.alice, { name });
    expect(deleted.items).toEqual([
      expect.objectContaining({ id: created.id, name, keys: ["password"], deleted: deletion.deleted, purgeAfter: deletion.purgeAfter }),
    ]);
    expect(deleted.items[0]).not.toHaveProperty("values");

    // The name is free: a new secret of that name, then deleting it too, leaves two deleted ones.
    const again = await f.secrets.createSecret(f.alice, { name, values: { password: "pw-2" } });
    expect(again.id).not.toBe(created.id);
    await f.secrets.deleteSecret(f.alice, again.id);
    expect((await f.secrets.listDeletedSecrets(f.alice, { name })).total).toBe(2);
    expect((await rejection(f.secrets.recoverSecret(f.alice, name))).code).toBe("SECRET_AMBIGUOUS");
  });

  it("recover brings a secret back with its values under its name, or under --as while the name is taken", async () => {
    const name = unique("api");
    const created = await f.secrets.createSecret(f.alice, { name, values: { token: "t-1", user: "u" } });
    await f.secrets.deleteSecret(f.alice, name);
    const recovered = await f.secrets.recoverSecret(f.alice, created.id);
    expect(recovered).toMatchObject({ id: created.id, name, version: created.version + 1, keys: ["token", "user"] });
    expect((await f.secrets.getSecret(f.alice, name)).values).toEqual({ token: "t-1", user: "u" });
    expect((await f.secrets.listDeletedSecrets(f.alice, { id: created.id })).total).toBe(0);
    const [latest] = (await f.secrets.listSecretHistory(f.alice, name)).items;
    expect(latest).toMatchObject({ version: created.version + 1, action: "recover", actor: "alice", keysAdded: [], keysRemoved: [], keysChanged: [] });

    // Deleted again; the name is taken meanwhile.
    await f.secrets.deleteSecret(f.alice, name);
    const taker = await f.secrets.createSecret(f.bob, { name, values: { other: "x" } });
    const refused = await rejection(f.secrets.recoverSecret(f.alice, created.id));
    expect(refused.code).toBe("SECRET_EXISTS");
    expect(refused.message).toContain(name);
    expect((await f.secrets.listDeletedSecrets(f.alice, { id: created.id })).total).toBe(1);
    expect((await f.secrets.getSecret(f.alice, name)).id).toBe(taker.id);

    const renamed = `${name}_old`;
    expect(await f.secrets.recoverSecret(f.alice, created.id.slice(0, 8), { name: renamed })).toMatchObject({ id: created.id, name: renamed });
    expect((await f.secrets.getSecret(f.alice, renamed)).values).toEqual({ token: "t-1", user: "u" });
  });

  it("recover of a live, unknown or purged secret, or under an invalid name, is a clear error that changes nothing", async () => {
    const name = unique("live");
    const live = await f.secrets.createSecret(f.alice, { name, values: { k: "v" } });
    const ofLive = await rejection(f.secrets.recoverSecret(f.alice, live.id));
    expect(ofLive.code).toBe("SECRET_NOT_FOUND");
    expect(ofLive.message).toContain("is not deleted");
    expect((await rejection(f.secrets.recoverSecret(f.alice, name))).message).toContain("is not deleted");
    expect((await rejection(f.secrets.recoverSecret(f.alice, unique("nothing")))).code).toBe("SECRET_NOT_FOUND");

    const purged = await f.secrets.createSecret(f.alice, { name: unique("gone"), values: { k: "v" } });
    await f.secrets.deleteSecret(f.alice, purged.id, {}, { purge: true });
    const ofPurged = await rejection(f.secrets.recoverSecret(f.alice, purged.id));
    expect(ofPurged.code).toBe("SECRET_NOT_FOUND");
    expect(ofPurged.message).toContain("purged");

    const doomed = await f.secrets.createSecret(f.alice, { name: unique("doomed"), values: { k: "v" } });
    await f.secrets.deleteSecret(f.alice, doomed.id);
    expect((await rejection(f.secrets.recoverSecret(f.alice, doomed.id, { name: "bad name" }))).code).toBe("VALIDATION_ERROR");
    expect((await rejection(f.secrets.recoverSecret(f.alice, doomed.id, { nope: 1 } as never))).code).toBe("VALIDATION_ERROR");
    expect((await f.secrets.listDeletedSecrets(f.alice, { id: doomed.id })).total).toBe(1);
    expect((await f.secrets.getSecret(f.alice, live.id)).version).toBe(1);
  });

  it("a user-scoped deleted secret is private: others neither list nor recover it", async () => {
    const name = unique("mine");
    const mine = await f.secrets.createSecret(f.alice, { name, values: { k: "v" }, scope: "user" });
    await f.secrets.deleteSecret(f.alice, name);
    expect((await f.secrets.listDeletedSecrets(f.bob, { id: mine.id })).total).toBe(0);
    expect((await f.secrets.listDeletedSecrets(f.admin, { id: mine.id })).total).toBe(0);
    expect((await rejection(f.secrets.recoverSecret(f.bob, mine.id))).code).toBe("SECRET_NOT_FOUND");
    expect((await f.secrets.recoverSecret(f.alice, mine.id)).scope).toBe("user");
  });

  it("delete with purge removes the row and the values at once", async () => {
    const created = await f.secrets.createSecret(f.alice, { name: unique("now"), values: { k: "v" } });
    expect(await f.secrets.deleteSecret(f.alice, created.id, {}, { purge: true })).toMatchObject({ purged: true });
    expect(await secretRow(created.id)).toBeUndefined();
    expect(await valueRow(created.id)).toBeUndefined();
  });

  it("the sweeper purges expired deleted secrets, values first, and leaves the others", async () => {
    const expired = await f.secrets.createSecret(f.alice, { name: unique("old"), values: { k: "v" } });
    const fresh = await f.secrets.createSecret(f.alice, { name: unique("new"), values: { k: "v" } });
    const live = await f.secrets.createSecret(f.alice, { name: unique("live"), values: { k: "v" } });
    await f.secrets.deleteSecret(f.alice, expired.id);
    await f.secrets.deleteSecret(f.alice, fresh.id);
    const outcome = await f.secrets.purgeExpiredSecrets(Date.now() + 7 * DAY_MS + 1000);
    expect(outcome.purged).toEqual(
      expect.arrayContaining([expired, fresh].map((secret) => ({ id: secret.id, name: secret.name, workspace: secret.workspace }))),
    );
    expect(await secretRow(expired.id)).toBeUndefined();
    expect(await valueRow(expired.id)).toBeUndefined();
    expect(await secretRow(live.id)).toBeDefined();

    const kept = await f.secrets.createSecret(f.alice, { name: unique("kept"), values: { k: "v" } });
    await f.secrets.deleteSecret(f.alice, kept.id);
    expect(await f.secrets.purgeExpiredSecrets()).toEqual({ purged: [], failed: [] });
    expect(await valueRow(kept.id)).toBeDefined();
  });

  it("a values store failing during a sweep leaves that secret (row and values) for the next sweep, and purges the others", async () => {
    const stuck = await f.secrets.createSecret(f.alice, { name: unique("stuck"), values: { k: "v" } });
    const other = await f.secrets.createSecret(f.alice, { name: unique("other"), values: { k: "v" } });
    await f.secrets.deleteSecret(f.alice, stuck.id);
    await f.secrets.deleteSecret(f.alice, other.id);
    const values = f.secrets.placement.primary;
    let failing = true;
    const flaky: SecretValuesStore = {
      type: values.type,
      capabilities: values.capabilities,
      putValues: (id, map) => values.putValues(id, map),
      getValues: (id) => values.getValues(id),
      deleteValues: async (id) => {
        if (failing && id === stuck.id) throw new Error("backend down");
        return values.deleteValues(id);
      },
    };
    const sweeper = new SecretsService(new KnexMetadataRepository(f.database), flaky, { recoveryWindowDays: 7 });
    const later = Date.now() + 8 * DAY_MS;
    const first = await sweeper.purgeExpiredSecrets(later);
    expect(first.failed).toEqual([{ id: stuck.id, name: stuck.name, workspace: stuck.workspace }]);
    expect(await secretRow(stuck.id)).toBeDefined();
    expect(await valueRow(stuck.id)).toBeDefined();
    expect(await secretRow(other.id)).toBeUndefined();
    failing = false;
    expect(await sweeper.purgeExpiredSecrets(later)).toMatchObject({ failed: [] });
    expect(await secretRow(stuck.id)).toBeUndefined();
    expect(await valueRow(stuck.id)).toBeUndefined();
  });

  it("deleting a workspace or a user with cascade purges their deleted secrets' values too", async () => {
    const workspace = unique("ws");
    await f.secrets.createWorkspace(f.admin, { name: workspace });
    const inWorkspace = await f.secrets.createSecret({ ...f.alice, workspace }, { name: unique("w"), values: { k: "v" } });
    await f.secrets.deleteSecret({ ...f.alice, workspace }, inWorkspace.id);
    await f.secrets.deleteWorkspace(f.admin, workspace);
    expect(await secretRow(inWorkspace.id)).toBeUndefined();
    expect(await valueRow(inWorkspace.id)).toBeUndefined();

    const carol = await f.secrets.createUser(f.admin, { name: unique("carol") });
    const asCarol: Caller = { userId: carol.id, userName: carol.name, isAdmin: false, workspace: "default" };
    const owned = await f.secrets.createSecret(asCarol, { name: unique("c"), values: { k: "v" } });
    await f.secrets.deleteSecret(asCarol, owned.id);
    // Only deleted secrets left: the user can go without cascade, and they are purged with them.
    await f.secrets.deleteUser(f.admin, carol.name);
    expect(await secretRow(owned.id)).toBeUndefined();
    expect(await valueRow(owned.id)).toBeUndefined();
  });

  it("list with deleted takes the usual filters, and a bad one is INVALID_FILTER", async () => {
    expect((await rejection(f.secrets.listSecrets(f.alice, { deleted: "yes" } as never))).code).toBe("INVALID_FILTER");
    expect((await rejection(f.secrets.listDeletedSecrets(f.alice, { sortBy: "deleted_at" }))).code).toBe("INVALID_FILTER");
  });
});

describe.each(testDatabases)("usages and renames on %s", (_label, createDatabase) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await openFixture(createDatabase);
  });
  afterAll(() => f.close());

  it("usages lists every component attribute referencing the secret, with key and stacks", async () => {
    const name = unique("db");
    await f.secrets.createSecret(f.alice, { name, values: { user: "u", password: "p" } });
    const app = unique("app");
    const other = unique("other");
    await f.components.registerComponent(f.alice, {
      name: app,
      type: "t",
      flavor: "f",
      configuration: { url: `postgres://{{${name}.user}}:{{ ${name}.password }}@h`, plain: `${name}.user`, escaped: `\\{{${name}.user}}` },
    });
    await f.components.registerComponent(f.alice, { name: other, type: "t", flavor: "f", configuration: { x: `{{${name}_x.k}}` } });
    const stack = unique("stack");
    await f.components.registerStack(f.alice, { name: stack, components: [app] });

    expect(await f.secrets.secretUsages(f.bob, name)).toEqual([
      { component: app, attribute: "url", key: "user", reference: `{{${name}.user}}`, stacks: [stack] },
      { component: app, attribute: "url", key: "password", reference: `{{ ${name}.password }}`, stacks: [stack] },
    ]);
    expect((await rejection(f.secrets.secretUsages(f.bob, unique("missing")))).code).toBe("SECRET_NOT_FOUND");
  });

  it("deleting or renaming a referenced secret warns with the usages; rename with updateReferences rewrites them in one go", async () => {
    const name = unique("svc");
    const created = await f.secrets.createSecret(f.alice, { name, values: { key: "k" } });
    const component = unique("comp");
    await f.components.registerComponent(f.alice, {
      name: component,
      type: "t",
      flavor: "f",
      configuration: { a: `{{${name}.key}}`, b: `x{{ ${name}.key }}y \\{{${name}.key}}`, c: "unrelated" },
    });

    const renamed = `${name}_v2`;
    const warned = await f.secrets.updateSecret(f.alice, name, { name: renamed });
    expect(warned.warnings).toEqual([expect.objectContaining({ code: "SECRET_REFERENCED", usages: expect.arrayContaining([expect.objectContaining({ component, attribute: "a" })]) })]);
    expect((await f.components.getComponent(f.alice, component)).configuration.a).toBe(`{{${name}.key}}`);

    const back = await f.secrets.updateSecret(f.alice, renamed, { name }, {}, { updateReferences: true });
    expect(back.warnings).toBeUndefined();
    const third = `${name}_v3`;
    const rewritten = await f.secrets.updateSecret(f.alice, name, { name: third }, {}, { updateReferences: true });
    expect(rewritten.warnings).toBeUndefined();
    expect((await f.components.getComponent(f.alice, component)).configuration).toEqual({
      a: `{{${third}.key}}`,
      b: `x{{ ${third}.key }}y \\{{${name}.key}}`,
      c: "unrelated",
    });
    expect(await f.components.resolve(f.alice, `{{${third}.key}}`)).toBe("k");
    expect(await f.secrets.secretUsages(f.alice, created.id)).toHaveLength(2);

    const deletion = await f.secrets.deleteSecret(f.alice, third);
    expect(deletion.warnings).toEqual([expect.objectContaining({ code: "SECRET_REFERENCED" })]);
    expect(deletion.warnings[0]!.usages).toHaveLength(2);
  });

  it("a rename that fails (name taken) rewrites no reference", async () => {
    const name = unique("s");
    const taken = unique("taken");
    await f.secrets.createSecret(f.alice, { name, values: { k: "v" } });
    await f.secrets.createSecret(f.alice, { name: taken, values: { k: "v" } });
    const component = unique("c");
    await f.components.registerComponent(f.alice, { name: component, type: "t", flavor: "f", configuration: { a: `{{${name}.k}}` } });
    expect((await rejection(f.secrets.updateSecret(f.alice, name, { name: taken }, {}, { updateReferences: true }))).code).toBe("SECRET_EXISTS");
    expect((await f.components.getComponent(f.alice, component)).configuration.a).toBe(`{{${name}.k}}`);
  });
});

const onPostgres = postgresUrl ? describe : describe.skip;

onPostgres("sweepers on several instances (PostgreSQL)", () => {
  it("two sweepers at once purge every expired secret exactly once, and neither fails", async () => {
    const keys = randomKeys();
    const first = await openFixture(createPostgresDatabase, keys);
    const secondDatabase = await SqlDatabase.open(first.db.url);
    // The second instance has the same key: the sql store's values are one table.
    const values = await SqlValuesStore.open(secondDatabase, new KeyRing(keys));
    const deletes: string[] = [];
    const counting: SecretValuesStore = {
      type: values.type,
      capabilities: values.capabilities,
      deleteValues: (id) => {
        deletes.push(id);
        return values.deleteValues(id);
      },
      putValues: (id, map) => values.putValues(id, map),
      getValues: (id) => values.getValues(id),
    };
    const second = new SecretsService(new KnexMetadataRepository(secondDatabase), counting, { recoveryWindowDays: 7 });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) {
        const created = await first.secrets.createSecret(first.alice, { name: unique("sweep"), values: { k: "v" } });
        await first.secrets.deleteSecret(first.alice, created.id);
        ids.push(created.id);
      }
      const later = Date.now() + 8 * DAY_MS;
      const [a, b] = await Promise.all([first.secrets.purgeExpiredSecrets(later), second.purgeExpiredSecrets(later)]);
      expect([...a.failed, ...b.failed]).toEqual([]);
      expect(a.purged.length + b.purged.length).toBe(30);
      expect(new Set(deletes).size).toBe(deletes.length);
      expect(Number((await first.database.knex("secrets").whereIn("id", ids).count({ n: "*" }).first())?.n)).toBe(0);
      expect(Number((await first.database.knex("secret_values").whereIn("secret_id", ids).count({ n: "*" }).first())?.n)).toBe(0);
    } finally {
      await second.close();
      await first.close();
    }
  });
});
