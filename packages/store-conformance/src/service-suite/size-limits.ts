/** Service conformance: size limits. */
import {
  LIMITS,
} from "@zs/core";
import { valuesOfBytes, valuesWithKeys } from "./fixtures.js";
import type { SuiteContext } from "./suite-context.js";

export function describeSizeLimits({ describe, test, expect, serviceGroup, leakCheck }: SuiteContext): void {
  describe("size limits", () => {
    const g = serviceGroup();

    test("1,000 keys are accepted", async () => {
      const name = g.name("many-keys");
      const created = await g.service.createSecret(g.alice, { name, values: valuesWithKeys(1000) });
      expect(created.keys).toHaveLength(1000);
      expect(Object.keys((await g.service.getSecret(g.alice, name)).values)).toHaveLength(1000);
    });

    test("1,001 keys are SECRET_TOO_LARGE and nothing is written", async () => {
      const name = g.name("too-many-keys");
      await g.fail(g.service.createSecret(g.alice, { name, values: valuesWithKeys(1001) }), "SECRET_TOO_LARGE");
      await g.fail(g.service.getSecret(g.alice, name), "SECRET_NOT_FOUND");
      expect((await g.service.listSecrets(g.alice, { name })).total).toBe(0);
    });

    test("keys plus values of exactly 65,536 UTF-8 bytes are accepted", async () => {
      const name = g.name("at-limit");
      const values = valuesOfBytes(LIMITS.maxSecretBytes);
      await g.service.createSecret(g.alice, { name, values });
      expect((await g.service.getSecret(g.alice, name)).values).toEqual(values);
      const multibyte = { k: `${"é".repeat(32767)}x` };
      const created = await g.service.createSecret(g.alice, { name: g.name("at-limit-utf8"), values: multibyte });
      expect((await g.service.getSecret(g.alice, created.id)).values).toEqual(multibyte);
    });

    test("one byte more is SECRET_TOO_LARGE and nothing is written; bytes count, not characters", async () => {
      for (const values of [
        valuesOfBytes(LIMITS.maxSecretBytes + 1),
        { k: `${"é".repeat(32767)}xx` },
        { k: "é".repeat(33000) },
        { a: "x".repeat(40000), b: "x".repeat(25535) },
      ]) {
        const name = g.name("over-limit");
        await g.fail(g.service.createSecret(g.alice, { name, values }), "SECRET_TOO_LARGE");
        await g.fail(g.service.getSecret(g.alice, name), "SECRET_NOT_FOUND");
        expect((await g.service.listSecrets(g.alice, { name })).total).toBe(0);
      }
    });

    test("an update whose merge crosses the byte limit is SECRET_TOO_LARGE and the old values stay", async () => {
      const name = g.name("grows");
      const created = await g.service.createSecret(g.alice, { name, values: valuesOfBytes(65000) });
      await g.fail(g.service.updateSecret(g.alice, name, { values: { extra: "x".repeat(532) } }), "SECRET_TOO_LARGE");
      expect(await g.service.getSecret(g.alice, name)).toEqual(created);
      const fits = await g.service.updateSecret(g.alice, name, { values: { extra: "x".repeat(531) } });
      expect(fits.version).toBe(2);
    });

    test("an update whose merge crosses 1,000 keys is SECRET_TOO_LARGE; removing one key while adding one fits", async () => {
      const name = g.name("more-keys");
      const created = await g.service.createSecret(g.alice, { name, values: valuesWithKeys(1000) });
      await g.fail(g.service.updateSecret(g.alice, name, { values: { k1000: "v" } }), "SECRET_TOO_LARGE");
      expect(await g.service.getSecret(g.alice, name)).toEqual(created);
      const swapped = await g.service.updateSecret(g.alice, name, { values: { k1000: "v", k0: null } });
      expect(swapped.keys).toHaveLength(1000);
      expect(swapped.keys).toContain("k1000");
      expect(swapped.keys).not.toContain("k0");
    });

    test("replaceSecretValues over a limit is SECRET_TOO_LARGE and the old values stay", async () => {
      const name = g.name("replaced");
      const created = await g.create(g.alice, name);
      await g.fail(g.service.replaceSecretValues(g.alice, name, valuesOfBytes(LIMITS.maxSecretBytes + 1)), "SECRET_TOO_LARGE");
      await g.fail(g.service.replaceSecretValues(g.alice, name, valuesWithKeys(1001)), "SECRET_TOO_LARGE");
      expect(await g.service.getSecret(g.alice, name)).toEqual(created);
      const atLimit = valuesOfBytes(LIMITS.maxSecretBytes);
      expect((await g.service.replaceSecretValues(g.alice, name, atLimit)).values).toEqual(atLimit);
    });

    leakCheck(g);
  });
}
