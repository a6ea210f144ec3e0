import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { SqlDatabase, type PreparedWrite } from "../src/index.js";
import { testDatabases, type TestDatabase } from "./support/test-databases.js";

// Writes whose text repeats, prepared once (SqlDatabase.write): what the audit log's batches use.

const TABLE = "prepared_write_probe";

/** An insert of `rows` rows, prepared under a name unless `once`. */
function insertRows(database: SqlDatabase, rows: number, once = false): PreparedWrite {
  const knexSql = `insert into ${TABLE} (id, label) values ${Array.from({ length: rows }, () => "(?, ?)").join(",")}`;
  let parameter = 0;
  const nativeSql = database.dialect === "postgres" ? knexSql.replace(/\?/g, () => `$${++parameter}`) : knexSql;
  return once ? { knexSql, nativeSql } : { knexSql, nativeSql, statementName: `probe_insert_${rows}` };
}

const bindingsFor = (ids: number[], label: string) => ids.flatMap((id) => [id, label]);

describe.each(testDatabases)("prepared writes on %s", (_label, createDatabase) => {
  let db: TestDatabase;
  let database: SqlDatabase;
  let nextId = 1;
  const ids = (count: number) => Array.from({ length: count }, () => nextId++);
  const count = async (label: string) => Number((await database.knex(TABLE).where({ label }).count({ n: "*" }))[0]!.n);

  beforeAll(async () => {
    db = await createDatabase();
    database = await SqlDatabase.open(db.url);
    await database.knex.schema.createTable(TABLE, (t) => {
      t.integer("id").primary();
      t.string("label").notNullable();
    });
  });
  afterAll(async () => {
    await database?.close();
    await db?.drop();
  });

  it("runs the same statement many times with fresh bindings, for more texts than the cache keeps", async () => {
    // 100 distinct texts (past SQLite's 64 kept statements), each run twice, and one run once.
    for (let rows = 1; rows <= 100; rows++) {
      for (let run = 0; run < 2; run++) await database.write(insertRows(database, rows), bindingsFor(ids(rows), "many"));
    }
    await database.write(insertRows(database, 3, true), bindingsFor(ids(3), "many"));
    expect(await count("many")).toBe(100 * 101 + 3);
  });

  it("a refused run (a duplicate key) fails with the driver's error and writes nothing; the statement works again after it", async () => {
    const [taken] = ids(1);
    await database.write(insertRows(database, 1), bindingsFor([taken!], "refused"));
    const error = (await database.write(insertRows(database, 2), bindingsFor([ids(1)[0]!, taken!], "refused")).catch((caught: unknown) => caught)) as { code?: string };
    expect(error.code).toBe(database.dialect === "postgres" ? "23505" : "SQLITE_CONSTRAINT");
    expect(await count("refused")).toBe(1);
    await database.write(insertRows(database, 2), bindingsFor(ids(2), "refused"));
    expect(await count("refused")).toBe(3);
  });

  it("inside a transaction it runs there, and commits or rolls back with it", async () => {
    await database.knex.transaction(async (trx) => {
      await database.write(insertRows(database, 2), bindingsFor(ids(2), "in-transaction"), trx);
    });
    await database.knex
      .transaction(async (trx) => {
        await database.write(insertRows(database, 2), bindingsFor(ids(2), "rolled-back"), trx);
        throw new Error("roll back");
      })
      .catch(() => undefined);
    expect([await count("in-transaction"), await count("rolled-back")]).toEqual([2, 0]);
  });

  it("tells statement listeners what it runs", async () => {
    const seen: string[] = [];
    const stop = database.onStatement((sql) => seen.push(sql));
    await database.write(insertRows(database, 1), bindingsFor(ids(1), "listened"));
    stop();
    expect(seen).toEqual([insertRows(database, 1).nativeSql]);
  });

  it("a database with prepared writes closes, and what they wrote stays", async () => {
    const other = await SqlDatabase.open(db.url);
    await other.write(insertRows(other, 4), bindingsFor(ids(4), "closing"));
    await expect(other.close()).resolves.toBeUndefined();
    expect(await count("closing")).toBe(4);
  });
});
