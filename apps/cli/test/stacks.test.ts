import { randomBytes } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import { parse as parseYaml } from "yaml";
import { ISO_MS, NAME_RULE, UUID_V4, cells } from "./support/fixtures.js";
import {
  HARNESS_FACTORIES,
  expectError,
  expectUsageError,
  uniqueName,
  useZsHarness,
  type DescribeHarness,
  type WireStack,
} from "./support/zs-process.js";

const LEVELS = "NONE, SECRET_EXISTS, SECRET_AND_KEY_EXISTS";

/** A stack's validation as `stack validate -o json` prints it: the HTTP API's shape. */
interface WireValidation {
  level: string;
  valid: boolean;
  missing: { component: string | null; attribute: string; secret: string; key: string; problem: "secret_missing" | "key_missing" }[];
}

/** Registers a component of `configuration`; returns its name. */
async function component(zs: DescribeHarness, configuration: Record<string, string>, ...extra: string[]): Promise<string> {
  const name = uniqueName("c");
  await zs.ok(["component", "register", name, "--type", "t", "--flavor", "f", ...Object.entries(configuration).map(([a, v]) => `--${a}=${v}`), ...extra]);
  return name;
}

/** Registers a stack of `components`; returns its name. */
async function stack(zs: DescribeHarness, ...components: string[]): Promise<string> {
  const name = uniqueName("s");
  await zs.ok(["stack", "register", name, ...components.flatMap((c) => ["-c", c])]);
  return name;
}

const invalidMessage = (name: string, level: string, count: number) =>
  `Error: Stack '${name}' is not valid at level ${level} (${count} missing reference${count === 1 ? "" : "s"}). Register them with: zs stack register-secrets ${name}\n`;

describe.each(HARNESS_FACTORIES)("zs stack register, describe, list and delete ($mode)", (factory) => {
  const zs = useZsHarness(factory);

  it("register keeps the components in the order given and prints the stack with them; describe -o json|yaml is the stack", async () => {
    const tracker = await component(zs, { url: "{{ml.url}}", password: "{{ml.password}}" });
    const store = uniqueName("c");
    await zs.ok(["component", "register", store, "--type", "artifact-store", "--flavor", "s3"]);
    const name = uniqueName("s");
    const result = await zs.ok(["stack", "register", name, "-c", tracker, "--component", store]);
    const lines = result.stdout.split("\n");
    expect(cells(lines[0]!)).toEqual(["NAME", "ID", "WORKSPACE", "UPDATED"]);
    expect(cells(lines[1]!)).toEqual([name, expect.stringMatching(UUID_V4), "default", expect.stringMatching(ISO_MS)]);
    expect(lines.slice(3, 6).map(cells)).toEqual([
      ["COMPONENT", "TYPE", "FLAVOR", "ATTRIBUTES"],
      [tracker, "t", "f", "password, url"],
      [store, "artifact-store", "s3"],
    ]);
    expect(lines.slice(6)).toEqual(["", `Stack '${name}' registered.`, ""]);

    const described = await zs.json<WireStack>(["stack", "describe", name]);
    expect(described).toEqual({
      id: cells(lines[1]!)[1],
      name,
      workspace: "default",
      user: zs.user,
      components: [tracker, store],
      created: expect.stringMatching(ISO_MS),
      updated: described.created,
    });
    expect(parseYaml((await zs.ok(["stack", "describe", name, "-o", "yaml"])).stdout)).toEqual(described);
    expect((await zs.ok(["stack", "describe", name])).stdout).toBe(lines.slice(0, 6).join("\n") + "\n");
  });

  it("list: NAME, COMPONENTS, UPDATED by name; -o json is the stacks; 'No stacks found.' when there is none", async () => {
    const workspace = uniqueName("w");
    await zs.ok(["workspace", "create", workspace]);
    const inWorkspace = ["--workspace", workspace];
    expect(await zs.run(["stack", "list", ...inWorkspace])).toEqual({ code: 0, stdout: "No stacks found.\n", stderr: "" });
    expect(await zs.json(["stack", "list", ...inWorkspace])).toEqual([]);
    await zs.ok(["component", "register", "one", "--type", "t", "--flavor", "f", ...inWorkspace]);
    await zs.ok(["component", "register", "two", "--type", "t", "--flavor", "f", ...inWorkspace]);
    await zs.ok(["stack", "register", "b-stack", "-c", "two", "-c", "one", ...inWorkspace]);
    await zs.ok(["stack", "register", "a-stack", "-c", "one", ...inWorkspace]);

    const lines = (await zs.ok(["stack", "list", ...inWorkspace])).stdout.trimEnd().split("\n").map(cells);
    expect(lines).toEqual([
      ["NAME", "COMPONENTS", "UPDATED"],
      ["a-stack", "one", expect.stringMatching(ISO_MS)],
      ["b-stack", "two, one", expect.stringMatching(ISO_MS)],
    ]);
    const listed = await zs.json<WireStack[]>(["stack", "list", ...inWorkspace]);
    expect(listed.map((s) => [s.name, s.workspace, s.components])).toEqual([
      ["a-stack", workspace, ["one"]],
      ["b-stack", workspace, ["two", "one"]],
    ]);
    expect(parseYaml((await zs.ok(["stack", "list", "-o", "yaml", ...inWorkspace])).stdout)).toEqual(listed);
    expect((await zs.json<WireStack[]>(["stack", "list"])).map((s) => s.name)).not.toContain("a-stack");
  });

  it("refuses unknown components (naming every one), a component twice, no component, and bad names; nothing registered", async () => {
    const known = await component(zs, {});
    const name = uniqueName("s");
    expectError(await zs.run(["stack", "register", name, "-c", known, "-c", "ghost-1", "-c", "ghost-2"]), "No components named 'ghost-1', 'ghost-2' in workspace 'default'; register them first.");
    expectError(await zs.run(["stack", "register", name, "-c", "ghost-1"]), "No component named 'ghost-1' in workspace 'default'; register it first.");
    expectError(await zs.run(["stack", "register", name, "-c", known, "-c", known]), `Invalid stack: components: component '${known}' is listed more than once.`);
    expectUsageError(await zs.run(["stack", "register", name]), "A stack needs at least one component: zs stack register NAME -c COMPONENT [-c COMPONENT ...].");
    for (const bad of ["bad.name", "{{db.password}}"]) {
      expectError(await zs.run(["stack", "register", bad, "-c", known]), `Invalid stack: name: ${NAME_RULE}.`);
    }
    expectError(await zs.run(["stack", "describe", name]), `No stack named '${name}' in workspace 'default'.`);
    expect((await zs.json<WireStack[]>(["stack", "list"])).map((s) => s.name)).not.toContain(name);
  });

  it("a name already taken is refused and the first stack is unchanged", async () => {
    const [a, b] = [await component(zs, {}), await component(zs, {})];
    const name = await stack(zs, a);
    const before = await zs.json<WireStack>(["stack", "describe", name]);
    expectError(await zs.run(["stack", "register", name, "-c", b]), `A stack named '${name}' already exists in workspace 'default'.`);
    expect(await zs.json<WireStack>(["stack", "describe", name])).toEqual(before);
  });

  it("delete: 'Stack 'S' deleted.', its components stay; a missing stack fails naming it", async () => {
    const member = await component(zs, { a: "1" });
    const name = await stack(zs, member);
    expect(await zs.run(["stack", "delete", name])).toEqual({ code: 0, stdout: `Stack '${name}' deleted.\n`, stderr: "" });
    for (const args of [["describe", name], ["delete", name], ["validate", name]]) {
      expectError(await zs.run(["stack", ...args]), `No stack named '${name}' in workspace 'default'.`);
    }
    expect((await zs.ok(["component", "describe", member])).stdout).toContain(member);
  });

  it("describe and list never resolve a reference: the secret's values appear in no output", async () => {
    const secret = uniqueName("db");
    const value = `resolved-${randomBytes(12).toString("hex")}`;
    await zs.addSecret(secret, { password: value });
    const name = await stack(zs, await component(zs, { password: `{{${secret}.password}}`, url: `x://{{${secret}.password}}@h` }));
    for (const format of ["table", "json", "yaml"]) {
      for (const args of [["describe", name], ["list"], ["validate", name]]) {
        const { stdout, stderr } = await zs.ok(["stack", ...args, "-o", format]);
        expect({ args, format, leaked: stdout.includes(value) || stderr.includes(value) }).toEqual({ args, format, leaked: false });
      }
    }
  });
});

describe.each(HARNESS_FACTORIES)("zs stack validate ($mode)", (factory) => {
  const zs = useZsHarness(factory);

  /** A stack whose one component's attribute `password` is `{{S.k}}`, for a fresh secret name S. */
  async function referencing(): Promise<{ name: string; component: string; secret: string }> {
    const secret = uniqueName("s");
    const member = await component(zs, { password: `{{${secret}.k}}`, plain: "no reference" });
    return { name: await stack(zs, member), component: member, secret };
  }

  it("no secret S: invalid at the default level, listing S.k and the component attribute (exit 1), suggesting register-secrets", async () => {
    const { name, component: member, secret } = await referencing();
    const result = await zs.run(["stack", "validate", name]);
    expect(result.code).toBe(1);
    expect(result.stdout.trimEnd().split("\n").map(cells)).toEqual([
      ["REFERENCE", "COMPONENT", "ATTRIBUTE", "PROBLEM"],
      [`${secret}.k`, member, "password", `no secret '${secret}'`],
    ]);
    expect(result.stderr).toBe(invalidMessage(name, "SECRET_AND_KEY_EXISTS", 1));

    const json = await zs.run(["stack", "validate", name, "-o", "json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      level: "SECRET_AND_KEY_EXISTS",
      valid: false,
      missing: [{ component: member, attribute: "password", secret, key: "k", problem: "secret_missing" }],
    });
    const yaml = await zs.run(["stack", "validate", name, "-o", "yaml"]);
    expect(yaml.code).toBe(1);
    expect(parseYaml(yaml.stdout)).toEqual(JSON.parse(json.stdout));
    // The same at SECRET_EXISTS; nothing is checked at NONE.
    expect((await zs.run(["stack", "validate", name, "--level", "SECRET_EXISTS"])).stderr).toBe(invalidMessage(name, "SECRET_EXISTS", 1));
    expect(await zs.run(["stack", "validate", name, "--level", "NONE"])).toEqual({
      code: 0,
      stdout: `Stack '${name}' is valid (level NONE: references are not checked).\n`,
      stderr: "",
    });
    expect(await zs.json(["stack", "validate", name, "--level", "NONE"])).toEqual({ level: "NONE", valid: true, missing: [] });
  });

  it("S without key k: invalid at SECRET_AND_KEY_EXISTS, valid at SECRET_EXISTS and NONE", async () => {
    const { name, component: member, secret } = await referencing();
    await zs.addSecret(secret, { other: "x" });
    const strict = await zs.run(["stack", "validate", name, "--level", "SECRET_AND_KEY_EXISTS"]);
    expect(strict.code).toBe(1);
    expect(strict.stdout.trimEnd().split("\n").map(cells)[1]).toEqual([`${secret}.k`, member, "password", `secret '${secret}' has no key 'k'`]);
    expect(JSON.parse((await zs.run(["stack", "validate", name, "-o", "json"])).stdout).missing).toEqual([
      { component: member, attribute: "password", secret, key: "k", problem: "key_missing" },
    ]);
    for (const level of ["SECRET_EXISTS", "NONE"]) {
      expect(await zs.json(["stack", "validate", name, "--level", level])).toEqual({ level, valid: true, missing: [] });
    }
    expect(await zs.run(["stack", "validate", name, "--level", "SECRET_EXISTS"])).toEqual({ code: 0, stdout: `Stack '${name}' is valid (level SECRET_EXISTS).\n`, stderr: "" });
  });

  it("with S and k: valid at every level", async () => {
    const { name, secret } = await referencing();
    await zs.addSecret(secret, { k: "v" });
    expect(await zs.run(["stack", "validate", name])).toEqual({ code: 0, stdout: `Stack '${name}' is valid (level SECRET_AND_KEY_EXISTS).\n`, stderr: "" });
    for (const level of ["SECRET_AND_KEY_EXISTS", "SECRET_EXISTS", "NONE"]) {
      expect(await zs.json(["stack", "validate", name, "--level", level])).toEqual({ level, valid: true, missing: [] });
    }
  });

  it("a user-scoped secret of the caller counts", async () => {
    const { name, secret } = await referencing();
    await zs.addSecret(secret, { k: "mine" }, "user");
    expect(await zs.json(["stack", "validate", name])).toEqual({ level: "SECRET_AND_KEY_EXISTS", valid: true, missing: [] });
  });

  it("lists every missing reference at once: several secrets, several keys, several components and attributes", async () => {
    const [a, b, partial] = [uniqueName("a"), uniqueName("b"), uniqueName("p")];
    await zs.addSecret(partial, { present: "x" });
    const first = await component(zs, { url: `x://{{${a}.user}}:{{${a}.password}}@{{${partial}.host}}`, ok: `{{${partial}.present}}` });
    const second = await component(zs, { token: `{{${b}.token}}`, again: `{{ ${a}.password }}`, port: `{{${partial}.port}}` });
    const name = await stack(zs, first, second);

    const result = await zs.run(["stack", "validate", name, "-o", "json"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(invalidMessage(name, "SECRET_AND_KEY_EXISTS", 6));
    const { missing } = JSON.parse(result.stdout) as WireValidation;
    expect(missing).toHaveLength(6);
    expect(missing).toEqual(
      expect.arrayContaining([
        { component: first, attribute: "url", secret: a, key: "user", problem: "secret_missing" },
        { component: first, attribute: "url", secret: a, key: "password", problem: "secret_missing" },
        { component: first, attribute: "url", secret: partial, key: "host", problem: "key_missing" },
        { component: second, attribute: "token", secret: b, key: "token", problem: "secret_missing" },
        { component: second, attribute: "again", secret: a, key: "password", problem: "secret_missing" },
        { component: second, attribute: "port", secret: partial, key: "port", problem: "key_missing" },
      ]),
    );
    const table = await zs.run(["stack", "validate", name]);
    expect(table.stdout.trimEnd().split("\n").map(cells).slice(1)).toEqual(
      expect.arrayContaining([
        [`${a}.user`, first, "url", `no secret '${a}'`],
        [`${partial}.host`, first, "url", `secret '${partial}' has no key 'host'`],
        [`${b}.token`, second, "token", `no secret '${b}'`],
        [`${a}.password`, second, "again", `no secret '${a}'`],
      ]),
    );
    expect(table.stdout.trimEnd().split("\n")).toHaveLength(7);
    // At SECRET_EXISTS only the missing secrets are listed.
    const lenient = JSON.parse((await zs.run(["stack", "validate", name, "--level", "SECRET_EXISTS", "-o", "json"])).stdout) as WireValidation;
    expect(lenient.missing.map((m) => `${m.component}.${m.attribute}:${m.secret}.${m.key}`).sort()).toEqual(
      [`${first}.url:${a}.user`, `${first}.url:${a}.password`, `${second}.token:${b}.token`, `${second}.again:${a}.password`].sort(),
    );
  });

  it("ZS_SECRET_VALIDATION_LEVEL sets the default level; --level overrides it", async () => {
    const { name, secret } = await referencing();
    await zs.addSecret(secret, { other: "x" });
    expect(await zs.json(["stack", "validate", name], { env: { ZS_SECRET_VALIDATION_LEVEL: "SECRET_EXISTS" } })).toEqual({ level: "SECRET_EXISTS", valid: true, missing: [] });
    const overridden = await zs.run(["stack", "validate", name, "--level", "SECRET_AND_KEY_EXISTS"], { env: { ZS_SECRET_VALIDATION_LEVEL: "NONE" } });
    expect(overridden.code).toBe(1);
    expect(overridden.stderr).toBe(invalidMessage(name, "SECRET_AND_KEY_EXISTS", 1));
  });

  it("an invalid level is refused naming the three allowed: --level as a usage error, ZS_SECRET_VALIDATION_LEVEL as an error", async () => {
    const { name } = await referencing();
    for (const level of ["bogus", "none", ""]) {
      expectUsageError(await zs.run(["stack", "validate", name, "--level", level]), `Allowed choices are ${LEVELS}.`);
    }
    const result = await zs.run(["stack", "validate", name], { env: { ZS_SECRET_VALIDATION_LEVEL: "STRICT" } });
    expect(result).toMatchObject({ code: 1, stdout: "" });
    // Locally the store's settings refuse it; a server refuses the level the client sends.
    expect(result.stderr).toMatch(/^Error: .*'STRICT'/s);
    expect(result.stderr).toContain(LEVELS);
  });

  it("--workspace validates a stack of that workspace against that workspace's secrets, and the suggestion names it", async () => {
    const workspace = uniqueName("w");
    const secret = uniqueName("s");
    await zs.ok(["workspace", "create", workspace]);
    await zs.ok(["component", "register", "member", "--type", "t", "--flavor", "f", `--k={{${secret}.k}}`, "--workspace", workspace]);
    await zs.ok(["stack", "register", "app", "-c", "member", "--workspace", workspace]);
    // A secret of that name in the default workspace does not count.
    await zs.addSecret(secret, { k: "v" });
    const result = await zs.run(["stack", "validate", "app", "--workspace", workspace]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `Error: Stack 'app' is not valid at level SECRET_AND_KEY_EXISTS (1 missing reference). Register them with: zs stack register-secrets app --workspace ${workspace}\n`,
    );
    await zs.ok(["secret", "create", secret, "--k=v", "--workspace", workspace]);
    expect(await zs.json(["stack", "validate", "app", "--workspace", workspace])).toEqual({ level: "SECRET_AND_KEY_EXISTS", valid: true, missing: [] });
  });
});
