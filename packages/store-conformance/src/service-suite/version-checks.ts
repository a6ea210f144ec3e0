/** Service conformance: version checks. */
import type { SuiteContext } from "./suite-context.js";

export function describeVersionChecks({ describe, test, expect, serviceGroup, leakCheck }: SuiteContext): void {
  describe("version checks", () => {
    const g = serviceGroup();

    test("a stale expectedVersion is VERSION_MISMATCH and nothing changes", async () => {
      const name = g.name("cas");
      await g.create(g.alice, name);
      const current = await g.service.updateSecret(g.alice, name, { values: { k: g.value() } });
      await g.fail(
        g.service.updateSecret(g.alice, name, { values: { k: g.value(), more: g.value() }, expectedVersion: 1 }),
        "VERSION_MISMATCH",
      );
      await g.fail(g.service.updateSecret(g.alice, name, { name: g.name("moved"), expectedVersion: 1 }), "VERSION_MISMATCH");
      await g.fail(g.service.updateSecret(g.alice, name, { scope: "user", expectedVersion: 7 }), "VERSION_MISMATCH");
      const read = await g.service.getSecret(g.alice, name);
      expect(read).toEqual(current);
      expect(read.version).toBe(2);
    });

    test("the current expectedVersion succeeds and bumps the version", async () => {
      const name = g.name("cas");
      await g.create(g.alice, name);
      const next = g.value();
      const updated = await g.service.updateSecret(g.alice, name, { values: { k: next }, expectedVersion: 1 });
      expect(updated.version).toBe(2);
      expect(updated.values).toEqual({ k: next });
      const again = await g.service.updateSecret(g.alice, name, { values: { k: null }, expectedVersion: 2 });
      expect(again.version).toBe(3);
    });

    leakCheck(g);
  });
}
