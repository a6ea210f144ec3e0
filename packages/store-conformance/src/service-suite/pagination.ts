/** Service conformance: pagination. */
import {
  LIMITS,
  type Page,
  type SecretMetadata,
} from "@zs/core";
import type { SuiteContext } from "./suite-context.js";

export function describePagination({ describe, test, expect, beforeAll, serviceGroup, leakCheck }: SuiteContext): void {
  describe("pagination", () => {
    const g = serviceGroup();

    beforeAll(async () => {
      for (let i = 1; i <= 5; i++) await g.create(g.alice, `page-${i}`);
    });

    test("defaults are page 1 of size 20", async () => {
      const page = await g.service.listSecrets(g.alice);
      expect({ index: page.index, maxSize: page.maxSize, totalPages: page.totalPages, total: page.total }).toEqual({
        index: 1,
        maxSize: 20,
        totalPages: 1,
        total: 5,
      });
      expect(page.items).toHaveLength(5);
    });

    test("page and size select a slice; total and totalPages count every match", async () => {
      const pages: Page<SecretMetadata>[] = [];
      for (const page of [1, 2, 3]) pages.push(await g.service.listSecrets(g.alice, { size: 2, page, sortBy: "name" }));
      expect(pages.map((p) => [p.index, p.maxSize, p.totalPages, p.total, p.items.length])).toEqual([
        [1, 2, 3, 5, 2],
        [2, 2, 3, 5, 2],
        [3, 2, 3, 5, 1],
      ]);
      expect(pages.flatMap((p) => p.items.map((s) => s.name))).toEqual(["page-1", "page-2", "page-3", "page-4", "page-5"]);
      const exact = await g.service.listSecrets(g.alice, { size: 5 });
      expect([exact.totalPages, exact.items.length]).toEqual([1, 5]);
      const largest = await g.service.listSecrets(g.alice, { size: LIMITS.maxPageSize });
      expect([largest.maxSize, largest.totalPages]).toEqual([1000, 1]);
    });

    test("an empty result has totalPages 1, total 0 and no items", async () => {
      const page = await g.service.listSecrets(g.alice, { name: "no-such-secret" });
      expect(page).toEqual({ index: 1, maxSize: 20, totalPages: 1, total: 0, items: [] });
    });

    test("a page past the last is PAGE_OUT_OF_RANGE naming the last page", async () => {
      const beyond = await g.fail(g.service.listSecrets(g.alice, { size: 2, page: 4 }), "PAGE_OUT_OF_RANGE");
      expect(beyond.message).toMatch(/last page is 3\b/);
      const farBeyond = await g.fail(g.service.listSecrets(g.alice, { size: 2, page: 400 }), "PAGE_OUT_OF_RANGE");
      expect(farBeyond.message).toMatch(/last page is 3\b/);
      const empty = await g.fail(g.service.listSecrets(g.alice, { name: "no-such-secret", page: 2 }), "PAGE_OUT_OF_RANGE");
      expect(empty.message).toMatch(/last page is 1\b/);
    });

    test("size 0, size 1001, a fractional size and page 0 are INVALID_FILTER", async () => {
      for (const query of [{ size: 0 }, { size: 1001 }, { size: -1 }, { size: 2.5 }, { page: 0 }, { page: -1 }, { page: 1.5 }]) {
        await g.fail(g.service.listSecrets(g.alice, query), "INVALID_FILTER");
      }
    });

    leakCheck(g);
  });
}
