import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Caller, SecretsService } from "@zs/core";
import {
  openSqlService,
  type TestDatabase,
  testDatabases,
} from "./support/test-databases.js";

// `name=contains:` is answered by an index (FTS5 trigrams on SQLite, pg_trgm on PostgreSQL)
// for 3+ name characters, by a scan otherwise: both must agree with the rows as they are now.

describe.each(testDatabases)("name contains filters on %s", (_label, createDatabase) => {
  let db: TestDatabase;
  let service: SecretsService;
  let caller: Caller;
  const names = async (filter: string) =>
    (await service.listSecrets(caller, { name: filter, size: 1000, sortBy: "name" })).items.map((s) => s.name);

  beforeAll(async () => {
    db = await createDatabase();
    ({ service } = await openSqlService(db.url));
    const user = await service.ensureUser("root", { isAdmin: true });
    caller = { userId: user.id, userName: user.name, isAdmin: true, workspace: "default" };
    for (const name of ["alpha-db", "beta-db", "gamma_cache", "Alpha-DB2"]) {
      await service.createSecret(caller, { name, values: { k: "v" } });
    }
  });
  afterAll(async () => {
    await service.close();
    await db.drop();
  });

  it("finds substrings of three or more characters, case-sensitively", async () => {
    expect(await names("contains:-db")).toEqual(["alpha-db", "beta-db"]);
    expect(await names("contains:pha-")).toEqual(["Alpha-DB2", "alpha-db"]);
    expect(await names("contains:-DB")).toEqual(["Alpha-DB2"]);
  });

  it("finds substrings shorter than three characters too", async () => {
    expect(await names("contains:db")).toEqual(["alpha-db", "beta-db"]);
    expect(await names("contains:_")).toEqual(["gamma_cache"]);
  });

  it("treats quotes, wildcards and search syntax in the value as text matching nothing", async () => {
    for (const value of ['"db', "db*", "a%b", "NEAR(db)", "db OR gamma", "-db)"]) {
      expect(await names(`contains:${value}`)).toEqual([]);
    }
  });

  it("refuses a NUL character with INVALID_FILTER rather than matching a truncated value", async () => {
    await expect(names("contains:-db\u0000x")).rejects.toMatchObject({ code: "INVALID_FILTER" });
  });

  it("follows renames: the new name is found, the old one no longer", async () => {
    await service.updateSecret(caller, "beta-db", { name: "beta-store" });
    expect(await names("contains:beta")).toEqual(["beta-store"]);
    expect(await names("contains:a-db")).toEqual(["alpha-db"]);
    expect(await names("contains:-store")).toEqual(["beta-store"]);
  });

  it("forgets deleted secrets, also those deleted with their workspace", async () => {
    await service.deleteSecret(caller, "gamma_cache");
    expect(await names("contains:gamma")).toEqual([]);
    await service.createWorkspace(caller, { name: "scratch" });
    const inScratch = { ...caller, workspace: "scratch" };
    await service.createSecret(inScratch, { name: "scratch-db", values: { k: "v" } });
    expect((await service.listSecrets(inScratch, { name: "contains:scratch" })).total).toBe(1);
    await service.deleteWorkspace(caller, "scratch");
    expect((await service.listSecrets(caller, { name: "contains:scratch", workspace: "*" })).total).toBe(0);
  });

  it("combines with other filters under `or`", async () => {
    const result = await service.listSecrets(caller, { name: "contains:alpha", scope: "user", logicalOperator: "or", sortBy: "name" });
    expect(result.items.map((s) => s.name)).toEqual(["alpha-db"]);
  });
});
