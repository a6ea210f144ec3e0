/** Service conformance: concurrency. */
import {
  isZsError,
  type Secret,
} from "@zs/core";
import type { SuiteContext } from "./suite-context.js";

export function describeConcurrency({ describe, test, expect, serviceGroup, leakCheck }: SuiteContext): void {
  describe("concurrency", () => {
    const g = serviceGroup();

    test("50 concurrent updates each adding a distinct key all land: 50 keys, version 51", async () => {
      const name = g.name("contended");
      await g.service.createSecret(g.alice, { name, values: {} });
      const added = Array.from({ length: 50 }, (_, i) => [`key${String(i).padStart(2, "0")}`, g.value()] as const);
      await Promise.all(added.map(([key, value]) => g.service.updateSecret(g.alice, name, { values: { [key]: value } })));
      const read = await g.service.getSecret(g.alice, name);
      expect(read.values).toEqual(Object.fromEntries(added));
      expect(read.keys).toHaveLength(50);
      expect(read.version).toBe(51);
    });

    test("20 concurrent creates of one name: exactly one succeeds, 19 are SECRET_EXISTS, one secret is listed", async () => {
      const name = g.name("raced");
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, () => g.service.createSecret(g.alice, { name, values: { k: g.value() } })),
      );
      const winners = outcomes.filter((o) => o.status === "fulfilled");
      const codes = outcomes.flatMap((o) => (o.status === "rejected" ? [isZsError(o.reason) ? o.reason.code : String(o.reason)] : []));
      expect(winners).toHaveLength(1);
      expect(codes).toEqual(Array(19).fill("SECRET_EXISTS"));
      const listed = await g.service.listSecrets(g.alice, { name });
      expect(listed.total).toBe(1);
      const winner = (winners[0] as PromiseFulfilledResult<Secret>).value;
      expect(await g.service.getSecret(g.alice, name)).toEqual(winner);
    });

    test("concurrent updates with the same expectedVersion: exactly one wins, the rest are VERSION_MISMATCH", async () => {
      const name = g.name("cas-race");
      await g.create(g.alice, name);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => g.service.updateSecret(g.alice, name, { values: { [`w${i}`]: g.value() }, expectedVersion: 1 })),
      );
      const codes = outcomes.map((o) => (o.status === "fulfilled" ? "ok" : isZsError(o.reason) ? o.reason.code : String(o.reason)));
      expect(codes.filter((c) => c === "ok")).toHaveLength(1);
      expect(codes.filter((c) => c !== "ok")).toEqual(Array(9).fill("VERSION_MISMATCH"));
      const read = await g.service.getSecret(g.alice, name);
      expect(read.version).toBe(2);
      expect(read.keys).toHaveLength(2);
    });

    leakCheck(g);
  });
}
