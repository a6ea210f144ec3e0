import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { SqlDatabase, type SqlDatabaseOptions } from "../src/index.js";
import { prepareRead } from "../src/prepared-read.js";
import { createPostgresDatabase, createSqliteDatabase, postgresUrl, type TestDatabase } from "./support/test-databases.js";

// A table of this test's own, next to zs's schema.
const TABLE = "prepared_read_probe";

async function createProbeTable(database: SqlDatabase): Promise<void> {
  await database.knex.schema.createTable(TABLE, (t) => {
    t.string("id").primary();
    t.string("label").notNullable();
    t.integer("rank").notNullable();
  });
}

function probeByLabel(database: SqlDatabase) {
  return prepareRead<{ label: string; minRank: number }, { id: string; rank: number }>((parameter) =>
    database.knex(TABLE).where("label", parameter("label")).where("rank", ">=", parameter("minRank")).orderBy("rank").limit(5).select("id", "rank"),
  );
}

/** Where prepared reads run: SQLite's pool (the CLI), its read connection (the server), PostgreSQL. */
const setups: [string, () => Promise<TestDatabase>, SqlDatabaseOptions][] = [
  ["SQLite, on the pool", createSqliteDatabase, {}],
  ["SQLite, on a read connection", createSqliteDatabase, { readConnection: true }],
  ...(postgresUrl ? [["PostgreSQL", createPostgresDatabase, {}] as [string, () => Promise<TestDatabase>, SqlDatabaseOptions]] : []),
];

describe.each(setups)("prepared reads on %s", (label, createDatabase, options) => {
  let db: TestDatabase;
  let database: SqlDatabase;
  // SQLite's pool is one connection: a read from outside an open write transaction waits for it.
  const readsBesideWriter = label !== "SQLite, on the pool";

  beforeAll(async () => {
    db = await createDatabase();
    database = await SqlDatabase.open(db.url, options);
    await createProbeTable(database);
  });
  afterAll(async () => {
    await database.close();
    await db.drop();
  });

  it("binds each run's parameters by name and keeps the builder's constants (the limit)", async () => {
    const label = randomUUID();
    await database.knex(TABLE).insert(Array.from({ length: 8 }, (_, rank) => ({ id: `${label}-${rank}`, label, rank })));
    const byLabel = probeByLabel(database);
    expect(await database.read(byLabel, { label, minRank: 2 })).toEqual([2, 3, 4, 5, 6].map((rank) => ({ id: `${label}-${rank}`, rank })));
    expect(await database.read(byLabel, { label, minRank: 7 })).toEqual([{ id: `${label}-7`, rank: 7 }]);
    expect(await database.read(byLabel, { label: "nobody", minRank: 0 })).toEqual([]);
  });

  it("a value that looks like SQL is bound as data", async () => {
    const label = "x' or '1'='1";
    await database.knex(TABLE).insert({ id: randomUUID(), label: "plain", rank: 1 });
    expect(await database.read(probeByLabel(database), { label, minRank: 0 })).toEqual([]);
  });

  it("sees a write committed through the pool at once", async () => {
    const label = randomUUID();
    const byLabel = probeByLabel(database);
    expect(await database.read(byLabel, { label, minRank: 0 })).toEqual([]);
    await database.knex(TABLE).insert({ id: label, label, rank: 1 });
    expect(await database.read(byLabel, { label, minRank: 0 })).toEqual([{ id: label, rank: 1 }]);
  });

  it("inside a transaction reads that transaction's own uncommitted writes; outside, only committed ones", async () => {
    const label = randomUUID();
    const byLabel = probeByLabel(database);
    const seen = await database.transaction(async (trx) => {
      await trx(TABLE).insert({ id: label, label, rank: 3 });
      return database.read(byLabel, { label, minRank: 0 });
    });
    expect(seen).toEqual([{ id: label, rank: 3 }]);

    const rolledBack = randomUUID();
    await expect(
      database.transaction(async (trx) => {
        await trx(TABLE).insert({ id: rolledBack, label: rolledBack, rank: 1 });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await database.read(byLabel, { label: rolledBack, minRank: 0 })).toEqual([]);
  });

  // Only where reads have a connection beside the writer's.
  const itBesideWriter = readsBesideWriter ? it : () => undefined;
  itBesideWriter("a read from outside goes on while a write transaction is open, and sees the state before it", async () => {
    const label = randomUUID();
    await database.knex(TABLE).insert({ id: `${label}-before`, label, rank: 1 });
    const byLabel = probeByLabel(database);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertedInside = new Promise<void>((resolve) => (inserted = resolve));
    const writer = database.transaction(async (trx) => {
      await trx(TABLE).insert({ id: `${label}-inside`, label, rank: 2 });
      inserted();
      await held;
    });
    await insertedInside;
    // Not inside the transaction's async context: the read must neither wait for it nor see its row.
    const outside = await new Promise<Awaited<ReturnType<typeof database.read>>>((resolve, reject) => {
      setImmediate(() => database.read(byLabel, { label, minRank: 0 }).then(resolve, reject));
    });
    release();
    await writer;
    expect(outside).toEqual([{ id: `${label}-before`, rank: 1 }]);
    expect(await database.read(byLabel, { label, minRank: 0 })).toHaveLength(2);
  });

  it("a query that fails reports the database's error to each run, and the next run tries again", async () => {
    const missing = prepareRead<{ id: string }, unknown>((parameter) => database.knex("no_such_table").where("id", parameter("id")).select("id"));
    await expect(database.read(missing, { id: "a" })).rejects.toThrow(/no_such_table/);
    await expect(database.read(missing, { id: "b" })).rejects.toThrow(/no_such_table/);
  });
});

describe("prepared reads on SQLite files", () => {
  it("on a read connection, use one that refuses to write", async () => {
    const db = await createSqliteDatabase();
    const database = await SqlDatabase.open(db.url, { readConnection: true });
    try {
      await createProbeTable(database);
      const write = prepareRead<{ id: string }, unknown>((parameter) => database.knex(TABLE).insert({ id: parameter("id"), label: "x", rank: 1 }));
      await expect(database.read(write, { id: "a" })).rejects.toThrow(/readonly|read-only|query_only/i);
      expect(await database.knex(TABLE).count({ n: "*" }).first()).toEqual({ n: 0 });
    } finally {
      await database.close();
      await db.drop();
    }
  });

  it("work on an in-memory database, which exists on the pool's one connection only, even when a read connection is asked for", async () => {
    const database = await SqlDatabase.open("sqlite::memory:", { readConnection: true });
    try {
      await createProbeTable(database);
      await database.knex(TABLE).insert({ id: "m", label: "memory", rank: 1 });
      expect(await database.read(probeByLabel(database), { label: "memory", minRank: 0 })).toEqual([{ id: "m", rank: 1 }]);
    } finally {
      await database.close();
    }
  });

  it("on a read connection, fail clearly once the database is closed", async () => {
    const db = await createSqliteDatabase();
    const database = await SqlDatabase.open(db.url, { readConnection: true });
    await createProbeTable(database);
    const byLabel = probeByLabel(database);
    await database.read(byLabel, { label: "a", minRank: 0 });
    await database.close();
    await expect(database.read(byLabel, { label: "a", minRank: 0 })).rejects.toThrow(/closed/);
    await db.drop();
  });
});
