import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomBytes } from "node:crypto";
import type { Caller, SecretsService } from "@zs/core";
import { KnexMetadataRepository, type SqlDatabase } from "../src/index.js";
import { openSqlService, testDatabases, type TestDatabase } from "./support/test-databases.js";

/**
 * A get on the `sql` values store reads the secret and its ciphertext in one query
 * (`storedWithMetadata`): what the repository hands over, and that nothing else is read.
 */
describe.each(testDatabases)("lookups with the stored values on %s", (_label, createDatabase) => {
  let db: TestDatabase;
  let database: SqlDatabase;
  let service: SecretsService;
  let repository: KnexMetadataRepository;
  let alice: Caller;
  let bob: Caller;

  beforeAll(async () => {
    db = await createDatabase();
    ({ database, service } = await openSqlService(db.url));
    repository = new KnexMetadataRepository(database);
    const caller = (user: { id: string; name: string }): Caller => ({ userId: user.id, userName: user.name, isAdmin: false, workspace: "default" });
    alice = caller(await service.ensureUser("alice"));
    bob = caller(await service.ensureUser("bob"));
  });
  afterAll(async () => {
    await service.close();
    await db.drop();
  });

  const ciphertextOf = async (secretId: string) =>
    (await database.knex("secret_values").where({ secret_id: secretId }).first("ciphertext"))?.ciphertext as string | undefined;

  /** Counts the database's prepared reads (the request path's queries) while `work` runs. */
  async function countReads<T>(work: () => Promise<T>): Promise<{ result: T; reads: number }> {
    const read = database.read.bind(database);
    let reads = 0;
    database.read = ((prepared, parameters) => {
      reads++;
      return read(prepared, parameters);
    }) as SqlDatabase["read"];
    try {
      return { result: await work(), reads };
    } finally {
      database.read = read;
    }
  }

  it("each lookup read gives the ciphertext when asked, and no storedValues field otherwise", async () => {
    const name = `joined-${randomBytes(4).toString("hex")}`;
    const created = await service.createSecret(alice, { name, values: { password: randomBytes(8).toString("hex") } });
    const ciphertext = await ciphertextOf(created.id);
    expect(typeof ciphertext).toBe("string");

    const asked = { withStoredValues: true };
    expect((await repository.findSecretsByName(alice.userId, "default", name, asked))[0]?.storedValues).toBe(ciphertext);
    expect((await repository.findSecretById(alice.userId, created.id, asked))?.storedValues).toBe(ciphertext);
    expect((await repository.findSecretsByIdPrefix(alice.userId, "default", created.id.slice(0, 8), 2, asked))[0]?.storedValues).toBe(ciphertext);
    await repository.transaction(async (tx) => {
      expect((await tx.findSecretsByName(alice.userId, "default", name, asked))[0]?.storedValues).toBe(ciphertext);
    });

    for (const found of [
      (await repository.findSecretsByName(alice.userId, "default", name))[0],
      await repository.findSecretById(alice.userId, created.id, { withStoredValues: false }),
      (await repository.findSecretsByIdPrefix(alice.userId, "default", created.id.slice(0, 8), 2))[0],
    ]) {
      expect(found?.id).toBe(created.id);
      expect(found && "storedValues" in found).toBe(false);
    }
  });

  it("a secret whose values row is missing comes with storedValues null, and its get is BACKEND_UNAVAILABLE", async () => {
    const created = await service.createSecret(alice, { name: `orphan-${randomBytes(4).toString("hex")}`, values: { k: "v" } });
    await database.knex("secret_values").where({ secret_id: created.id }).delete();
    expect((await repository.findSecretById(alice.userId, created.id, { withStoredValues: true }))?.storedValues).toBeNull();
    await expect(service.getSecret(alice, created.name)).rejects.toMatchObject({ code: "BACKEND_UNAVAILABLE" });
  });

  it("a get by name or by id is one read of the database; a read of metadata only stays one", async () => {
    const values = { user: "svc", password: randomBytes(8).toString("hex") };
    const created = await service.createSecret(alice, { name: `one-read-${randomBytes(4).toString("hex")}`, values });
    for (const nameOrId of [created.name, created.id]) {
      const { result, reads } = await countReads(() => service.getSecret(alice, nameOrId));
      expect(result.values).toEqual(values);
      expect(reads).toBe(1);
    }
    expect((await countReads(() => service.findSecret(alice, created.name))).reads).toBe(1);
  });

  it("another user's private secret of the same name is neither found nor read", async () => {
    const name = `private-${randomBytes(4).toString("hex")}`;
    const bobs = await service.createSecret(bob, { name, scope: "user", values: { mine: "bob" } });
    const alices = await service.createSecret(alice, { name, values: { shared: "alice" } });
    const found = await repository.findSecretsByName(alice.userId, "default", name, { withStoredValues: true });
    expect(found.map((s) => s.id)).toEqual([alices.id]);
    expect(found[0]?.storedValues).toBe(await ciphertextOf(alices.id));
    expect(await repository.findSecretById(alice.userId, bobs.id, { withStoredValues: true })).toBeUndefined();
    expect((await service.getSecret(bob, name)).values).toEqual({ mine: "bob" });
    expect((await service.getSecret(alice, name)).values).toEqual({ shared: "alice" });
  });
});
