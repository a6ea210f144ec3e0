import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import type { Caller } from "@zs/core";
import { openComponentsFixture, rejection, type ComponentsFixture } from "./support/components-fixture.js";
import { testDatabases } from "./support/test-databases.js";

describe.each(testDatabases)("reference resolution on %s", (_label, createDatabase) => {
  let f: ComponentsFixture;
  let alice: Caller;
  let bob: Caller;
  beforeAll(async () => {
    f = await openComponentsFixture(createDatabase);
  });
  afterAll(() => f.close());

  beforeEach(async () => {
    ({ alice, bob } = await f.inFreshWorkspace());
  });

  /** Runs `work` and returns how many secret values it read. */
  async function readsOf(work: () => Promise<unknown>): Promise<number> {
    const before = f.values.reads;
    await work();
    return f.values.reads - before;
  }

  describe("resolve(text)", () => {
    it("resolves embedded references, renders \\{{ as {{ and leaves non-references alone", async () => {
      await f.secrets.createSecret(alice, { name: "db", values: { user: "app", password: "p@ss:word", "a.b": "dotted" } });
      const text = "postgres://{{db.user}}:{{ db.password }}@host/app?x={{db.a.b}} \\{{db.user}} ${{db.user}} {x}";
      expect(await f.components.resolve(alice, text)).toBe("postgres://app:p@ss:word@host/app?x=dotted {{db.user}} ${{db.user}} {x}");
    });

    it("each referenced secret is read once, however many of its keys are referenced", async () => {
      await f.secrets.createSecret(alice, { name: "a", values: { x: "1", y: "2", z: "3" } });
      await f.secrets.createSecret(alice, { name: "b", values: { x: "4" } });
      let resolved = "";
      const reads = await readsOf(async () => {
        resolved = await f.components.resolve(alice, "{{a.x}}{{a.y}}{{a.z}}{{b.x}}{{a.x}}{{b.x}}");
      });
      expect(resolved).toBe("123414");
      expect(reads).toBe(2);
    });

    it("a malformed reference is INVALID_REFERENCE and reads nothing", async () => {
      let error: unknown;
      const reads = await readsOf(async () => {
        error = await rejection(f.components.resolve(alice, "url={{db . password}}"));
      });
      expect(error).toMatchObject({ code: "INVALID_REFERENCE", message: expect.stringContaining("'{{db . password}}'") });
      expect(reads).toBe(0);
    });

    it("a missing secret is SECRET_NOT_FOUND naming it and the workspace", async () => {
      const error = await rejection(f.components.resolve(alice, "{{ghost.k}}"));
      expect(error.code).toBe("SECRET_NOT_FOUND");
      expect(error.message).toBe(`No secret named 'ghost' in workspace '${alice.workspace}' (wanted by the text).`);
    });

    it("text without references resolves to itself without a lookup", async () => {
      expect(await readsOf(() => f.components.resolve(alice, "plain {text}"))).toBe(0);
    });
  });

  describe("resolveTexts(texts)", () => {
    it("resolves every text in order, reading each secret once across all of them", async () => {
      await f.secrets.createSecret(alice, { name: "a", values: { x: "1", y: "2" } });
      let resolved: string[] = [];
      const reads = await readsOf(async () => {
        resolved = await f.components.resolveTexts(alice, ["{{a.x}}", "plain", "{{a.y}}-{{a.x}}"]);
      });
      expect(resolved).toEqual(["1", "plain", "2-1"]);
      expect(reads).toBe(1);
    });

    it("a failure names the text by its position", async () => {
      await f.secrets.createSecret(alice, { name: "a", values: { x: "1" } });
      const error = await rejection(f.components.resolveTexts(alice, ["{{a.x}}", "{{ghost.k}}"]));
      expect(error.message).toBe(`No secret named 'ghost' in workspace '${alice.workspace}' (wanted by text 2).`);
      expect(await rejection(f.components.resolveTexts(alice, ["ok", "{{a . x}}"]))).toMatchObject({ code: "INVALID_REFERENCE", message: expect.stringMatching(/^Text 2 holds/) });
    });
  });

  describe("components and stacks", () => {
    beforeEach(async () => {
      await f.secrets.createSecret(alice, { name: "mlflow", values: { user: "ml", password: "ml-pw" } });
      await f.secrets.createSecret(alice, { name: "aws", values: { key: "AKIA", secret: "aws-pw" } });
      await f.components.registerComponent(alice, {
        name: "tracker",
        type: "experiment-tracker",
        flavor: "mlflow",
        configuration: { tracking_uri: "https://{{mlflow.user}}:{{mlflow.password}}@ml", tracking_user: "{{mlflow.user}}" },
      });
      await f.components.registerComponent(alice, { name: "store", type: "artifact-store", flavor: "s3", configuration: { key: "{{aws.key}}", secret: "{{aws.secret}}", again: "{{mlflow.password}}", path: "s3://bucket" } });
      await f.components.registerStack(alice, { name: "st", components: ["tracker", "store"] });
    });

    it("resolveComponent resolves every attribute; the stored component keeps its references", async () => {
      const resolved = await f.components.resolveComponent(alice, "tracker");
      expect(resolved.configuration).toEqual({ tracking_uri: "https://ml:ml-pw@ml", tracking_user: "ml" });
      expect((await f.components.getComponent(alice, "tracker")).configuration.tracking_user).toBe("{{mlflow.user}}");
    });

    it("resolveStack resolves its components in order, reading each secret once across all of them", async () => {
      let resolved: { name: string; configuration: Record<string, string> }[] = [];
      const reads = await readsOf(async () => {
        resolved = await f.components.resolveStack(alice, "st");
      });
      expect(resolved.map(({ name, configuration }) => ({ name, configuration }))).toEqual([
        { name: "tracker", configuration: { tracking_uri: "https://ml:ml-pw@ml", tracking_user: "ml" } },
        { name: "store", configuration: { key: "AKIA", secret: "aws-pw", again: "ml-pw", path: "s3://bucket" } },
      ]);
      expect(reads).toBe(2);
    });

    it("a key missing after validation at SECRET_EXISTS fails naming the secret, the key and the keys it has", async () => {
      await f.components.updateComponent(alice, "store", { configuration: { region: "{{aws.region}}" } });
      expect((await f.components.validateStack(alice, "st", "SECRET_EXISTS")).valid).toBe(true);
      const error = await rejection(f.components.resolveStack(alice, "st"));
      expect(error.code).toBe("SECRET_KEY_NOT_FOUND");
      expect(error.message).toBe("Secret 'aws' has no key 'region' ({{aws.region}}, wanted by component 'store' attribute 'region'); its keys are: key, secret.");
      expect(error.details).toEqual({ secret: "aws", key: "region", availableKeys: ["key", "secret"] });
      expect(error.message).not.toContain("AKIA");
      expect(error.message).not.toContain("aws-pw");
    });

    it("with several problems, resolution names the first in the stack's order, every time", async () => {
      await f.components.updateComponent(alice, "tracker", { configuration: { late: "{{mlflow.nokey}}" } });
      await f.components.updateComponent(alice, "store", { configuration: { early: "{{ghost.k}}" } });
      for (let run = 0; run < 3; run++) {
        expect(await rejection(f.components.resolveStack(alice, "st"))).toMatchObject({ code: "SECRET_KEY_NOT_FOUND", details: { secret: "mlflow", key: "nokey" } });
      }
    });
  });

  describe("scopes", () => {
    beforeEach(async () => {
      await f.components.registerComponent(alice, { name: "c", type: "t", flavor: "f", configuration: { password: "{{s.k}}" } });
    });

    it("the caller's user-scoped secret is preferred over the workspace one of the same name", async () => {
      await f.secrets.createSecret(alice, { name: "s", values: { k: "workspace-value" } });
      await f.secrets.createSecret(alice, { name: "s", values: { k: "alice-value" }, scope: "user" });
      expect((await f.components.resolveComponent(alice, "c")).configuration.password).toBe("alice-value");
      expect((await f.components.resolveComponent(bob, "c")).configuration.password).toBe("workspace-value");
      expect(await f.components.resolve(alice, "{{s.k}}")).toBe("alice-value");
    });

    it("another user's user-scoped secret is never used: for the caller it does not exist", async () => {
      await f.secrets.createSecret(bob, { name: "s", values: { k: "bob-value" }, scope: "user" });
      const error = await rejection(f.components.resolveComponent(alice, "c"));
      expect(error.code).toBe("SECRET_NOT_FOUND");
      expect(error.message).not.toContain("bob-value");
      await f.secrets.createSecret(alice, { name: "s", values: { k: "workspace-value" } });
      expect((await f.components.resolveComponent(alice, "c")).configuration.password).toBe("workspace-value");
      expect((await f.components.resolveComponent(bob, "c")).configuration.password).toBe("bob-value");
    });

    it("a reference never means a secret by id prefix, and reads nothing for it", async () => {
      const secret = await f.secrets.createSecret(alice, { name: "real", values: { k: "v" } });
      const prefix = secret.id.slice(0, 8);
      let error: unknown;
      const reads = await readsOf(async () => {
        error = await rejection(f.components.resolve(alice, `{{${prefix}.k}}`));
      });
      expect(error).toMatchObject({ code: "SECRET_NOT_FOUND" });
      expect(reads).toBe(0);
    });
  });

  describe("runEnvironment", () => {
    beforeEach(async () => {
      await f.secrets.createSecret(alice, { name: "mlflow", values: { password: "ml-pw", "api-key": "ml-key" } });
      await f.secrets.createSecret(alice, { name: "extra", values: { "db.password": "db-pw", token: "tk" } });
      await f.components.registerComponent(alice, { name: "my-tracker", type: "t", flavor: "f", configuration: { "tracking.password": "{{mlflow.password}}", uri: "https://ml" } });
      await f.components.registerComponent(alice, { name: "other", type: "t", flavor: "f", configuration: { key: "{{mlflow.api-key}}" } });
      await f.components.registerStack(alice, { name: "st", components: ["my-tracker"] });
    });

    it("adds <COMPONENT>_<ATTRIBUTE>, each key of each --secret and each --env, all resolved, each secret read once", async () => {
      let environment: Record<string, string> = {};
      const reads = await readsOf(async () => {
        environment = await f.components.runEnvironment(
          alice,
          { stack: "st", components: ["other", "my-tracker"], secrets: ["extra"], env: { DATABASE_URL: "postgres://u:{{extra.db.password}}@h", PW: "{{mlflow.password}}" } },
          "SECRET_AND_KEY_EXISTS",
        );
      });
      expect(environment).toEqual({
        MY_TRACKER_TRACKING_PASSWORD: "ml-pw",
        MY_TRACKER_URI: "https://ml",
        OTHER_KEY: "ml-key",
        DB_PASSWORD: "db-pw",
        TOKEN: "tk",
        DATABASE_URL: "postgres://u:db-pw@h",
        PW: "ml-pw",
      });
      expect(reads).toBe(2);
    });

    it("a failed validation lists every missing reference, suggests register-secrets and reads nothing", async () => {
      await f.components.updateComponent(alice, "my-tracker", { configuration: { user: "{{mlflow.user}}", other: "{{nothere.k}}" } });
      let error: unknown;
      const reads = await readsOf(async () => {
        error = await rejection(f.components.runEnvironment(alice, { stack: "st", env: { X: "{{gone.k}}" } }, "SECRET_AND_KEY_EXISTS"));
      });
      expect(reads).toBe(0);
      expect(error).toMatchObject({
        code: "SECRET_NOT_FOUND",
        message:
          "Missing references (validation level SECRET_AND_KEY_EXISTS); register them with: zs stack register-secrets st:\n" +
          "  - mlflow.user (wanted by component 'my-tracker' attribute 'user'): secret 'mlflow' has no key 'user'\n" +
          "  - nothere.k (wanted by component 'my-tracker' attribute 'other'): no secret 'nothere'\n" +
          "  - gone.k (wanted by --env X): no secret 'gone'",
        details: {
          missing: [
            { component: "my-tracker", attribute: "user", secret: "mlflow", key: "user", problem: "key_missing" },
            { component: "my-tracker", attribute: "other", secret: "nothere", key: "k", problem: "secret_missing" },
            { component: null, attribute: "X", secret: "gone", key: "k", problem: "secret_missing" },
          ],
        },
      });
    });

    it("only missing keys make SECRET_KEY_NOT_FOUND; at SECRET_EXISTS the resolution itself names the key", async () => {
      await f.components.updateComponent(alice, "my-tracker", { configuration: { user: "{{mlflow.user}}" } });
      expect(await rejection(f.components.runEnvironment(alice, { stack: "st" }, "SECRET_AND_KEY_EXISTS"))).toMatchObject({ code: "SECRET_KEY_NOT_FOUND" });
      const error = await rejection(f.components.runEnvironment(alice, { stack: "st" }, "SECRET_EXISTS"));
      expect(error.code).toBe("SECRET_KEY_NOT_FOUND");
      expect(error.message).toContain("its keys are: api-key, password");
    });

    it("--env overrides a derived variable; two derived variables of one name are a VALIDATION_ERROR", async () => {
      const overridden = await f.components.runEnvironment(alice, { components: ["other"], env: { OTHER_KEY: "mine" } }, "NONE");
      expect(overridden).toEqual({ OTHER_KEY: "mine" });
      await f.components.registerComponent(alice, { name: "other-key", type: "t", flavor: "f", configuration: {} });
      await f.secrets.createSecret(alice, { name: "clash", values: { other_key: "x" } });
      const error = await rejection(f.components.runEnvironment(alice, { components: ["other"], secrets: ["clash"] }, "NONE"));
      expect(error.code).toBe("VALIDATION_ERROR");
      expect(error.message).toBe("component 'other' attribute 'key' and secret 'clash' key 'other_key' would both set OTHER_KEY; leave one out, or set OTHER_KEY with --env.");
      expect(error.message).not.toContain("ml-key");
    });

    it("refuses a bad level, an unknown component, a malformed --env template and a bad variable name", async () => {
      expect((await rejection(f.components.runEnvironment(alice, {}, "ALL"))).code).toBe("VALIDATION_ERROR");
      expect((await rejection(f.components.runEnvironment(alice, { components: ["nope"] }, "NONE"))).code).toBe("NOT_FOUND");
      const malformed = await rejection(f.components.runEnvironment(alice, { env: { URL: "{{nodot}}" } }, "NONE"));
      expect(malformed).toMatchObject({ code: "INVALID_REFERENCE", message: expect.stringContaining("--env URL holds a malformed reference") });
      expect((await rejection(f.components.runEnvironment(alice, { env: { "1X": "v" } }, "NONE"))).code).toBe("VALIDATION_ERROR");
    });

    it("a missing --secret is SECRET_NOT_FOUND naming it", async () => {
      const error = await rejection(f.components.runEnvironment(alice, { secrets: ["absent"] }, "NONE"));
      expect(error.code).toBe("SECRET_NOT_FOUND");
      expect(error.message).toContain("wanted by --secret absent");
    });
  });
});
