import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { KeyRing, SecretsService, type Caller, type SecretValues } from "@zs/core";
import { KnexMetadataRepository, SqlDatabase, SqlValuesStore, versionContext } from "../src/index.js";
import { randomKeys, testDatabases, type TestDatabase } from "./support/test-databases.js";

/** A value no table, entry or message may ever show outside the values tables' ciphertext. */
const FIXTURE = "hist-fixture-value-7c1e";
const value = (n: number) => `${FIXTURE}-${n}`;

describe.each(testDatabases)("versions and history on %s", (_label, createDatabase) => {
  let db: TestDatabase;
  let database: SqlDatabase;
  let keys: KeyRing;
  let service: SecretsService;
  let admin: Caller;
  let alice: Caller;
  let bob: Caller;

  const historyRows = async () => database.knex("secret_history").select("*");
  const versionRows = async (secretId: string) =>
    (await database.knex("secret_value_versions").where({ secret_id: secretId }).orderBy("version").pluck("version")).map(Number);
  /** What a failed call leaves: the secret, its history and its kept versions. */
  const snapshot = async (name: string, caller: Caller = admin) => {
    const secret = await service.getSecret(caller, name);
    return { secret, history: await service.listSecretHistory(caller, name, { size: 1000 }), versions: await versionRows(secret.id) };
  };

  beforeAll(async () => {
    db = await createDatabase();
    database = await SqlDatabase.open(db.url);
    keys = new KeyRing(randomKeys());
    service = new SecretsService(new KnexMetadataRepository(database), await SqlValuesStore.open(database, keys));
    const caller = async (name: string, isAdmin = false): Promise<Caller> => {
      const user = await service.ensureUser(name, { isAdmin });
      return { userId: user.id, userName: user.name, isAdmin, workspace: "default" };
    };
    admin = await caller("root", true);
    alice = await caller("alice");
    bob = await caller("bob");
  });
  afterAll(async () => {
    await service.close();
    await db.drop();
  });

  it("every change adds exactly one entry: create, merge, replace, rename, scope change, rollback, with key names only", async () => {
    await service.createSecret(alice, { name: "every-change", values: { a: value(1), b: value(2) } });
    await service.updateSecret(alice, "every-change", { values: { a: value(3), b: null, c: value(4) } });
    await service.replaceSecretValues(alice, "every-change", { c: value(4), d: value(5) });
    await service.updateSecret(alice, "every-change", { name: "every-change-2" });
    await service.updateSecret(alice, "every-change-2", { scope: "user" });
    const rolled = await service.rollbackSecret(alice, "every-change-2", { version: 1 });
    expect(rolled).toMatchObject({ name: "every-change-2", scope: "user", version: 6, values: { a: value(1), b: value(2) } });

    const page = await service.listSecretHistory(alice, "every-change-2");
    expect(page).toMatchObject({ index: 1, total: 6, totalPages: 1 });
    expect(page.items.map((e) => [e.version, e.action, e.actor])).toEqual([
      [6, "rollback", "alice"],
      [5, "scope_change", "alice"],
      [4, "rename", "alice"],
      [3, "replace", "alice"],
      [2, "merge", "alice"],
      [1, "create", "alice"],
    ]);
    const byVersion = new Map(page.items.map((e) => [e.version, e]));
    expect(byVersion.get(1)).toMatchObject({ keysAdded: ["a", "b"], keysRemoved: [], keysChanged: [] });
    expect(byVersion.get(2)).toMatchObject({ keysAdded: ["c"], keysRemoved: ["b"], keysChanged: ["a"] });
    expect(byVersion.get(3)).toMatchObject({ keysAdded: ["d"], keysRemoved: ["a"], keysChanged: [] });
    expect(byVersion.get(4)).toMatchObject({ keysAdded: [], keysRemoved: [], keysChanged: [] });
    expect(byVersion.get(6)).toMatchObject({ keysAdded: ["a", "b"], keysRemoved: ["c", "d"], keysChanged: [], restoredVersion: 1 });
    // Each entry's time is its version's `updated`.
    expect(byVersion.get(6)!.time).toBe(rolled.updated);
  });

  it("history entries never contain a value: neither the table nor the answers", async () => {
    const rows = JSON.stringify(await historyRows());
    expect(rows).not.toContain(FIXTURE);
    const answers = JSON.stringify(await service.listSecretHistory(alice, "every-change-2", { size: 1000 }));
    expect(answers).not.toContain(FIXTURE);
    // The values tables hold ciphertext only.
    expect(JSON.stringify(await database.knex("secret_value_versions").select("*"))).not.toContain(FIXTURE);
  });

  it("12 successive updates keep the last 10 earlier versions readable, and rollback to each of them works", async () => {
    const created = await service.createSecret(admin, { name: "twelve", values: { k: value(1) } });
    for (let n = 2; n <= 13; n++) await service.updateSecret(admin, "twelve", { values: { k: value(n) } });
    // Version 13 is current; 10 earlier versions (3..12) are kept with it, 1 and 2 are pruned.
    expect(await versionRows(created.id)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    for (let n = 3; n <= 13; n++) {
      const old = await service.getSecretVersion(admin, "twelve", n);
      expect(old).toEqual({ id: created.id, name: "twelve", version: n, currentVersion: 13, keys: ["k"], values: { k: value(n) } });
    }
    for (const n of [1, 2]) {
      await expect(service.getSecretVersion(admin, "twelve", n)).rejects.toMatchObject({ code: "HISTORY_UNAVAILABLE", details: { reason: "pruned" } });
    }
    // Rolling back to the oldest kept one first: each rollback keeps the next target within retention.
    let version = 13;
    for (let n = 3; n <= 12; n++) {
      const target = await service.getSecretVersion(admin, "twelve", n).catch(() => undefined);
      if (!target) continue;
      const rolled = await service.rollbackSecret(admin, "twelve", { version: n });
      version += 1;
      expect(rolled).toMatchObject({ version, values: { k: value(n) } });
      expect((await service.getSecret(admin, "twelve")).values).toEqual({ k: value(n) });
    }
    const entries = (await service.listSecretHistory(admin, "twelve", { size: 100 })).items;
    expect(entries).toHaveLength(version);
    expect(entries[0]).toMatchObject({ version, action: "rollback" });
  });

  it("rollback to every one of the 10 kept versions, one at a time from the same state, restores its values", async () => {
    await service.createSecret(admin, { name: "each", values: { k: value(1) } });
    for (let n = 2; n <= 12; n++) await service.updateSecret(admin, "each", { values: { k: value(n) } });
    // Kept: 2..11 earlier, 12 current. Each rollback is undone by rolling back to 12's copy.
    for (let n = 2; n <= 11; n++) {
      const before = await service.getSecret(admin, "each");
      const rolled = await service.rollbackSecret(admin, "each", { version: n, expectedVersion: before.version });
      expect(rolled.values).toEqual({ k: value(n) });
      expect(rolled.version).toBe(before.version + 1);
      const back = await service.replaceSecretValues(admin, "each", { k: value(12) });
      expect(back.values).toEqual({ k: value(12) });
      // The rollbacks themselves push older versions out: stop once n has left the window.
      if ((await service.getSecretVersion(admin, "each", n + 1).catch(() => undefined)) === undefined) break;
    }
  });

  it("a rename or scope change keeps the values of the version before it: reading that version gives them", async () => {
    await service.createSecret(alice, { name: "renamed-later", values: { k: value(1) } });
    await service.updateSecret(alice, "renamed-later", { values: { k: value(2) } });
    await service.updateSecret(alice, "renamed-later", { name: "renamed-now" });
    await service.updateSecret(alice, "renamed-now", { values: { k: value(4) } });
    expect((await service.getSecretVersion(alice, "renamed-now", 3)).values).toEqual({ k: value(2) });
    expect((await service.getSecretVersion(alice, "renamed-now", 2)).values).toEqual({ k: value(2) });
    expect((await service.getSecretVersion(alice, "renamed-now", 4)).values).toEqual({ k: value(4) });
    const rolled = await service.rollbackSecret(alice, "renamed-now", { version: 3 });
    expect(rolled).toMatchObject({ name: "renamed-now", version: 5, values: { k: value(2) } });
  });

  it("bad input is refused with a clear error and changes nothing", async () => {
    await service.createSecret(alice, { name: "guarded", values: { k: value(1) } });
    await service.updateSecret(alice, "guarded", { values: { k: value(2) } });
    const before = await snapshot("guarded", alice);
    const failures: [() => Promise<unknown>, string, RegExp][] = [
      [() => service.rollbackSecret(alice, "guarded", { version: 3 }), "NOT_FOUND", /has no version 3: its versions are 1 to 2/],
      [() => service.rollbackSecret(alice, "guarded", { version: 999 }), "NOT_FOUND", /has no version 999/],
      [() => service.rollbackSecret(alice, "guarded", { version: 2 }), "VALIDATION_ERROR", /at version 2 already/],
      [() => service.rollbackSecret(alice, "guarded", { version: 0 }), "VALIDATION_ERROR", /version: must be a whole number from 1/],
      [() => service.rollbackSecret(alice, "guarded", { version: -1 }), "VALIDATION_ERROR", /whole number from 1/],
      [() => service.rollbackSecret(alice, "guarded", { version: 1.5 }), "VALIDATION_ERROR", /whole number from 1/],
      [() => service.rollbackSecret(alice, "guarded", { version: "1" as unknown as number }), "VALIDATION_ERROR", /whole number from 1/],
      [() => service.rollbackSecret(alice, "guarded", { version: 1, expectedVersion: 1 }), "VERSION_MISMATCH", /is at version 2, not 1/],
      [() => service.getSecretVersion(alice, "guarded", 0), "VALIDATION_ERROR", /whole number from 1/],
      [() => service.getSecretVersion(alice, "guarded", 3), "NOT_FOUND", /has no version 3/],
      [() => service.listSecretHistory(alice, "guarded", { page: 2 }), "PAGE_OUT_OF_RANGE", /last page is 1/],
      [() => service.listSecretHistory(alice, "guarded", { size: 0 }), "VALIDATION_ERROR", /size/],
      [() => service.rollbackSecret(alice, "no-such-secret", { version: 1 }), "SECRET_NOT_FOUND", /No secret with name/],
    ];
    for (const [call, code, message] of failures) {
      const error = (await call().catch((e: unknown) => e)) as { code: string; message: string };
      expect({ code: error.code, message: error.message }).toEqual({ code, message: expect.stringMatching(message) });
      expect(error.message).not.toContain(FIXTURE);
    }
    expect(await snapshot("guarded", alice)).toEqual(before);
  });

  it("another user's private secret has no history for them: SECRET_NOT_FOUND, as if it did not exist", async () => {
    await service.createSecret(alice, { name: "alice-only", values: { k: value(1) }, scope: "user" });
    await service.updateSecret(alice, "alice-only", { values: { k: value(2) } });
    const before = await snapshot("alice-only", alice);
    for (const caller of [bob, admin]) {
      await expect(service.listSecretHistory(caller, "alice-only")).rejects.toMatchObject({ code: "SECRET_NOT_FOUND" });
      await expect(service.listSecretHistory(caller, before.secret.id)).rejects.toMatchObject({ code: "SECRET_NOT_FOUND" });
      await expect(service.getSecretVersion(caller, before.secret.id, 1)).rejects.toMatchObject({ code: "SECRET_NOT_FOUND" });
      await expect(service.rollbackSecret(caller, before.secret.id, { version: 1 })).rejects.toMatchObject({ code: "SECRET_NOT_FOUND" });
    }
    expect(await snapshot("alice-only", alice)).toEqual(before);
  });

  it("kept versions are encrypted with the secret id and the version as additional data: a row copied to another version does not decrypt", async () => {
    const secret = await service.createSecret(admin, { name: "bound", values: { k: value(1) } });
    await service.updateSecret(admin, "bound", { values: { k: value(2) } });
    await service.updateSecret(admin, "bound", { values: { k: value(3) } });
    const one = await database.knex("secret_value_versions").where({ secret_id: secret.id, version: 1 }).first("ciphertext");
    expect(await keys.decrypt(one.ciphertext, versionContext(secret.id, 1))).toContain(value(1));
    await expect(keys.decrypt(one.ciphertext, secret.id)).rejects.toThrow();
    await database.knex("secret_value_versions").where({ secret_id: secret.id, version: 2 }).update({ ciphertext: one.ciphertext });
    await expect(service.getSecretVersion(admin, "bound", 2)).rejects.toThrow();
    expect((await service.getSecretVersion(admin, "bound", 1)).values).toEqual({ k: value(1) });
  });

  it("deleting a secret removes its history and every kept version", async () => {
    const secret = await service.createSecret(admin, { name: "short-lived", values: { k: value(1) } });
    await service.updateSecret(admin, "short-lived", { values: { k: value(2) } });
    expect(await versionRows(secret.id)).toEqual([1, 2]);
    await service.deleteSecret(admin, "short-lived");
    expect(await versionRows(secret.id)).toEqual([]);
    expect(Number((await database.knex("secret_history").where({ secret_id: secret.id }).count({ n: "*" }).first())?.n)).toBe(0);
  });

  it("ZS_HISTORY_MAX_VERSIONS=0 keeps no earlier values, yet every history entry", async () => {
    const none = new SecretsService(new KnexMetadataRepository(database), await SqlValuesStore.open(database, keys), { historyMaxVersions: 0 });
    const secret = await none.createSecret(admin, { name: "forgetful", values: { k: value(1) } });
    await none.updateSecret(admin, "forgetful", { values: { k: value(2) } });
    await none.updateSecret(admin, "forgetful", { values: { k: value(3) } });
    expect(await versionRows(secret.id)).toEqual([3]);
    expect((await none.listSecretHistory(admin, "forgetful")).total).toBe(3);
    await expect(none.getSecretVersion(admin, "forgetful", 2)).rejects.toMatchObject({
      code: "HISTORY_UNAVAILABLE",
      message: expect.stringMatching(/pruned; zs keeps the last 0 earlier value versions/),
    });
    const before = await snapshot("forgetful");
    await expect(none.rollbackSecret(admin, "forgetful", { version: 1 })).rejects.toMatchObject({ code: "HISTORY_UNAVAILABLE" });
    expect(await snapshot("forgetful")).toEqual(before);
    expect((await none.getSecretVersion(admin, "forgetful", 3)).values).toEqual({ k: value(3) });
  });

  it("a store without the versioned capability answers HISTORY_UNAVAILABLE for earlier values and still keeps every entry", async () => {
    const sql = await SqlValuesStore.open(database, keys);
    // The sql store with the capability taken away, as a custom store without it would be.
    const plain = {
      type: "plain",
      capabilities: { maxValueBytes: sql.capabilities.maxValueBytes },
      putValues: (id: string, values: SecretValues) => sql.putValues(id, values),
      getValues: (id: string) => sql.getValues(id),
      deleteValues: (id: string) => sql.deleteValues(id),
    };
    const unversioned = new SecretsService(new KnexMetadataRepository(database), plain);
    const secret = await unversioned.createSecret(admin, { name: "unversioned", values: { k: value(1) } });
    await unversioned.updateSecret(admin, "unversioned", { values: { k: value(2) } });
    await unversioned.updateSecret(admin, "unversioned", { name: "unversioned-2" });
    expect(await versionRows(secret.id)).toEqual([]);
    const history = await unversioned.listSecretHistory(admin, "unversioned-2");
    expect(history.items.map((e) => e.action)).toEqual(["rename", "merge", "create"]);
    await expect(unversioned.getSecretVersion(admin, "unversioned-2", 1)).rejects.toMatchObject({
      code: "HISTORY_UNAVAILABLE",
      message: expect.stringMatching(/'plain' values store keeps no earlier values/),
    });
    const before = await snapshot("unversioned-2");
    await expect(unversioned.rollbackSecret(admin, "unversioned-2", { version: 1 })).rejects.toMatchObject({ code: "HISTORY_UNAVAILABLE" });
    expect(await snapshot("unversioned-2")).toEqual(before);
    // Version 2's values are the current ones (only a rename came after): readable anywhere.
    expect((await unversioned.getSecretVersion(admin, "unversioned-2", 2)).values).toEqual({ k: value(2) });
  });
});
