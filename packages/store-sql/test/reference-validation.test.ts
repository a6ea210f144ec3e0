import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import type { Caller } from "@zs/core";
import { openComponentsFixture, rejection, type ComponentsFixture } from "./support/components-fixture.js";
import { testDatabases } from "./support/test-databases.js";

describe.each(testDatabases)("stack validation on %s", (_label, createDatabase) => {
  let f: ComponentsFixture;
  let caller: Caller;
  beforeAll(async () => {
    f = await openComponentsFixture(createDatabase);
  });
  afterAll(() => f.close());

  beforeEach(async () => {
    ({ alice: caller } = await f.inFreshWorkspace());
    f.values.reads = 0;
  });

  /** A stack `st` of one component `c` whose attribute `password` is `{{s.k}}`. */
  async function stackWanting(configuration: Record<string, string> = { password: "{{s.k}}" }): Promise<void> {
    await f.components.registerComponent(caller, { name: "c", type: "t", flavor: "f", configuration });
    await f.components.registerStack(caller, { name: "st", components: ["c"] });
  }

  it("no secret s: invalid at the default level, listing s.k and the component attribute that wants it", async () => {
    await stackWanting();
    expect(await f.components.validateStack(caller, "st", "SECRET_AND_KEY_EXISTS")).toEqual({
      level: "SECRET_AND_KEY_EXISTS",
      valid: false,
      missing: [{ component: "c", attribute: "password", secret: "s", key: "k", problem: "secret_missing" }],
    });
    expect((await f.components.validateStack(caller, "st", "SECRET_EXISTS")).missing).toEqual([
      { component: "c", attribute: "password", secret: "s", key: "k", problem: "secret_missing" },
    ]);
  });

  it("s without key k: invalid at SECRET_AND_KEY_EXISTS, valid at SECRET_EXISTS", async () => {
    await stackWanting();
    await f.secrets.createSecret(caller, { name: "s", values: { other: "v" } });
    expect(await f.components.validateStack(caller, "st", "SECRET_AND_KEY_EXISTS")).toEqual({
      level: "SECRET_AND_KEY_EXISTS",
      valid: false,
      missing: [{ component: "c", attribute: "password", secret: "s", key: "k", problem: "key_missing" }],
    });
    expect(await f.components.validateStack(caller, "st", "SECRET_EXISTS")).toEqual({ level: "SECRET_EXISTS", valid: true, missing: [] });
  });

  it("s with key k: valid at every level", async () => {
    await stackWanting();
    await f.secrets.createSecret(caller, { name: "s", values: { k: "v" } });
    for (const level of ["NONE", "SECRET_EXISTS", "SECRET_AND_KEY_EXISTS"]) {
      expect(await f.components.validateStack(caller, "st", level)).toEqual({ level, valid: true, missing: [] });
    }
  });

  it("everything is valid at NONE, even with nothing there", async () => {
    await stackWanting({ a: "{{s.k}}", b: "{{t.u}}" });
    expect(await f.components.validateStack(caller, "st", "NONE")).toEqual({ level: "NONE", valid: true, missing: [] });
  });

  it("an invalid level is a VALIDATION_ERROR naming the three allowed", async () => {
    await stackWanting();
    for (const level of ["STRICT", "none", ""]) {
      const error = await rejection(f.components.validateStack(caller, "st", level));
      expect(error.code).toBe("VALIDATION_ERROR");
      expect(error.message).toBe(`Invalid validation level: '${level}' is not a validation level; use one of NONE, SECRET_EXISTS, SECRET_AND_KEY_EXISTS.`);
    }
  });

  it("several missing references are all listed at once, in every component and attribute, embedded ones included", async () => {
    await f.secrets.createSecret(caller, { name: "db", values: { user: "app" } });
    await f.components.registerComponent(caller, {
      name: "tracker",
      type: "experiment-tracker",
      flavor: "mlflow",
      configuration: { url: "postgres://{{db.user}}:{{db.password}}@h/{{db.name}}", token: "{{mlflow.token}}", plain: "x" },
    });
    await f.components.registerComponent(caller, { name: "store", type: "artifact-store", flavor: "s3", configuration: { key: "{{aws.key}}", again: "{{mlflow.token}}" } });
    await f.components.registerStack(caller, { name: "st", components: ["tracker", "store"] });
    const validation = await f.components.validateStack(caller, "st", "SECRET_AND_KEY_EXISTS");
    expect(validation.valid).toBe(false);
    expect(validation.missing).toEqual([
      { component: "tracker", attribute: "url", secret: "db", key: "password", problem: "key_missing" },
      { component: "tracker", attribute: "url", secret: "db", key: "name", problem: "key_missing" },
      { component: "tracker", attribute: "token", secret: "mlflow", key: "token", problem: "secret_missing" },
      { component: "store", attribute: "key", secret: "aws", key: "key", problem: "secret_missing" },
      { component: "store", attribute: "again", secret: "mlflow", key: "token", problem: "secret_missing" },
    ]);
  });

  it("validation reads no secret value at any level: the values store's read count stays 0", async () => {
    await f.secrets.createSecret(caller, { name: "s", values: { k: "v" } });
    await f.secrets.createSecret(caller, { name: "t", values: { other: "v" } });
    await stackWanting({ a: "{{s.k}}", b: "{{t.u}}", c: "{{missing.x}}" });
    f.values.reads = 0;
    for (const level of ["NONE", "SECRET_EXISTS", "SECRET_AND_KEY_EXISTS"]) await f.components.validateStack(caller, "st", level);
    await f.components.validateComponent(caller, "c", "SECRET_AND_KEY_EXISTS");
    expect(f.values.reads).toBe(0);
  });

  it("the caller's own user-scoped secret counts; another user's does not exist for them", async () => {
    await stackWanting();
    await f.secrets.createSecret({ ...f.bob, workspace: caller.workspace }, { name: "s", values: { k: "bobs" }, scope: "user" });
    expect((await f.components.validateStack(caller, "st", "SECRET_EXISTS")).missing).toEqual([
      { component: "c", attribute: "password", secret: "s", key: "k", problem: "secret_missing" },
    ]);
    await f.secrets.createSecret(caller, { name: "s", values: { k: "alices" }, scope: "user" });
    expect((await f.components.validateStack(caller, "st", "SECRET_AND_KEY_EXISTS")).valid).toBe(true);
    expect((await f.components.validateStack({ ...f.bob, workspace: caller.workspace }, "st", "SECRET_AND_KEY_EXISTS")).valid).toBe(true);
  });

  it("a reference means a secret by exact name only, never by id prefix", async () => {
    const secret = await f.secrets.createSecret(caller, { name: "by_name", values: { k: "v" } });
    const prefix = secret.id.slice(0, 8);
    await stackWanting({ a: `{{${prefix}.k}}`, b: `{{${secret.id}.k}}` });
    expect((await f.components.validateStack(caller, "st", "SECRET_EXISTS")).missing.map((m) => m.secret)).toEqual([prefix, secret.id]);
  });

  it("an unknown stack is NOT_FOUND", async () => {
    expect((await rejection(f.components.validateStack(caller, "nope", "NONE"))).code).toBe("NOT_FOUND");
  });
});
