/** Service conformance: sorting and paging. */
import {
  LIMITS,
  type Caller,
  type SecretCreate,
  type SecretQuery,
} from "@zs/core";
import { SORT_FIELDS, sortProblems } from "./fixtures.js";
import type { SuiteContext } from "./suite-context.js";

export function describeSortingAndPaging({ describe, test, expect, beforeAll, serviceGroup, leakCheck }: SuiteContext): void {
  describe("sorting and paging", () => {
    const g = serviceGroup();
    let visibleIds: string[] = [];

    beforeAll(async () => {
      const plan: Array<[Caller, string, Partial<SecretCreate>]> = [
        [g.alice, "beta", {}],
        [g.alice, "Alpha", {}],
        [g.bob, "bob-one", {}],
        [g.alice, "alpha", {}],
        [g.alice, "beta", { scope: "user" }],
        [g.alice, "gamma", {}],
        [g.bob, "bob-private", { scope: "user" }],
        [g.alice, "Zeta", {}],
        [g.alice, "epsilon", { scope: "user" }],
        [g.alice, "delta", {}],
      ];
      const ids: string[] = [];
      for (const [caller, name, extra] of plan) {
        const created = await g.create(caller, name, extra);
        if (name !== "bob-private") ids.push(created.id);
      }
      visibleIds = ids;
      // A different order for `updated` than for `created`.
      for (const name of ["gamma", "Alpha", "bob-one"]) await g.service.updateSecret(g.alice, name, { values: { u: g.value() } });
      await g.service.updateSecret(g.alice, "beta", { values: { u: g.value() } }, { scope: "workspace" });
    });

    const listAll = (query: SecretQuery = {}) => g.service.listSecrets(g.alice, { size: LIMITS.maxPageSize, ...query });

    test("names sort case-sensitively by character code, identically on every database", async () => {
      const ascending = await listAll({ sortBy: "name" });
      expect(ascending.items.map((s) => s.name)).toEqual(["Alpha", "Zeta", "alpha", "beta", "beta", "bob-one", "delta", "epsilon", "gamma"]);
      const descending = await listAll({ sortBy: "desc:name" });
      expect(descending.items.map((s) => s.name)).toEqual(["gamma", "epsilon", "delta", "bob-one", "beta", "beta", "alpha", "Zeta", "Alpha"]);
    });

    for (const field of SORT_FIELDS) {
      for (const direction of ["asc", "desc"] as const) {
        const spellings = direction === "asc" ? [field, `asc:${field}`] : [`desc:${field}`];
        test(`sortBy ${spellings.join(" / ")} orders by ${field} ${direction}, ties by id, and pages of 1, 2 and 3 visit every secret once`, async () => {
          const full = await listAll({ sortBy: spellings[0]! });
          expect(full.items.map((s) => s.id).sort()).toEqual([...visibleIds].sort());
          expect(sortProblems(full.items, field, direction)).toEqual([]);
          const order = full.items.map((s) => s.id);
          for (const sortBy of spellings) expect((await listAll({ sortBy })).items.map((s) => s.id)).toEqual(order);
          for (const size of [1, 2, 3]) {
            const visited: string[] = [];
            const totalPages = Math.ceil(order.length / size);
            for (let page = 1; page <= totalPages; page++) {
              const result = await g.service.listSecrets(g.alice, { sortBy: spellings[0]!, size, page });
              expect({ index: result.index, maxSize: result.maxSize, total: result.total, totalPages: result.totalPages }).toEqual({
                index: page,
                maxSize: size,
                total: order.length,
                totalPages,
              });
              visited.push(...result.items.map((s) => s.id));
            }
            expect(visited).toEqual(order);
            expect(new Set(visited).size).toBe(order.length);
          }
        });
      }
    }

    test("the default sort is created ascending", async () => {
      const byDefault = await listAll();
      const byCreated = await listAll({ sortBy: "asc:created" });
      expect(byDefault.items.map((s) => s.id)).toEqual(byCreated.items.map((s) => s.id));
      expect(sortProblems(byDefault.items, "created", "asc")).toEqual([]);
    });

    test("sort by scope lists user before workspace ascending and the reverse descending", async () => {
      const ascending = (await listAll({ sortBy: "scope" })).items.map((s) => s.scope);
      expect(ascending).toEqual(["user", "user", ...Array(7).fill("workspace")]);
      const descending = (await listAll({ sortBy: "desc:scope" })).items.map((s) => s.scope);
      expect(descending).toEqual([...Array(7).fill("workspace"), "user", "user"]);
    });

    test("an unknown sort field or direction is INVALID_FILTER naming the allowed fields", async () => {
      for (const sortBy of ["size", "desc:version", "id", "up:name", "desc:", "name:desc", "Name"]) {
        const error = await g.fail(listAll({ sortBy }), "INVALID_FILTER");
        expect(error.message).toContain("name, created, updated, scope");
      }
    });

    leakCheck(g);
  });
}
