/** Service conformance: validation. */
import { randomUUID } from "node:crypto";
import {
  inputExcerpt,
  type Lookup,
  type SecretCreate,
  type SecretUpdate,
} from "@zs/core";
import type { SuiteContext } from "./suite-context.js";

export function describeValidation({ describe, test, expect, serviceGroup, leakCheck }: SuiteContext): void {
  describe("validation", () => {
    const g = serviceGroup();
    const badNames = ["a b", "a.b", "", "x".repeat(256), randomUUID(), randomUUID().toUpperCase(), "a{b}", "a/b", "é", "a:b"];
    const badKeys = ["12abc", "abc d", "", "x".repeat(256), "-a", ".a", "a/b", "a{b}", "a:b"];

    test("invalid secret names are VALIDATION_ERROR: a b, a.b, empty, 256 chars, a UUID", async () => {
      for (const name of badNames) {
        const error = await g.fail(g.service.createSecret(g.alice, { name, values: { k: g.value() } }), "VALIDATION_ERROR");
        expect(error.message).toContain("name");
      }
      expect((await g.service.listSecrets(g.alice)).total).toBe(0);
    });

    test("names of 255 characters of A-Z a-z 0-9 _ - are valid", async () => {
      for (const name of ["x".repeat(255), "A-b_9", "0", "_", "-"]) {
        expect((await g.create(g.alice, name)).name).toBe(name);
      }
    });

    test("renaming to an invalid name is VALIDATION_ERROR and changes nothing", async () => {
      const name = g.name("keep-name");
      const created = await g.create(g.alice, name);
      for (const bad of badNames) await g.fail(g.service.updateSecret(g.alice, name, { name: bad }), "VALIDATION_ERROR");
      expect(await g.service.getSecret(g.alice, name)).toEqual(created);
    });

    test("invalid keys are VALIDATION_ERROR on create, update and replace: 12abc, 'abc d', empty", async () => {
      const name = g.name("keys");
      const created = await g.create(g.alice, name);
      for (const key of badKeys) {
        const error = await g.fail(
          g.service.createSecret(g.alice, { name: g.name("bad-key"), values: { [key]: g.value() } }),
          "VALIDATION_ERROR",
        );
        // A key is quoted cut to its first 80 characters, so a huge one cannot make a huge error.
        expect(error.message).toContain(`'${inputExcerpt(key)}'`);
        await g.fail(g.service.updateSecret(g.alice, name, { values: { [key]: g.value() } }), "VALIDATION_ERROR");
        await g.fail(g.service.updateSecret(g.alice, name, { values: { [key]: null } }), "VALIDATION_ERROR");
        await g.fail(g.service.replaceSecretValues(g.alice, name, { [key]: g.value() }), "VALIDATION_ERROR");
      }
      expect(await g.service.getSecret(g.alice, name)).toEqual(created);
      expect((await g.service.listSecrets(g.alice, { name: "startswith:bad-key" })).total).toBe(0);
    });

    test("a value with a lone surrogate is VALIDATION_ERROR naming the key, on create, update and replace, and nothing is written", async () => {
      const name = g.name("unicode");
      const created = await g.create(g.alice, name);
      for (const bad of ["\ud800", `${g.value()}\udc00`, "a\ud83d", "\udfff\ud800"]) {
        const error = await g.fail(g.service.createSecret(g.alice, { name: g.name("bad-text"), values: { text_key: bad } }), "VALIDATION_ERROR");
        expect(error.message).toContain("values.text_key: must be valid Unicode");
        expect(error.message).not.toContain(bad);
        await g.fail(g.service.updateSecret(g.alice, name, { values: { text_key: bad } }), "VALIDATION_ERROR");
        await g.fail(g.service.updateSecret(g.alice, name, { values: { text_key: bad, other: g.value() }, name: g.name("renamed") }), "VALIDATION_ERROR");
        await g.fail(g.service.replaceSecretValues(g.alice, name, { text_key: bad }), "VALIDATION_ERROR");
      }
      expect(await g.service.getSecret(g.alice, name)).toEqual(created);
      expect((await g.service.listSecrets(g.alice, { name: "startswith:bad-text" })).total).toBe(0);
    });

    test("a value with a surrogate pair (an emoji) or any valid Unicode is kept as written", async () => {
      const values = { emoji: "\ud83d\ude00 ok", cjk: "秘密", mixed: "é\u0301\uFFFD" };
      const created = await g.service.createSecret(g.alice, { name: g.name("good-text"), values });
      expect((await g.service.getSecret(g.alice, created.id)).values).toEqual(values);
    });

    test("keys like db.password, api-key and _x are valid", async () => {
      const values = { "db.password": g.value(), "api-key": g.value(), _x: g.value(), A1: "", ["k".repeat(255)]: "" };
      const created = await g.service.createSecret(g.alice, { name: g.name("good-keys"), values });
      expect((await g.service.getSecret(g.alice, created.id)).values).toEqual(values);
    });

    test("a non-string value, or null on create, is VALIDATION_ERROR", async () => {
      for (const values of [{ k: 1 }, { k: null }, { k: { nested: g.value() } }, { k: [g.value()] }, { k: true }, "text", null]) {
        await g.fail(
          g.service.createSecret(g.alice, { name: g.name("bad-value"), values } as unknown as SecretCreate),
          "VALIDATION_ERROR",
        );
      }
      const name = g.name("bad-update");
      await g.create(g.alice, name);
      for (const values of [{ k: 1 }, { k: { nested: g.value() } }, "text"]) {
        await g.fail(g.service.updateSecret(g.alice, name, { values } as unknown as SecretUpdate), "VALIDATION_ERROR");
      }
    });

    test("an invalid scope is VALIDATION_ERROR on create, update and lookup", async () => {
      await g.fail(g.create(g.alice, g.name("scope"), { scope: "team" as "user" }), "VALIDATION_ERROR");
      const name = g.name("scope");
      await g.create(g.alice, name);
      await g.fail(g.service.updateSecret(g.alice, name, { scope: "global" as "user" }), "VALIDATION_ERROR");
      await g.fail(g.service.getSecret(g.alice, name, { scope: "everyone" as "user" }), "VALIDATION_ERROR");
    });

    test("unknown fields are refused: VALIDATION_ERROR naming them on create, update and lookup", async () => {
      const create = await g.fail(
        g.service.createSecret(g.alice, { name: g.name("extra"), values: {}, colour: "red" } as SecretCreate),
        "VALIDATION_ERROR",
      );
      expect(create.message).toContain("colour");
      const name = g.name("extra");
      const created = await g.create(g.alice, name);
      const update = await g.fail(
        g.service.updateSecret(g.alice, name, { values: { k: g.value() }, owner: "bob" } as SecretUpdate),
        "VALIDATION_ERROR",
      );
      expect(update.message).toContain("owner");
      const lookup = await g.fail(g.service.getSecret(g.alice, name, { scope: "workspace", tenant: "x" } as Lookup), "VALIDATION_ERROR");
      expect(lookup.message).toContain("tenant");
      expect(await g.service.getSecret(g.alice, name)).toEqual(created);
    });

    test("a non-positive expectedVersion is VALIDATION_ERROR", async () => {
      const name = g.name("version");
      await g.create(g.alice, name);
      for (const expectedVersion of [0, -1, 1.5]) {
        await g.fail(g.service.updateSecret(g.alice, name, { values: { k: g.value() }, expectedVersion }), "VALIDATION_ERROR");
      }
    });

    leakCheck(g);
  });
}
