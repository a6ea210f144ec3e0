import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Caller } from "@zs/core";
import {
  openSqlService,
  randomKeys,
  type TestDatabase,
  testDatabases,
} from "./support/test-databases.js";

// Two services with pools of their own on one database: what two processes (a CLI and a
// server, or two server instances) see.

describe.each(testDatabases)("two connections to one %s database", (_label, createDatabase) => {
  let db: TestDatabase;
  let first: Awaited<ReturnType<typeof openSqlService>>;
  let second: Awaited<ReturnType<typeof openSqlService>>;
  let caller: Caller;

  beforeAll(async () => {
    db = await createDatabase();
    const keys = randomKeys();
    [first, second] = await Promise.all([openSqlService(db.url, keys), openSqlService(db.url, keys)]);
    const user = await first.service.ensureUser("root", { isAdmin: true });
    caller = { userId: user.id, userName: user.name, isAdmin: true, workspace: "default" };
  });
  afterAll(async () => {
    await first.service.close();
    await second.service.close();
    await db.drop();
  });

  it("50 concurrent merge updates split across both keep every key", async () => {
    await first.service.createSecret(caller, { name: "shared", values: {} });
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        (i % 2 ? first : second).service.updateSecret(caller, "shared", { values: { [`key_${i}`]: String(i) } }),
      ),
    );
    const secret = await second.service.getSecret(caller, "shared");
    expect(secret.keys).toHaveLength(50);
    expect(secret.version).toBe(51);
    expect(secret.values.key_49).toBe("49");
  });

  it("concurrent creates of one name through both end with exactly one secret", async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? first : second).service.createSecret(caller, { name: "racy", values: { i: String(i) } })),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(rejected.map((o) => (o.reason as { code?: string }).code)).toEqual(Array(19).fill("SECRET_EXISTS"));
    expect((await first.service.listSecrets(caller, { name: "racy" })).total).toBe(1);
  });
});
