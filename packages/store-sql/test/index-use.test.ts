import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Caller, SecretsService } from "@zs/core";
import type { SqlDatabase } from "../src/index.js";
import { openSqlService, testDatabases, type TestDatabase } from "./support/test-databases.js";

interface Statement {
  sql: string;
  bindings: unknown[];
}

/**
 * A get reads its secret's values, and a list the history entry of each listed secret, by
 * primary key: never by scanning `secret_values` or `secret_history`, which hold a row (or
 * several) per secret. (On PostgreSQL a join of columns in different collations could use
 * neither column's index, and each get scanned every stored value.)
 */
describe.each(testDatabases)("index use on %s", (label, createDatabase) => {
  let db: TestDatabase;
  let database: SqlDatabase;
  let service: SecretsService;
  let alice: Caller;

  beforeAll(async () => {
    db = await createDatabase();
    ({ database, service } = await openSqlService(db.url));
    const user = await service.ensureUser("alice");
    alice = { userId: user.id, userName: user.name, isAdmin: false, workspace: "default" };
    for (let i = 0; i < 3; i++) await service.createSecret(alice, { name: `indexed-${i}`, values: { k: `v${i}` } });
    await service.updateSecret(alice, "indexed-1", { values: { k: "changed" } });
  });
  afterAll(async () => {
    await service.close();
    await db.drop();
  });

  /**
   * The selects `work` runs. `inTransaction`: in one, so that prepared reads go through knex
   * and show their bindings (a list is a knex query anyway).
   */
  async function selectsOf(work: () => Promise<unknown>, inTransaction = false): Promise<Statement[]> {
    const statements: Statement[] = [];
    const record = (query: Statement) => statements.push({ sql: query.sql, bindings: query.bindings ?? [] });
    database.knex.on("query", record);
    try {
      await (inTransaction ? database.transaction(() => work()) : work());
    } finally {
      database.knex.off("query", record);
    }
    return statements.filter((statement) => /^\s*select/i.test(statement.sql));
  }

  /** The plan of a statement; on PostgreSQL with sequential scans priced out, so an index is used wherever one can be. */
  async function planOf({ sql, bindings }: Statement): Promise<string> {
    const { knex } = database;
    if (label === "SQLite") {
      const rows = (await knex.raw(`explain query plan ${sql}`, bindings as readonly string[])) as { detail: string }[];
      return rows.map((row) => row.detail).join("\n");
    }
    return knex.transaction(async (trx) => {
      await trx.raw("set local enable_seqscan = off");
      // knex reports PostgreSQL's numbered parameters; raw takes `?` ones, in order.
      const ordered = [...sql.matchAll(/\$(\d+)/g)].map((match) => bindings[Number(match[1]) - 1]);
      const result = (await trx.raw(`explain ${sql.replace(/\$\d+/g, "?")}`, ordered as readonly string[])) as { rows: { "QUERY PLAN": string }[] };
      return result.rows.map((row) => row["QUERY PLAN"]).join("\n");
    });
  }

  /** Scans of a table holding one row or more per secret, or a secret id compared row by row rather than searched for, in a plan. */
  function scansPerSecretTable(plan: string): string[] {
    const scan = label === "SQLite" ? /\bSCAN (secret_values|secret_history|v|h)\b/g : /Seq Scan on (secret_values|secret_history)\b|Filter: .*\(secret_id\)::text = /g;
    return plan.match(scan) ?? [];
  }

  it("a get by name reads the values by primary key", async () => {
    const statements = await selectsOf(() => service.getSecret(alice, "indexed-1"), true);
    const plans = await Promise.all(statements.map(planOf));
    expect(plans.join("\n")).toMatch(/secret_values/);
    expect(plans.flatMap(scansPerSecretTable)).toEqual([]);
  });

  it("a list looks up the history entry of each listed secret by primary key", async () => {
    let listed: { updatedBy: string | null }[] = [];
    const statements = await selectsOf(async () => {
      listed = (await service.listSecrets(alice, { name: "startswith:indexed-", size: 2 })).items;
    });
    expect(listed.map((item) => item.updatedBy)).toEqual(["alice", "alice"]);
    const plans = await Promise.all(statements.map(planOf));
    expect(plans.join("\n")).toMatch(/secret_history/);
    expect(plans.flatMap(scansPerSecretTable)).toEqual([]);
  });
});
