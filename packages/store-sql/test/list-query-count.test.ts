import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomBytes } from "node:crypto";
import type { Caller, SecretsService } from "@zs/core";
import type { SqlDatabase } from "../src/index.js";
import { openSqlService, testDatabases, type TestDatabase } from "./support/test-databases.js";

/** A list is one SQL query: its page and, as a scalar subquery, the count of all matches. */
describe.each(testDatabases)("queries of a list on %s", (_label, createDatabase) => {
  let db: TestDatabase;
  let database: SqlDatabase;
  let service: SecretsService;
  let alice: Caller;
  const prefix = `listed-${randomBytes(4).toString("hex")}`;

  beforeAll(async () => {
    db = await createDatabase();
    ({ database, service } = await openSqlService(db.url));
    const user = await service.ensureUser("alice");
    alice = { userId: user.id, userName: user.name, isAdmin: false, workspace: "default" };
    for (let i = 0; i < 5; i++) await service.createSecret(alice, { name: `${prefix}-${i}`, values: { k: `v${i}` } });
    await service.createSecret(alice, { name: `other-${prefix}`, values: { k: "v" } });
  });
  afterAll(async () => {
    await service.close();
    await db.drop();
  });

  /** The SQL statements the database runs while `work` does. */
  async function statementsOf<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
    const statements: string[] = [];
    const record = (query: { sql: string }) => statements.push(query.sql);
    database.knex.on("query", record);
    try {
      return { result: await work(), statements };
    } finally {
      database.knex.off("query", record);
    }
  }

  it("a page with rows is one query carrying the total of every page", async () => {
    const { result, statements } = await statementsOf(() => service.listSecrets(alice, { name: `startswith:${prefix}`, size: 2, page: 2 }));
    expect(result.items.map((s) => s.name)).toEqual([`${prefix}-2`, `${prefix}-3`]);
    expect(result).toMatchObject({ total: 5, totalPages: 3, index: 2, maxSize: 2 });
    expect(statements).toHaveLength(1);
  });

  it("a filter on the owner counts with the owner joined", async () => {
    const { result, statements } = await statementsOf(() => service.listSecrets(alice, { name: `contains:${prefix}`, user: "alice", size: 50 }));
    expect(result.total).toBe(6);
    expect(result.items).toHaveLength(6);
    expect(statements).toHaveLength(1);
  });

  it("an empty page needs the count and a workspace check: no match is total 0, a page past the end PAGE_OUT_OF_RANGE", async () => {
    const none = await statementsOf(() => service.listSecrets(alice, { name: `equals:${prefix}-absent` }));
    expect(none.result).toMatchObject({ items: [], total: 0, totalPages: 1 });
    // The count, then (nothing matched) one read that the workspace exists: an unknown one is WORKSPACE_NOT_FOUND.
    expect(none.statements).toHaveLength(3);
    await expect(service.listSecrets(alice, { name: `startswith:${prefix}`, size: 2, page: 4 })).rejects.toMatchObject({
      code: "PAGE_OUT_OF_RANGE",
      details: { totalPages: 3 },
    });
  });
});
