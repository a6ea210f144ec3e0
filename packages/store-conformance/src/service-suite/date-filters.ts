/** Service conformance: date filters. */
import {
  type Secret,
  type SecretQuery,
} from "@zs/core";
import { spaced, shifted, nextSecond } from "./fixtures.js";
import type { SuiteContext } from "./suite-context.js";

export function describeDateFilters({ describe, test, expect, beforeAll, serviceGroup, leakCheck }: SuiteContext): void {
  describe("date filters", () => {
    const g = serviceGroup();
    // s1, s2, s3 are created in three different seconds; s1 is then updated in a fourth.
    let s1: Secret;
    let s2: Secret;
    let s3: Secret;
    let s1Updated: Secret;

    beforeAll(async () => {
      s1 = await g.create(g.alice, "s1");
      await nextSecond();
      s2 = await g.create(g.alice, "s2");
      await nextSecond();
      s3 = await g.create(g.bob, "s3");
      await nextSecond();
      s1Updated = await g.service.updateSecret(g.alice, "s1", { values: { k: g.value() } });
    });

    const cases = (rows: () => Array<[SecretQuery, string[]]>) => async () => {
      for (const [query, expected] of rows()) {
        expect({ query, names: await g.listNames(g.alice, query) }).toEqual({ query, names: expected });
      }
    };

    test("the fixture has distinct seconds (sanity)", async () => {
      expect(spaced(s1.created) < spaced(s2.created) && spaced(s2.created) < spaced(s3.created)).toBe(true);
      expect(spaced(s3.updated) < spaced(s1Updated.updated)).toBe(true);
    });

    test(
      "created supports equals, gt, gte, lt and lte with an ISO-8601 value at millisecond precision",
      cases(() => [
        [{ created: s2.created }, ["s2"]],
        [{ created: `equals:${s2.created}` }, ["s2"]],
        [{ created: `equals:${shifted(s2.created, 1)}` }, []],
        [{ created: `gt:${s2.created}` }, ["s3"]],
        [{ created: `gt:${shifted(s2.created, -1)}` }, ["s2", "s3"]],
        [{ created: `gte:${s2.created}` }, ["s2", "s3"]],
        [{ created: `gte:${shifted(s2.created, 1)}` }, ["s3"]],
        [{ created: `lt:${s2.created}` }, ["s1"]],
        [{ created: `lt:${shifted(s2.created, 1)}` }, ["s1", "s2"]],
        [{ created: `lte:${s2.created}` }, ["s1", "s2"]],
        [{ created: `lte:${shifted(s2.created, -1)}` }, ["s1"]],
      ]),
    );

    test(
      "created supports equals, gt, gte, lt and lte with a 'YYYY-MM-DD HH:MM:SS' (UTC) value",
      cases(() => [
        [{ created: spaced(s2.created) }, ["s2"]],
        [{ created: `equals:${spaced(s2.created)}` }, ["s2"]],
        [{ created: `gt:${spaced(s2.created)}` }, ["s3"]],
        [{ created: `gte:${spaced(s2.created)}` }, ["s2", "s3"]],
        [{ created: `lt:${spaced(s2.created)}` }, ["s1"]],
        [{ created: `lte:${spaced(s2.created)}` }, ["s1", "s2"]],
      ]),
    );

    test(
      "updated supports equals, gt, gte, lt and lte in both date formats",
      cases(() => [
        [{ updated: s3.updated }, ["s3"]],
        [{ updated: `gt:${s3.updated}` }, ["s1"]],
        [{ updated: `gte:${s3.updated}` }, ["s1", "s3"]],
        [{ updated: `lt:${s3.updated}` }, ["s2"]],
        [{ updated: `lte:${s3.updated}` }, ["s2", "s3"]],
        [{ updated: `equals:${s1Updated.updated}` }, ["s1"]],
        [{ updated: `equals:${s1.updated}` }, []],
        [{ updated: spaced(s3.updated) }, ["s3"]],
        [{ updated: `equals:${spaced(s3.updated)}` }, ["s3"]],
        [{ updated: `gt:${spaced(s3.updated)}` }, ["s1"]],
        [{ updated: `gte:${spaced(s3.updated)}` }, ["s1", "s3"]],
        [{ updated: `lt:${spaced(s3.updated)}` }, ["s2"]],
        [{ updated: `lte:${spaced(s3.updated)}` }, ["s2", "s3"]],
      ]),
    );

    test(
      "dates far in the past or future bound everything or nothing, in both formats",
      cases(() => [
        [{ created: "gt:2000-01-01T00:00:00.000Z" }, ["s1", "s2", "s3"]],
        [{ created: "gte:2000-01-01 00:00:00" }, ["s1", "s2", "s3"]],
        [{ created: "lt:2000-01-01T00:00:00.000Z" }, []],
        [{ created: "lte:2000-01-01 00:00:00" }, []],
        [{ created: "2000-01-01 00:00:00" }, []],
        [{ updated: "lt:2999-12-31T23:59:59.999Z" }, ["s1", "s2", "s3"]],
        [{ updated: "gt:2999-12-31 23:59:59" }, []],
      ]),
    );

    test(
      "date filters combine with string filters under and / or",
      cases(() => [
        [{ created: `gte:${s2.created}`, user: "alice" }, ["s2"]],
        [{ created: `gte:${s3.created}`, name: "s1", logicalOperator: "or" }, ["s1", "s3"]],
        [{ created: `lt:${s2.created}`, updated: `lt:${s2.updated}` }, []],
        [{ created: `lt:${s2.created}`, updated: `lt:${s3.updated}`, logicalOperator: "or" }, ["s1", "s2"]],
      ]),
    );

    leakCheck(g);
  });
}
