/** Service conformance: secret values never appear in errors. */
import {
  LIMITS,
  type ErrorCode,
  type SecretCreate,
  type SecretUpdate,
  type SecretValues,
} from "@zs/core";
import { token } from "./fixtures.js";
import type { SuiteContext } from "./suite-context.js";

export function describeSecretValuesNeverAppearInErrors({ describe, test, expect, serviceGroup, leakCheck }: SuiteContext): void {
  describe("secret values never appear in errors", () => {
    const g = serviceGroup();
    const canary = `CANARY-${token()}-${token()}`;

    test("failing creates, updates, replaces and lookups on a secret holding a canary never quote it", async () => {
      const name = g.name("leaky");
      await g.service.createSecret(g.alice, { name, values: { password: canary, nested: `pre-${canary}-post` } });
      const other = await g.create(g.alice, g.name("other"));
      const big = canary.repeat(Math.ceil(LIMITS.maxSecretBytes / canary.length) + 1);
      const manyKeys = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, canary]));
      const attempts: Array<[() => Promise<unknown>, ErrorCode]> = [
        [() => g.service.createSecret(g.alice, { name, values: { password: canary } }), "SECRET_EXISTS"],
        [() => g.service.createSecret(g.alice, { name: g.name("x"), values: { "bad key": canary } }), "VALIDATION_ERROR"],
        [() => g.service.createSecret(g.alice, { name: "bad name", values: { password: canary } }), "VALIDATION_ERROR"],
        [() => g.service.createSecret(g.alice, { name: g.name("x"), values: { k: { v: canary } } } as unknown as SecretCreate), "VALIDATION_ERROR"],
        [() => g.service.createSecret(g.alice, { name: g.name("x"), values: canary } as unknown as SecretCreate), "VALIDATION_ERROR"],
        [() => g.service.createSecret(g.alice, { name: g.name("x"), values: {}, note: canary } as SecretCreate), "VALIDATION_ERROR"],
        [() => g.service.createSecret(g.alice, { name: g.name("x"), values: { blob: big } }), "SECRET_TOO_LARGE"],
        [() => g.service.createSecret(g.alice, { name: g.name("x"), values: manyKeys }), "SECRET_TOO_LARGE"],
        [() => g.service.createSecret(g.alice, { name: g.name("x"), values: { password: canary }, workspace: "nowhere" }), "WORKSPACE_NOT_FOUND"],
        [() => g.service.updateSecret(g.alice, name, { values: { password: `${canary}2` }, expectedVersion: 9 }), "VERSION_MISMATCH"],
        [() => g.service.updateSecret(g.alice, name, { values: { "bad key": canary } }), "VALIDATION_ERROR"],
        [() => g.service.updateSecret(g.alice, name, { values: { password: [canary] } } as unknown as SecretUpdate), "VALIDATION_ERROR"],
        [() => g.service.updateSecret(g.alice, name, { values: { blob: big } }), "SECRET_TOO_LARGE"],
        [() => g.service.updateSecret(g.alice, name, { values: manyKeys }), "SECRET_TOO_LARGE"],
        [() => g.service.updateSecret(g.alice, name, { name: other.name, values: { password: canary } }), "SECRET_EXISTS"],
        [() => g.service.updateSecret(g.alice, name, { values: {}, secret: canary } as SecretUpdate), "VALIDATION_ERROR"],
        [() => g.service.updateSecret(g.alice, g.name("missing"), { values: { password: canary } }), "SECRET_NOT_FOUND"],
        [() => g.service.replaceSecretValues(g.alice, name, { blob: big }), "SECRET_TOO_LARGE"],
        [() => g.service.replaceSecretValues(g.alice, name, { password: canary, k: 5 } as unknown as SecretValues), "VALIDATION_ERROR"],
        [() => g.service.replaceSecretValues(g.alice, name, { password: canary, "1k": canary }), "VALIDATION_ERROR"],
      ];
      for (const [attempt, code] of attempts) await g.fail(attempt(), code);
      expect(g.errors.length).toBeGreaterThan(attempts.length - 1);
      expect(g.leaks([canary])).toEqual([]);
      // The canary really was stored and survived every failed change.
      const read = await g.service.getSecret(g.alice, name);
      expect(read.values.password).toBe(canary);
      expect(read.version).toBe(1);
    });

    test("failing operations on a user-scoped canary secret by another user never quote it", async () => {
      const name = g.name("leaky-private");
      const created = await g.service.createSecret(g.alice, { name, values: { password: canary }, scope: "user" });
      const before = g.errors.length;
      await g.fail(g.service.getSecret(g.bob, created.id), "SECRET_NOT_FOUND");
      await g.fail(g.service.updateSecret(g.bob, created.id, { values: { password: canary } }), "SECRET_NOT_FOUND");
      await g.fail(g.service.replaceSecretValues(g.root, name, { password: canary }), "SECRET_NOT_FOUND");
      await g.fail(g.service.deleteSecret(g.root, created.id.slice(0, 8)), "SECRET_NOT_FOUND");
      expect(g.errors.length - before).toBe(4);
      expect(g.leaks([canary])).toEqual([]);
    });

    leakCheck(g);
  });
}
