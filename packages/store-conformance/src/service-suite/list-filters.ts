/** Service conformance: list filters. */
import {
  type Caller,
  type Secret,
  type SecretCreate,
  type SecretQuery,
} from "@zs/core";
import type { SuiteContext } from "./suite-context.js";

export function describeListFilters({ describe, test, expect, beforeAll, serviceGroup, leakCheck }: SuiteContext): void {
  describe("list filters", () => {
    const g = serviceGroup();
    const made: Record<string, Secret> = {};
    const defaultVisibleToAlice = ["Cache", "a_b", "axb", "db-replica", "db_main", "mydb"];

    beforeAll(async () => {
      await g.service.createWorkspace(g.root, { name: "ops" });
      const plan: Array<[Caller, string, Partial<SecretCreate>]> = [
        [g.alice, "db_main", {}],
        [g.alice, "db-replica", {}],
        [g.bob, "a_b", {}],
        [g.bob, "axb", {}],
        [g.alice, "Cache", {}],
        [g.alice, "mydb", { scope: "user" }],
        [g.bob, "bobs-private", { scope: "user" }],
        [g.alice, "ops-db", { workspace: "ops" }],
      ];
      for (const [caller, name, extra] of plan) made[name] = await g.create(caller, name, extra);
    });

    // Rows are built when the test runs, after the fixture exists.
    const cases = (rows: () => Array<[SecretQuery, string[]]>) => async () => {
      for (const [query, expected] of rows()) {
        expect({ query, names: await g.listNames(g.alice, query) }).toEqual({ query, names: [...expected].sort() });
      }
    };

    test("with no filter the caller's active workspace is listed, never another's", async () => {
      expect(await g.listNames(g.alice)).toEqual(defaultVisibleToAlice);
      expect(await g.listNames(g.inWorkspace(g.alice, "ops"))).toEqual(["ops-db"]);
    });

    test("workspace '*' lists every workspace", cases(() => [[{ workspace: "*" }, [...defaultVisibleToAlice, "ops-db"]]]));

    test(
      "name supports equals (also bare), notequals, contains, startswith and endswith",
      cases(() => [
        [{ name: "db_main" }, ["db_main"]],
        [{ name: "equals:db_main" }, ["db_main"]],
        [{ name: "notequals:db_main" }, ["Cache", "a_b", "axb", "db-replica", "mydb"]],
        [{ name: "contains:db" }, ["db-replica", "db_main", "mydb"]],
        [{ name: "startswith:db" }, ["db-replica", "db_main"]],
        [{ name: "endswith:db" }, ["mydb"]],
        [{ name: "endswith:replica" }, ["db-replica"]],
        [{ name: "contains:nothing-like-this" }, []],
      ]),
    );

    test(
      "string matching is case-sensitive",
      cases(() => [
        [{ name: "contains:DB" }, []],
        [{ name: "equals:cache" }, []],
        [{ name: "Cache" }, ["Cache"]],
        [{ name: "startswith:c" }, []],
        [{ name: "startswith:C" }, ["Cache"]],
        [{ name: "endswith:HE" }, []],
        [{ user: "ALICE" }, []],
        [{ scope: "contains:USER" }, []],
      ]),
    );

    test(
      "_ in a filter value is a literal underscore, not a one-character wildcard",
      cases(() => [
        [{ name: "contains:_" }, ["a_b", "db_main"]],
        [{ name: "startswith:a_" }, ["a_b"]],
        [{ name: "endswith:_b" }, ["a_b"]],
        [{ name: "contains:a_b" }, ["a_b"]],
        [{ name: "contains:b_m" }, ["db_main"]],
      ]),
    );

    test(
      "% and \\ in a filter value are literal: they match nothing rather than everything",
      cases(() => [
        [{ name: "contains:%" }, []],
        [{ name: "startswith:%" }, []],
        [{ name: "endswith:%" }, []],
        [{ name: "contains:d%b" }, []],
        [{ name: "startswith:db%" }, []],
        [{ name: "contains:\\" }, []],
        [{ name: "contains:a\\_b" }, []],
        [{ name: "contains:\\%" }, []],
        [{ name: "endswith:\\" }, []],
        [{ user: "contains:%" }, []],
        [{ id: "startswith:%" }, []],
      ]),
    );

    test(
      "a value containing a colon after an unknown prefix is an equals on the whole string, not an error",
      cases(() => [
        [{ name: "foo:bar" }, []],
        [{ name: "db_main:x" }, []],
        [{ name: "equals:foo:bar" }, []],
        [{ name: "contains:db:" }, []],
        [{ user: "like:alice" }, []],
      ]),
    );

    test(
      "scope supports every string operator",
      cases(() => [
        [{ scope: "user" }, ["mydb"]],
        [{ scope: "equals:workspace" }, ["Cache", "a_b", "axb", "db-replica", "db_main"]],
        [{ scope: "notequals:user" }, ["Cache", "a_b", "axb", "db-replica", "db_main"]],
        [{ scope: "contains:ork" }, ["Cache", "a_b", "axb", "db-replica", "db_main"]],
        [{ scope: "startswith:us" }, ["mydb"]],
        [{ scope: "endswith:space" }, ["Cache", "a_b", "axb", "db-replica", "db_main"]],
      ]),
    );

    test(
      "user supports every string operator and never reveals others' private secrets",
      cases(() => [
        [{ user: "alice" }, ["Cache", "db-replica", "db_main", "mydb"]],
        [{ user: "bob" }, ["a_b", "axb"]],
        [{ user: "notequals:alice" }, ["a_b", "axb"]],
        [{ user: "contains:lic" }, ["Cache", "db-replica", "db_main", "mydb"]],
        [{ user: "startswith:b" }, ["a_b", "axb"]],
        [{ user: "endswith:ob" }, ["a_b", "axb"]],
      ]),
    );

    test(
      "workspace supports every string operator",
      cases(() => [
        [{ workspace: "ops" }, ["ops-db"]],
        [{ workspace: "equals:default" }, defaultVisibleToAlice],
        [{ workspace: "notequals:default" }, ["ops-db"]],
        [{ workspace: "contains:efaul" }, defaultVisibleToAlice],
        [{ workspace: "startswith:op" }, ["ops-db"]],
        [{ workspace: "endswith:ps" }, ["ops-db"]],
        [{ workspace: "contains:nowhere" }, []],
      ]),
    );

    test("a workspace that does not exist is WORKSPACE_NOT_FOUND, not an empty list", async () => {
      await g.fail(g.service.listSecrets(g.alice, { workspace: "nowhere" }), "WORKSPACE_NOT_FOUND");
    });

    test("id supports every string operator", async () => {
      const id = made.db_main!.id;
      await cases(() => [
        [{ id }, ["db_main"]],
        [{ id: `equals:${id}` }, ["db_main"]],
        [{ id: `notequals:${id}` }, ["Cache", "a_b", "axb", "db-replica", "mydb"]],
        [{ id: `startswith:${id.slice(0, 8)}` }, ["db_main"]],
        [{ id: `endswith:${id.slice(24)}` }, ["db_main"]],
        [{ id: `contains:${id.slice(9, 23)}` }, ["db_main"]],
        [{ id: `startswith:${made["bobs-private"]!.id.slice(0, 8)}` }, []],
        [{ id: made["ops-db"]!.id }, []],
        [{ id: made["ops-db"]!.id, workspace: "*" }, ["ops-db"]],
      ])();
    });

    test(
      "logicalOperator and (the default) requires every filter, or any of them",
      cases(() => [
        [{ name: "db_main", scope: "user" }, []],
        [{ name: "db_main", scope: "user", logicalOperator: "and" }, []],
        [{ name: "db_main", scope: "user", logicalOperator: "or" }, ["db_main", "mydb"]],
        [{ name: "startswith:db", user: "alice" }, ["db-replica", "db_main"]],
        [{ name: "startswith:db", user: "alice", logicalOperator: "or" }, ["Cache", "db-replica", "db_main", "mydb"]],
        [{ name: "a_b", user: "bob", scope: "workspace" }, ["a_b"]],
        [{ name: "Cache", id: made.axb!.id, logicalOperator: "or" }, ["Cache", "axb"]],
      ]),
    );

    test(
      "or never widens beyond the workspace and what the caller may see",
      cases(() => [
        [{ logicalOperator: "or" }, defaultVisibleToAlice],
        [{ name: "ops-db", logicalOperator: "or" }, []],
        [{ name: "ops-db", scope: "user", logicalOperator: "or" }, ["mydb"]],
        [{ user: "bob", scope: "user", logicalOperator: "or" }, ["a_b", "axb", "mydb"]],
        [{ name: "bobs-private", logicalOperator: "or" }, []],
      ]),
    );

    test("a string operator on a date field, a date operator on a string field, bad dates and unknown fields are INVALID_FILTER", async () => {
      const dateOperatorError = await g.fail(g.service.listSecrets(g.alice, { created: "contains:x" }), "INVALID_FILTER");
      expect(dateOperatorError.message).toContain("equals, gt, gte, lt, lte");
      const stringOperatorError = await g.fail(g.service.listSecrets(g.alice, { name: "gt:a" }), "INVALID_FILTER");
      expect(stringOperatorError.message).toContain("equals, notequals, contains, startswith, endswith");
      const invalid: SecretQuery[] = [
        { updated: "startswith:2026" },
        { user: "lte:b" },
        { id: "gte:0" },
        { scope: "lt:user" },
        { workspace: "gt:a" },
        { created: "yesterday" },
        { created: "2026-13-01 00:00:00" },
        { created: "2026-02-30T00:00:00.000Z" },
        { updated: "gt:2026-01-01 25:00:00" },
        { updated: "lt:" },
        { created: "" },
        { scope: "team" },
        { logicalOperator: "xor" as "or" },
        { color: "red" } as SecretQuery,
        { name: 7 } as unknown as SecretQuery,
      ];
      for (const query of invalid) {
        const error = await g.fail(g.service.listSecrets(g.alice, query), "INVALID_FILTER");
        expect(error.message.length).toBeGreaterThan(10);
      }
      const badDate = await g.fail(g.service.listSecrets(g.alice, { created: "gt:someday" }), "INVALID_FILTER");
      expect(badDate.message).toContain("someday");
      const unknown = await g.fail(g.service.listSecrets(g.alice, { colour: "red" } as SecretQuery), "INVALID_FILTER");
      expect(unknown.message).toContain("colour");
    });

    leakCheck(g);
  });
}
