import { randomBytes } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import { parse as parseYaml } from "yaml";
import { ISO_MS, KEY_RULE, NAME_RULE, UUID_V4, cells } from "./support/fixtures.js";
import {
  HARNESS_FACTORIES,
  expectError,
  expectUsageError,
  uniqueName,
  useZsHarness,
  type WireComponent,
} from "./support/zs-process.js";

const notFound = (name: string, workspace = "default") => `No component named '${name}' in workspace '${workspace}'.`;
const malformed = (attribute: string, component: string, span: string) =>
  `Attribute '${attribute}' of component '${component}' holds a malformed reference '${span}': write {{secret_name.key}}, or \\{{ for a literal '{{'.`;

describe.each(HARNESS_FACTORIES)("zs component register, describe and list ($mode)", (factory) => {
  const zs = useZsHarness(factory);

  it("register stores type, flavor and attributes verbatim (references, embedded ones and \\{{ included) and prints the component", async () => {
    const name = uniqueName("c");
    const attributes = {
      url: "postgres://{{db.user}}:{{ db.password }}@host/app",
      password: "{{db.password}}",
      "tls.key": "{{certs.tls.key}}",
      literal: "\\{{not.a_reference}}",
      plain: "a=b c",
      empty: "",
    };
    const result = await zs.ok([
      "component", "register", name, "--type", "experiment-tracker", "--flavor", "mlflow",
      ...Object.entries(attributes).map(([attribute, value]) => `--${attribute}=${value}`),
    ]);
    expect(result.stderr).toBe("");
    const lines = result.stdout.split("\n");
    expect(cells(lines[0]!)).toEqual(["NAME", "ID", "TYPE", "FLAVOR", "WORKSPACE", "UPDATED"]);
    expect(cells(lines[1]!)).toEqual([name, expect.stringMatching(UUID_V4), "experiment-tracker", "mlflow", "default", expect.stringMatching(ISO_MS)]);
    expect(cells(lines[3]!)).toEqual(["ATTRIBUTE", "VALUE"]);
    expect(lines.slice(4, 10).map(cells)).toEqual([
      ["empty"],
      ["literal", attributes.literal],
      ["password", attributes.password],
      ["plain", attributes.plain],
      ["tls.key", attributes["tls.key"]],
      ["url", attributes.url],
    ]);
    expect(lines.slice(10)).toEqual(["", `Component '${name}' registered.`, ""]);

    const described = await zs.json<WireComponent>(["component", "describe", name]);
    expect(described).toEqual({
      id: cells(lines[1]!)[1],
      name,
      type: "experiment-tracker",
      flavor: "mlflow",
      workspace: "default",
      user: zs.user,
      configuration: attributes,
      created: expect.stringMatching(ISO_MS),
      updated: described.created,
    });
  });

  it("a component without attributes prints 'No attributes.'; --ATTR=@file reads a file and @@ is a literal @", async () => {
    const bare = uniqueName("c");
    expect((await zs.ok(["component", "register", bare, "--type", "t", "--flavor", "f"])).stdout).toContain("\nNo attributes.\n");
    const name = uniqueName("c");
    await zs.writeFile("ca.txt", "line 1\n{{ca.pem}}\n");
    await zs.ok(["component", "register", name, "--type", "t", "--flavor", "f", "--ca=@ca.txt", "--handle=@@team"]);
    expect((await zs.json<WireComponent>(["component", "describe", name])).configuration).toEqual({ ca: "line 1\n{{ca.pem}}\n", handle: "@team" });
  });

  it("describe -o yaml is the JSON object as YAML", async () => {
    const name = uniqueName("c");
    await zs.ok(["component", "register", name, "--type", "t", "--flavor", "f", "--password={{db.password}}", "--port=5432"]);
    const yaml = (await zs.ok(["component", "describe", name, "-o", "yaml"])).stdout;
    expect(parseYaml(yaml)).toEqual(await zs.json<WireComponent>(["component", "describe", name]));
  });

  it("list: NAME, TYPE, FLAVOR, ATTRIBUTES (names only), UPDATED, by name; -o json is the components; 'No components found.' when there is none", async () => {
    const workspace = uniqueName("w");
    await zs.ok(["workspace", "create", workspace]);
    const inWorkspace = ["--workspace", workspace];
    expect(await zs.run(["component", "list", ...inWorkspace])).toEqual({ code: 0, stdout: "No components found.\n", stderr: "" });
    expect(await zs.json(["component", "list", ...inWorkspace])).toEqual([]);
    await zs.ok(["component", "register", "b-tracker", "--type", "experiment-tracker", "--flavor", "mlflow", "--url=u", "--password={{ml.password}}", ...inWorkspace]);
    await zs.ok(["component", "register", "a-store", "--type", "artifact-store", "--flavor", "s3", ...inWorkspace]);

    const lines = (await zs.ok(["component", "list", ...inWorkspace])).stdout.trimEnd().split("\n").map(cells);
    expect(lines).toEqual([
      ["NAME", "TYPE", "FLAVOR", "ATTRIBUTES", "UPDATED"],
      ["a-store", "artifact-store", "s3", expect.stringMatching(ISO_MS)],
      ["b-tracker", "experiment-tracker", "mlflow", "password, url", expect.stringMatching(ISO_MS)],
    ]);
    const listed = await zs.json<WireComponent[]>(["component", "list", ...inWorkspace]);
    expect(listed.map((c) => [c.name, c.workspace, c.configuration])).toEqual([
      ["a-store", workspace, {}],
      ["b-tracker", workspace, { url: "u", password: "{{ml.password}}" }],
    ]);
    expect(parseYaml((await zs.ok(["component", "list", "-o", "yaml", ...inWorkspace])).stdout)).toEqual(listed);
    // Not in the active workspace.
    expect((await zs.json<WireComponent[]>(["component", "list"])).map((c) => c.name)).not.toContain("b-tracker");
    expectError(await zs.run(["component", "describe", "b-tracker"]), notFound("b-tracker"));
  });

  it("describe and list never resolve a reference: the secret's values appear in no output, the references do", async () => {
    const secret = uniqueName("db");
    const value = `resolved-${randomBytes(12).toString("hex")}`;
    await zs.addSecret(secret, { password: value, user: `u-${value}` });
    const name = uniqueName("c");
    const url = `postgres://{{${secret}.user}}:{{${secret}.password}}@host`;
    await zs.ok(["component", "register", name, "--type", "t", "--flavor", "f", `--url=${url}`, `--password={{ ${secret}.password }}`]);
    const outputs = [];
    for (const format of ["table", "json", "yaml"]) {
      outputs.push(await zs.ok(["component", "describe", name, "-o", format]));
      outputs.push(await zs.ok(["component", "list", "-o", format]));
    }
    for (const { stdout, stderr } of outputs) {
      expect(stdout.includes(value) || stderr.includes(value)).toBe(false);
    }
    expect(outputs[0]!.stdout).toContain(url);
    expect((await zs.json<WireComponent>(["component", "describe", name])).configuration).toEqual({ url, password: `{{ ${secret}.password }}` });
  });
});

describe.each(HARNESS_FACTORIES)("zs component register refuses invalid input ($mode)", (factory) => {
  const zs = useZsHarness(factory);

  it.each([
    ["a name with a dot", "bad.name"],
    ["a reference as the name", "{{db.password}}"],
    ["a reference with spaces as the name", "{{ db.password }}"],
    ["a UUID as the name", "0b5e7a8c-4c1e-4b8e-9f3a-2d6c1e7f9a10"],
  ])("%s: the name rule, nothing registered", async (_label, name) => {
    expectError(await zs.run(["component", "register", name, "--type", "t", "--flavor", "f", "--url=x"]), `Invalid component: name: ${NAME_RULE}.`);
    expect(await zs.json<WireComponent[]>(["component", "list"])).toEqual([]);
  });

  it.each([
    ["spaces inside", "{{db . password}}", "{{db . password}}"],
    ["no key", "{{nodot}}", "{{nodot}}"],
    ["a space in the name", "{{d b.password}}", "{{d b.password}}"],
    ["embedded in a longer value", "postgres://{{db.user}}:{{db .password}}@host", "{{db .password}}"],
  ])("a malformed reference (%s) is refused naming the attribute and the span", async (_label, value, span) => {
    const name = uniqueName("c");
    expectError(await zs.run(["component", "register", name, "--type", "t", "--flavor", "f", "--ok=1", `--url=${value}`]), malformed("url", name, span));
    expectError(await zs.run(["component", "describe", name]), notFound(name));
  });

  it("text that is not a reference ({x.y}, ${{x.y}}, \\{{x.y}}) is stored as written", async () => {
    const name = uniqueName("c");
    const configuration = { single: "{db.password}", dollar: "${{db.password}}", escaped: "\\{{db.password}}" };
    await zs.ok(["component", "register", name, "--type", "t", "--flavor", "f", ...Object.entries(configuration).map(([a, v]) => `--${a}=${v}`)]);
    expect((await zs.json<WireComponent>(["component", "describe", name])).configuration).toEqual(configuration);
  });

  it("an invalid attribute name, type or flavor is refused with the rule", async () => {
    const name = uniqueName("c");
    expectError(
      await zs.run(["component", "register", name, "--type", "t", "--flavor", "f", "--9lives=x"]),
      `Invalid component: configuration.9lives: invalid attribute name '9lives': ${KEY_RULE}.`,
    );
    for (const [type, flavor, field] of [["has space", "f", "type"], ["t", "{{a.b}}", "flavor"]]) {
      const result = await zs.run(["component", "register", name, "--type", type!, "--flavor", flavor!]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`^Error: Invalid component: ${field}: must be 1-255 characters of A-Z a-z 0-9 \\. _ -\\.$`, "m"));
    }
    expectError(await zs.run(["component", "describe", name]), notFound(name));
  });

  it("a name already taken is refused and the first component is unchanged", async () => {
    const name = uniqueName("c");
    await zs.ok(["component", "register", name, "--type", "t", "--flavor", "f", "--a=1"]);
    const before = await zs.json<WireComponent>(["component", "describe", name]);
    expectError(await zs.run(["component", "register", name, "--type", "u", "--flavor", "g", "--a=2"]), `A component named '${name}' already exists in workspace 'default'.`);
    expect(await zs.json<WireComponent>(["component", "describe", name])).toEqual(before);
  });

  it("usage errors (exit 2): no --type or --flavor, no name, --ATTR VALUE, an attribute twice, a stray operand", async () => {
    const name = uniqueName("c");
    expectUsageError(await zs.run(["component", "register", name, "--flavor", "f"]), "required option '--type <type>' not specified");
    expectUsageError(await zs.run(["component", "register", name, "--type", "t"]), "required option '--flavor <flavor>' not specified");
    expectUsageError(await zs.run(["component", "register", "--type", "t", "--flavor", "f"]), "missing required argument 'name'");
    expectError(await zs.run(["component", "register", "--url=x", "--type", "t", "--flavor", "f"]), "Missing the component's name: zs component register NAME [--ATTR=VALUE ...].", 2);
    expectError(await zs.run(["component", "register", name, "--type", "t", "--flavor", "f", "--url", "x"]), "Unexpected argument '--url': give values as --ATTR=VALUE.", 2);
    expectError(await zs.run(["component", "register", name, "--type", "t", "--flavor", "f", "--a=1", "--a=2"]), "Attribute 'a' is given twice.", 2);
    expectError(await zs.run(["component", "register", name, "--type", "t", "--flavor", "f", "--a=1", "b=2"]), "Unexpected argument 'b=…': one NAME, then values as --ATTR=VALUE.", 2);
    expectError(await zs.run(["component", "describe", name]), notFound(name));
  });
});

describe.each(HARNESS_FACTORIES)("zs component update and delete ($mode)", (factory) => {
  const zs = useZsHarness(factory);

  async function registered(configuration: Record<string, string>): Promise<WireComponent> {
    const name = uniqueName("c");
    await zs.ok(["component", "register", name, "--type", "t", "--flavor", "f", ...Object.entries(configuration).map(([a, v]) => `--${a}=${v}`)]);
    return zs.json<WireComponent>(["component", "describe", name]);
  }

  it("--ATTR=VALUE sets and overwrites, -r / --remove-attributes remove, the others stay; prints 'Component 'N' updated.'", async () => {
    const before = await registered({ keep: "k", change: "old", drop: "d", gone: "g" });
    const result = await zs.ok(["component", "update", before.name, "--change={{db.password}}", "--added=new", "-r", "drop", "--remove-attributes", "gone"]);
    expect(result.stdout).toMatch(new RegExp(`\\nComponent '${before.name}' updated\\.\\n$`));
    expect(result.stdout).toContain("{{db.password}}");
    const after = await zs.json<WireComponent>(["component", "describe", before.name]);
    expect(after.configuration).toEqual({ keep: "k", change: "{{db.password}}", added: "new" });
    expect(after).toMatchObject({ id: before.id, type: "t", flavor: "f", created: before.created });
    expect(Date.parse(after.updated)).toBeGreaterThan(Date.parse(before.updated));
  });

  it("--type and --flavor change those, attributes kept", async () => {
    const before = await registered({ a: "1" });
    await zs.ok(["component", "update", before.name, "--type", "orchestrator", "--flavor=kubeflow"]);
    expect(await zs.json<WireComponent>(["component", "describe", before.name])).toMatchObject({ type: "orchestrator", flavor: "kubeflow", configuration: { a: "1" } });
  });

  it("refuses removing an attribute the component lacks, one also being set, or a malformed reference, changing nothing", async () => {
    const before = await registered({ a: "1" });
    expectError(await zs.run(["component", "update", before.name, "-r", "nope"]), `Cannot remove attribute 'nope' from component '${before.name}': no such attribute.`);
    expectError(await zs.run(["component", "update", before.name, "--a=2", "-r", "a"]), `Attribute 'a' of component '${before.name}' cannot be both set and removed.`);
    expectError(await zs.run(["component", "update", before.name, "--b={{x . y}}"]), malformed("b", before.name, "{{x . y}}"));
    expectUsageError(await zs.run(["component", "update", before.name]), "Nothing to update: give --ATTR=VALUE, -r ATTR, --type or --flavor.");
    expect(await zs.json<WireComponent>(["component", "describe", before.name])).toEqual(before);
  });

  it("update, describe and delete of a missing component fail naming it", async () => {
    for (const args of [["update", "nope", "--a=1"], ["describe", "nope"], ["delete", "nope"], ["update", "nope", "-r", "a"]]) {
      expectError(await zs.run(["component", ...args]), notFound("nope"));
    }
  });

  it("delete: 'Component 'N' deleted.'; not while a stack holds it, which the error names", async () => {
    const component = await registered({ a: "1" });
    const stack = uniqueName("s");
    await zs.ok(["stack", "register", stack, "-c", component.name]);
    expectError(await zs.run(["component", "delete", component.name]), `Component '${component.name}' is in stack '${stack}'; delete that stack first.`);
    expect(await zs.json<WireComponent>(["component", "describe", component.name])).toEqual(component);
    await zs.ok(["stack", "delete", stack]);
    expect(await zs.run(["component", "delete", component.name])).toEqual({ code: 0, stdout: `Component '${component.name}' deleted.\n`, stderr: "" });
    expectError(await zs.run(["component", "describe", component.name]), notFound(component.name));
  });
});
