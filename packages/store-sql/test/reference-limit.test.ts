import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { ComponentsService, type Caller, type ReferenceSecrets } from "@zs/core";
import { KnexComponentRepository } from "../src/index.js";
import { openComponentsFixture, rejection, unique, type ComponentsFixture } from "./support/components-fixture.js";
import { testDatabases } from "./support/test-databases.js";

// operations.md "Limits": at most 1,000 references per resolution, LIMIT_EXCEEDED, checked
// before any lookup, on every path (texts, a component, a stack, a run, a validation).

describe.each(testDatabases)("the 1,000-reference limit of a resolution on %s", (_label, createDatabase) => {
  let f: ComponentsFixture;
  let alice: Caller;
  /** Calls the resolution made of the real secrets service; counted, passed through unchanged. */
  const lookups = { metadata: 0, values: 0 };
  let components: ComponentsService;
  let queries = 0;

  beforeAll(async () => {
    f = await openComponentsFixture(createDatabase);
    const counted: ReferenceSecrets = {
      findSecret: (...args) => {
        lookups.metadata += 1;
        return f.secrets.findSecret(...args);
      },
      getSecret: (...args) => {
        lookups.values += 1;
        return f.secrets.getSecret(...args);
      },
    };
    components = new ComponentsService(new KnexComponentRepository(f.database), counted);
    f.database.knex.on("query", () => {
      queries += 1;
    });
  });
  afterAll(() => f.close());

  beforeEach(async () => {
    ({ alice } = await f.inFreshWorkspace());
    await f.secrets.createSecret(alice, { name: "db", values: { user: "app" } });
  });

  /** What `work` cost: calls to the secrets service, values read from the store, and database queries. */
  async function costOf(work: () => Promise<unknown>): Promise<{ metadata: number; values: number; valueReads: number; queries: number }> {
    const before = { ...lookups, valueReads: f.values.reads, queries };
    await work();
    return {
      metadata: lookups.metadata - before.metadata,
      values: lookups.values - before.values,
      valueReads: f.values.reads - before.valueReads,
      queries: queries - before.queries,
    };
  }
  const nothing = { metadata: 0, values: 0, valueReads: 0, queries: 0 };
  const times = (text: string, n: number) => Array.from({ length: n }, () => text).join(" ");

  it("1,000 references resolve (the secret read once); 1,001 are LIMIT_EXCEEDED with nothing looked up", async () => {
    let resolved = "";
    const allowed = await costOf(async () => {
      resolved = await components.resolve(alice, times("{{db.user}}", 1000));
    });
    expect(resolved).toBe(times("app", 1000));
    expect(allowed).toMatchObject({ metadata: 1, values: 1, valueReads: 1 });
    let error: unknown;
    const cost = await costOf(async () => {
      error = await rejection(components.resolve(alice, times("{{db.user}}", 1001)));
    });
    expect(error).toMatchObject({
      code: "LIMIT_EXCEEDED",
      message: "The text holds 1,001 references; one resolution may hold at most 1,000: split it into smaller ones.",
      details: { limit: 1000, count: 1001 },
    });
    expect(cost).toEqual(nothing);
  });

  it("references are counted over all the texts of a request, and more than 1,000 texts are refused too", async () => {
    const cost = await costOf(async () => {
      const split = await rejection(components.resolveTexts(alice, [times("{{db.user}}", 600), times("{{ghost.k}}", 401)]));
      expect(split).toMatchObject({ code: "LIMIT_EXCEEDED", message: expect.stringContaining("The request holds 1,001 references") });
      const texts = await rejection(components.resolveTexts(alice, Array.from({ length: 1001 }, () => "plain")));
      expect(texts).toMatchObject({ code: "LIMIT_EXCEEDED", message: expect.stringContaining("The request holds 1,001 texts") });
    });
    expect(cost).toEqual(nothing);
  });

  it("a component or a stack holding more than 1,000 references is LIMIT_EXCEEDED on resolve and on validate, reading no secret", async () => {
    const name = unique("big");
    await components.registerComponent(alice, { name, type: "t", flavor: "f", configuration: { a: times("{{db.user}}", 600), b: times("{{ghost.k}}", 401) } });
    const small = unique("small");
    await components.registerComponent(alice, { name: small, type: "t", flavor: "f", configuration: { a: times("{{db.user}}", 500) } });
    const stack = unique("stack");
    await components.registerStack(alice, { name: stack, components: [small] });
    const wide = unique("wide");
    const other = unique("other");
    await components.registerComponent(alice, { name: other, type: "t", flavor: "f", configuration: { a: times("{{db.user}}", 501) } });
    await components.registerStack(alice, { name: wide, components: [small, other] });

    const cost = await costOf(async () => {
      expect(await rejection(components.resolveComponent(alice, name))).toMatchObject({ code: "LIMIT_EXCEEDED", message: expect.stringContaining(`Component '${name}' holds 1,001 references`) });
      expect(await rejection(components.resolveStack(alice, wide))).toMatchObject({ code: "LIMIT_EXCEEDED", message: expect.stringContaining(`Stack '${wide}' holds 1,001 references`) });
      expect(await rejection(components.validateStack(alice, wide, "SECRET_AND_KEY_EXISTS"))).toMatchObject({ code: "LIMIT_EXCEEDED" });
      expect(await rejection(components.validateComponent(alice, name, "NONE"))).toMatchObject({ code: "LIMIT_EXCEEDED" });
    });
    // Reading the component and stack rows is allowed; no secret is looked up or read.
    expect(cost).toMatchObject({ metadata: 0, values: 0, valueReads: 0 });
    expect((await components.resolveStack(alice, stack))[0]!.configuration.a).toBe(times("app", 500));
  });

  it("a run counts its components', --env's references and its --secrets together, and refuses more than 1,000 before validating", async () => {
    const cost = await costOf(async () => {
      const env = await rejection(components.runEnvironment(alice, { env: { A: times("{{db.user}}", 1000), B: "{{db.user}}" } }, "SECRET_AND_KEY_EXISTS"));
      expect(env).toMatchObject({ code: "LIMIT_EXCEEDED", message: expect.stringContaining("The run holds 1,001 references") });
      const withSecret = await rejection(components.runEnvironment(alice, { env: { A: times("{{db.user}}", 1000) }, secrets: ["db"] }, "NONE"));
      expect(withSecret).toMatchObject({ code: "LIMIT_EXCEEDED" });
    });
    expect(cost).toEqual(nothing);
    expect(await components.runEnvironment(alice, { env: { A: times("{{db.user}}", 999) }, secrets: ["db"] }, "SECRET_AND_KEY_EXISTS")).toMatchObject({ USER: "app" });
  });
});
