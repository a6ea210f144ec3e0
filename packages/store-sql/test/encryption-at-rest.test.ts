import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { KeyRing, isZsError, type Caller, type EncryptionKey } from "@zs/core";
import { SqlDatabase, SqlValuesStore, rotateEncryptionKey } from "../src/index.js";
import {
  createSqliteDatabase,
  openSqlService,
  randomKeys,
  type TestDatabase,
  testDatabases,
} from "./support/test-databases.js";

const distinctive = () => `fixture-${randomBytes(12).toString("hex")}`;

async function callerFor(service: Awaited<ReturnType<typeof openSqlService>>["service"]): Promise<Caller> {
  const user = await service.ensureUser("default", { isAdmin: true });
  return { userId: user.id, userName: user.name, isAdmin: true, workspace: "default" };
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe("encryption at rest: the SQLite file and its WAL", () => {
  let db: TestDatabase;
  afterAll(() => db.drop());

  it("contain no secret value in clear, though names and keys are there", async () => {
    db = await createSqliteDatabase();
    const { service } = await openSqlService(db.url);
    const caller = await callerFor(service);
    const values = Array.from({ length: 5 }, distinctive);
    await service.createSecret(caller, { name: "plain_check", values: { password: values[0]!, token: values[1]! } });
    await service.updateSecret(caller, "plain_check", { values: { extra: values[2]! } });
    await service.replaceSecretValues(caller, "plain_check", { replaced: values[3]!, unicode: `${values[4]!}-秘密` });
    const files = [db.file!, `${db.file!}-wal`];
    const bytes = Buffer.concat(await Promise.all(files.map((file) => readFile(file).catch(() => Buffer.alloc(0)))));
    // Read before closing, so the WAL has not been checkpointed away.
    await service.close();
    const afterClose = await readFile(db.file!);
    expect(bytes.includes("plain_check")).toBe(true);
    expect(bytes.includes("replaced")).toBe(true);
    for (const value of values) {
      expect(bytes.includes(value)).toBe(false);
      expect(afterClose.includes(value)).toBe(false);
    }
  });
});


describe.each(testDatabases)("encryption on %s", (_label, createDatabase) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createDatabase();
  });
  afterAll(() => db.drop());

  it("a ciphertext moved onto another secret's row fails to decrypt, naming neither value", async () => {
    const { service, database } = await openSqlService(db.url, randomKeys());
    try {
      const caller = await callerFor(service);
      const [first, second] = [distinctive(), distinctive()];
      const a = await service.createSecret(caller, { name: "moved_a", values: { k: first } });
      const b = await service.createSecret(caller, { name: "moved_b", values: { k: second } });
      const stolen = await database.knex("secret_values").where({ secret_id: a.id }).first("ciphertext");
      await database.knex("secret_values").where({ secret_id: b.id }).update({ ciphertext: stolen.ciphertext });
      const error = await errorOf(service.getSecret(caller, "moved_b"));
      expect(isZsError(error) && error.code).toBe("INTERNAL");
      expect((error as Error).message).toMatch(/failed authentication/);
      expect((error as Error).message).not.toContain(first);
      expect((error as Error).message).not.toContain(second);
    } finally {
      await service.close();
    }
  });

  it("a wrong key is detected when the store opens, with a message saying what to set", async () => {
    const own = await createDatabase();
    const right = randomKeys();
    const first = await openSqlService(own.url, right);
    await first.service.close();
    const database = await SqlDatabase.open(own.url);
    try {
      const error = await errorOf(SqlValuesStore.open(database, new KeyRing(randomKeys())));
      expect(isZsError(error) && error.code).toBe("CONFIGURATION_ERROR");
      expect((error as Error).message).toMatch(/does not match this database/);
      expect((error as Error).message).toMatch(/ZS_ENCRYPTION_KEY/);
      expect((error as Error).message).toContain(right[0]!.id);
      await expect(SqlValuesStore.open(database, new KeyRing(right))).resolves.toBeInstanceOf(SqlValuesStore);
    } finally {
      await database.close();
      await own.drop();
    }
  });
});

describe.each(testDatabases)("key rotation on %s", (_label, createDatabase) => {
  let db: TestDatabase;
  const oldKeys = randomKeys("old");
  const newKeys = randomKeys("new");
  const both: EncryptionKey[] = [...newKeys, ...oldKeys];
  const expected = new Map<string, Record<string, string>>();

  beforeAll(async () => {
    db = await createDatabase();
    const { service } = await openSqlService(db.url, oldKeys);
    const caller = await callerFor(service);
    for (let i = 0; i < 25; i++) {
      const values = { password: distinctive(), empty: "" };
      await service.createSecret(caller, { name: `rotate_${i}`, values });
      expected.set(`rotate_${i}`, values);
    }
    await service.close();
  });
  afterAll(() => db.drop());

  it("the new key alone cannot open the store before rotation", async () => {
    const database = await SqlDatabase.open(db.url);
    try {
      const error = await errorOf(SqlValuesStore.open(database, new KeyRing(newKeys)));
      expect(isZsError(error) && error.code).toBe("CONFIGURATION_ERROR");
    } finally {
      await database.close();
    }
  });

  it("resumes after an interruption: a second run re-encrypts only the rows left, the kept versions of history included", async () => {
    const database = await SqlDatabase.open(db.url);
    const ring = new KeyRing(both);
    try {
      await SqlValuesStore.open(database, ring);
      const interrupted = await errorOf(
        rotateEncryptionKey(database, ring, {
          batchSize: 10,
          onProgress: () => {
            throw new Error("interrupted");
          },
        }),
      );
      expect((interrupted as Error).message).toBe("interrupted");
      const seen: number[] = [];
      const result = await rotateEncryptionKey(database, ring, { batchSize: 10, onProgress: (p) => seen.push(p.done) });
      // 25 current values and 25 kept versions (each secret's version 1); the first batch of 10 was done.
      expect(result).toEqual({ done: 40, total: 40, versions: 25 });
      expect(seen).toEqual([10, 15, 25, 35, 40]);
      expect(await rotateEncryptionKey(database, ring)).toEqual({ done: 0, total: 0, versions: 0 });
    } finally {
      await database.close();
    }
  });

  it("afterwards every row decrypts with the new key alone", async () => {
    const { service } = await openSqlService(db.url, newKeys);
    try {
      const caller = await callerFor(service);
      for (const [name, values] of expected) {
        expect((await service.getSecret(caller, name)).values).toEqual(values);
        await service.updateSecret(caller, name, { values: { password: "changed" } });
        expect((await service.getSecretVersion(caller, name, 1)).values).toEqual(values);
      }
    } finally {
      await service.close();
    }
  });
});
