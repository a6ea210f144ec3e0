import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { ComponentCreate } from "@zs/core";
import { openComponentsFixture, rejection, unique, type ComponentsFixture } from "./support/components-fixture.js";
import { testDatabases } from "./support/test-databases.js";

const tracker = (name: string, configuration: Record<string, string> = {}): ComponentCreate => ({
  name,
  type: "experiment-tracker",
  flavor: "mlflow",
  configuration,
});

describe.each(testDatabases)("components and stacks on %s", (_label, createDatabase) => {
  let f: ComponentsFixture;
  beforeAll(async () => {
    f = await openComponentsFixture(createDatabase);
  });
  afterAll(() => f.close());

  /** The SQL statements `work` runs. */
  async function statementsOf(work: () => Promise<unknown>): Promise<string[]> {
    const statements: string[] = [];
    const listener = (query: { sql: string }) => statements.push(query.sql);
    f.database.knex.on("query", listener);
    try {
      await work();
    } finally {
      f.database.knex.off("query", listener);
    }
    return statements;
  }

  describe("components", () => {
    it("a registered component keeps its references verbatim; get and list never resolve them", async () => {
      const name = unique("tracker");
      const configuration = { tracking_uri: "https://mlflow", tracking_password: "{{mlflow_secret.password}}", url: "postgres://{{db.user}}@h" };
      const created = await f.components.registerComponent(f.alice, tracker(name, configuration));
      expect(created).toMatchObject({ name, type: "experiment-tracker", flavor: "mlflow", workspace: "default", user: "alice", configuration });
      expect(created.created).toBe(created.updated);
      expect(await f.components.getComponent(f.bob, name)).toEqual(created);
      expect((await f.components.listComponents(f.bob)).find((c) => c.name === name)).toEqual(created);
      expect(f.values.reads).toBe(0);
    });

    it("configuration defaults to no attributes", async () => {
      const name = unique("bare");
      expect((await f.components.registerComponent(f.alice, { name, type: "orchestrator", flavor: "local" })).configuration).toEqual({});
    });

    it("a second component of the same name in a workspace is COMPONENT_EXISTS; another workspace may have one", async () => {
      const name = unique("twice");
      await f.components.registerComponent(f.alice, tracker(name));
      const error = await rejection(f.components.registerComponent(f.bob, tracker(name)));
      expect(error.code).toBe("COMPONENT_EXISTS");
      expect(error.message).toBe(`A component named '${name}' already exists in workspace 'default'.`);
      const workspace = unique("ws");
      await f.secrets.createWorkspace(f.admin, { name: workspace });
      expect((await f.components.registerComponent(f.alice, { ...tracker(name), workspace })).workspace).toBe(workspace);
    });

    it("a component name that is a reference is refused", async () => {
      for (const name of ["{{s.k}}", "{{ s.k }}", "{s.k}", "s.k"]) {
        const error = await rejection(f.components.registerComponent(f.alice, tracker(name)));
        expect(error.code).toBe("VALIDATION_ERROR");
        expect(error.message).toContain("name: must be 1-255 characters of A-Z a-z 0-9 _ - and not a UUID");
      }
    });

    it.each<[string, Record<string, unknown>, string]>([
      ["an empty name", { name: "" }, "name:"],
      ["a name with a space", { name: "a b" }, "name:"],
      ["a UUID as name", { name: "0b8e2a3c-1d2e-4f50-8a9b-0c1d2e3f4a5b" }, "name:"],
      ["a type with a space", { type: "experiment tracker" }, "type:"],
      ["a flavor that is a reference", { flavor: "{{s.k}}" }, "flavor:"],
      ["an attribute starting with a digit", { configuration: { "12abc": "v" } }, "invalid attribute name '12abc'"],
      ["an attribute with a space", { configuration: { "a b": "v" } }, "invalid attribute name 'a b'"],
      ["an attribute named __proto__", { configuration: JSON.parse('{"__proto__": "v"}') }, "__proto__"],
      ["a value that is not a string", { configuration: { port: 5432 } }, "configuration.port"],
      ["an unknown field", { labels: {} }, "unknown field 'labels'"],
    ])("%s is a VALIDATION_ERROR naming it", async (_what, change, expected) => {
      const error = await rejection(f.components.registerComponent(f.alice, { ...tracker(unique("bad")), ...change } as ComponentCreate));
      expect(error.code).toBe("VALIDATION_ERROR");
      expect(error.message).toContain(expected);
    });

    it("a malformed reference in an attribute is INVALID_REFERENCE naming the attribute; nothing is stored", async () => {
      const name = unique("malformed");
      const error = await rejection(f.components.registerComponent(f.alice, tracker(name, { ok: "{{s.k}}", password: "x{{db . password}}" })));
      expect(error.code).toBe("INVALID_REFERENCE");
      expect(error.message).toBe(`Attribute 'password' of component '${name}' holds a malformed reference '{{db . password}}': write {{secret_name.key}}, or \\{{ for a literal '{{'.`);
      expect((await rejection(f.components.getComponent(f.alice, name))).code).toBe("NOT_FOUND");
    });

    it("escaped braces and ${{…}} are not references and are kept as written", async () => {
      const configuration = { literal: "\\{{not.a_reference}}", dollar: "${{x.y}}", braces: "{single}" };
      const created = await f.components.registerComponent(f.alice, tracker(unique("escaped"), configuration));
      expect(created.configuration).toEqual(configuration);
    });

    it("an unknown workspace is WORKSPACE_NOT_FOUND", async () => {
      const error = await rejection(f.components.registerComponent(f.alice, { ...tracker(unique("c")), workspace: "nowhere" }));
      expect(error.code).toBe("WORKSPACE_NOT_FOUND");
    });

    it("an unknown component is NOT_FOUND naming it and its workspace", async () => {
      const error = await rejection(f.components.getComponent(f.alice, "missing"));
      expect(error.code).toBe("NOT_FOUND");
      expect(error.message).toBe("No component named 'missing' in workspace 'default'.");
      expect(error.details).toEqual({ kind: "component", name: "missing", workspace: "default" });
    });

    it("update changes type and flavor and merges the configuration: a string sets, null removes, the rest stays", async () => {
      const name = unique("merge");
      const created = await f.components.registerComponent(f.alice, tracker(name, { a: "1", b: "2", c: "{{s.k}}" }));
      const updated = await f.components.updateComponent(f.bob, name, { flavor: "wandb", configuration: { a: "one", b: null, d: "{{s.other}}", missing: null } });
      expect(updated).toMatchObject({ id: created.id, type: "experiment-tracker", flavor: "wandb", user: "alice", configuration: { a: "one", c: "{{s.k}}", d: "{{s.other}}" } });
      expect(Date.parse(updated.updated)).toBeGreaterThan(Date.parse(created.updated));
      expect(updated.created).toBe(created.created);
      expect(await f.components.getComponent(f.alice, name)).toEqual(updated);
    });

    it("an attribute value with a lone surrogate is VALIDATION_ERROR naming the attribute, on register and update; nothing is stored", async () => {
      const name = unique("text");
      const kept = await f.components.registerComponent(f.alice, tracker(name, { a: "1" }));
      for (const bad of ["\ud800", "x\udc00y"]) {
        const registered = await rejection(f.components.registerComponent(f.alice, tracker(unique("bad-text"), { uri_attr: bad })));
        expect(registered.code).toBe("VALIDATION_ERROR");
        expect(registered.message).toContain("configuration.uri_attr: must be valid Unicode");
        const updated = await rejection(f.components.updateComponent(f.alice, name, { configuration: { uri_attr: bad } }));
        expect(updated.code).toBe("VALIDATION_ERROR");
        expect(updated.message).toContain("configuration.uri_attr");
      }
      expect(await f.components.getComponent(f.alice, name)).toEqual(kept);
      expect((await f.components.listComponents(f.alice)).filter((c) => c.name.startsWith("bad-text"))).toEqual([]);
    });

    it("update refuses nothing to do, malformed references and unknown components", async () => {
      const name = unique("strict");
      await f.components.registerComponent(f.alice, tracker(name, { a: "1" }));
      expect((await rejection(f.components.updateComponent(f.alice, name, {}))).code).toBe("VALIDATION_ERROR");
      const malformed = await rejection(f.components.updateComponent(f.alice, name, { configuration: { b: "{{nodot}}" } }));
      expect(malformed.code).toBe("INVALID_REFERENCE");
      expect(malformed.message).toContain(`Attribute 'b' of component '${name}'`);
      expect((await rejection(f.components.updateComponent(f.alice, "missing", { type: "x" }))).code).toBe("NOT_FOUND");
      expect((await f.components.getComponent(f.alice, name)).configuration).toEqual({ a: "1" });
    });

    it("concurrent updates of different attributes all survive", async () => {
      const name = unique("busy");
      await f.components.registerComponent(f.alice, tracker(name));
      await Promise.all(Array.from({ length: 8 }, (_, i) => f.components.updateComponent(f.alice, name, { configuration: { [`a${i}`]: `${i}` } })));
      expect(Object.keys((await f.components.getComponent(f.alice, name)).configuration).sort()).toEqual(["a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7"]);
    });

    it("delete removes it; deleting it again is NOT_FOUND", async () => {
      const name = unique("gone");
      await f.components.registerComponent(f.alice, tracker(name));
      await f.components.deleteComponent(f.bob, name);
      expect((await rejection(f.components.getComponent(f.alice, name))).code).toBe("NOT_FOUND");
      expect((await rejection(f.components.deleteComponent(f.alice, name))).code).toBe("NOT_FOUND");
    });

    it("listing is one query and carries every component of the workspace only, by name", async () => {
      const workspace = unique("listing");
      await f.secrets.createWorkspace(f.admin, { name: workspace });
      const inWorkspace = { ...f.alice, workspace };
      for (const name of ["b", "a", "c"]) await f.components.registerComponent(inWorkspace, tracker(name, { x: name }));
      let listed: { name: string }[] = [];
      const statements = await statementsOf(async () => {
        listed = await f.components.listComponents(f.alice, { workspace });
      });
      expect(listed.map((c) => c.name)).toEqual(["a", "b", "c"]);
      expect(statements).toHaveLength(1);
    });
  });

  describe("stacks", () => {
    async function components(...names: string[]): Promise<string[]> {
      const made = names.map(unique);
      for (const name of made) await f.components.registerComponent(f.alice, tracker(name));
      return made;
    }

    it("a stack keeps its components in the order given; get and list show their names", async () => {
      const [a, b, c] = await components("z_orchestrator", "a_tracker", "m_store");
      const name = unique("stack");
      const stack = await f.components.registerStack(f.alice, { name, components: [a!, b!, c!] });
      expect(stack).toMatchObject({ name, workspace: "default", user: "alice", components: [a, b, c] });
      expect(await f.components.getStack(f.bob, name)).toEqual(stack);
      expect((await f.components.listStacks(f.bob)).find((s) => s.name === name)).toEqual(stack);
    });

    it("listing stacks is one query, by name, each with its components in order", async () => {
      const workspace = unique("stacks");
      await f.secrets.createWorkspace(f.admin, { name: workspace });
      const inWorkspace = { ...f.alice, workspace };
      for (const name of ["c1", "c2", "c3"]) await f.components.registerComponent(inWorkspace, tracker(name));
      await f.components.registerStack(inWorkspace, { name: "second", components: ["c3", "c1"] });
      await f.components.registerStack(inWorkspace, { name: "first", components: ["c2"] });
      let listed: { name: string; components: string[] }[] = [];
      const statements = await statementsOf(async () => {
        listed = await f.components.listStacks(f.alice, { workspace });
      });
      expect(listed.map(({ name, components }) => ({ name, components }))).toEqual([
        { name: "first", components: ["c2"] },
        { name: "second", components: ["c3", "c1"] },
      ]);
      expect(statements).toHaveLength(1);
    });

    it("unknown components are NOT_FOUND, all named at once; nothing is stored", async () => {
      const [known] = await components("known");
      const name = unique("stack");
      const error = await rejection(f.components.registerStack(f.alice, { name, components: [known!, "ghost_1", "ghost_2"] }));
      expect(error.code).toBe("NOT_FOUND");
      expect(error.message).toBe("No components named 'ghost_1', 'ghost_2' in workspace 'default'; register them first.");
      expect((await rejection(f.components.getStack(f.alice, name))).code).toBe("NOT_FOUND");
    });

    it("a component of another workspace is not found in the stack's", async () => {
      const workspace = unique("elsewhere");
      await f.secrets.createWorkspace(f.admin, { name: workspace });
      await f.components.registerComponent({ ...f.alice, workspace }, tracker("far"));
      const error = await rejection(f.components.registerStack(f.alice, { name: unique("stack"), components: ["far"] }));
      expect(error.code).toBe("NOT_FOUND");
    });

    it.each<[string, unknown, string]>([
      ["no components", [], "a stack needs at least one component"],
      ["a component listed twice", ["a", "b", "a"], "component 'a' is listed more than once"],
      ["a component name that is a reference", ["{{s.k}}"], "components.0:"],
    ])("%s is a VALIDATION_ERROR", async (_what, list, expected) => {
      const error = await rejection(f.components.registerStack(f.alice, { name: unique("stack"), components: list as string[] }));
      expect(error.code).toBe("VALIDATION_ERROR");
      expect(error.message).toContain(expected);
    });

    it("a stack name that is a reference is refused", async () => {
      const [c] = await components("c");
      expect((await rejection(f.components.registerStack(f.alice, { name: "{{s.k}}", components: [c!] }))).code).toBe("VALIDATION_ERROR");
    });

    it("a second stack of the same name is STACK_EXISTS", async () => {
      const [c] = await components("c");
      const name = unique("stack");
      await f.components.registerStack(f.alice, { name, components: [c!] });
      const error = await rejection(f.components.registerStack(f.bob, { name, components: [c!] }));
      expect(error.code).toBe("STACK_EXISTS");
      expect(error.message).toBe(`A stack named '${name}' already exists in workspace 'default'.`);
    });

    it("deleting a component a stack holds is COMPONENT_IN_USE naming the stacks; once they are gone it may go", async () => {
      const [c] = await components("shared");
      const [one, two] = [unique("one"), unique("two")].sort();
      await f.components.registerStack(f.alice, { name: one!, components: [c!] });
      await f.components.registerStack(f.alice, { name: two!, components: [c!] });
      const error = await rejection(f.components.deleteComponent(f.alice, c!));
      expect(error.code).toBe("COMPONENT_IN_USE");
      expect(error.message).toBe(`Component '${c}' is in stacks '${one}', '${two}'; delete those stacks first.`);
      expect(error.details).toEqual({ stacks: [one, two] });
      await f.components.deleteStack(f.alice, one!);
      await f.components.deleteStack(f.bob, two!);
      await f.components.deleteComponent(f.alice, c!);
      expect((await rejection(f.components.getComponent(f.alice, c!))).code).toBe("NOT_FOUND");
    });

    it("deleting a stack keeps its components; deleting it again is NOT_FOUND", async () => {
      const [c] = await components("kept");
      const name = unique("stack");
      await f.components.registerStack(f.alice, { name, components: [c!] });
      await f.components.deleteStack(f.alice, name);
      expect((await rejection(f.components.getStack(f.alice, name))).code).toBe("NOT_FOUND");
      expect((await rejection(f.components.deleteStack(f.alice, name))).message).toBe(`No stack named '${name}' in workspace 'default'.`);
      expect((await f.components.getComponent(f.alice, c!)).name).toBe(c);
    });
  });

  describe("ownership and workspaces", () => {
    it("deleting the user who registered them keeps components and stacks, with no user", async () => {
      const carol = await f.secrets.createUser(f.admin, { name: unique("carol") });
      const asCarol = { userId: carol.id, userName: carol.name, isAdmin: false, workspace: "default" };
      const component = unique("orphan");
      const stack = unique("orphan_stack");
      await f.components.registerComponent(asCarol, tracker(component));
      await f.components.registerStack(asCarol, { name: stack, components: [component] });
      await f.secrets.deleteUser(f.admin, carol.name);
      expect(await f.components.getComponent(f.alice, component)).toMatchObject({ name: component, user: null });
      expect(await f.components.getStack(f.alice, stack)).toMatchObject({ name: stack, user: null, components: [component] });
    });

    it("deleting a workspace deletes its components and stacks", async () => {
      const workspace = unique("doomed");
      await f.secrets.createWorkspace(f.admin, { name: workspace });
      const inWorkspace = { ...f.alice, workspace };
      const component = await f.components.registerComponent(inWorkspace, tracker("c"));
      const stack = await f.components.registerStack(inWorkspace, { name: "s", components: ["c"] });
      await f.secrets.deleteWorkspace(f.admin, workspace);
      expect(await f.database.knex("components").where({ id: component.id }).first()).toBeUndefined();
      expect(await f.database.knex("stacks").where({ id: stack.id }).first()).toBeUndefined();
      expect(await f.database.knex("stack_components").where({ stack_id: stack.id }).first()).toBeUndefined();
    });
  });
});
