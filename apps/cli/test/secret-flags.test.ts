import { describe, expect, it } from "@jest/globals";
import { parse as parseYaml } from "yaml";
import { cells } from "./support/fixtures.js";
import { expectError, expectUsageError, notFound, uniqueName, useZsHarness, type WireSecret } from "./support/zs-process.js";

/** A secret's metadata as `get -o json` shows it, without the values. */
function metadataOf({ values: _values, ...metadata }: WireSecret): Omit<WireSecret, "values"> {
  return metadata;
}

describe("zs secret: -o on mutations, -s chooses which secret, list across workspaces, filter hints", () => {
  const zs = useZsHarness();

  it("create, update and rename -o json|yaml print the resulting secret's metadata and never a value", async () => {
    const name = uniqueName();
    const created = await zs.ok(["secret", "create", name, "--password=pw-create-9f2e", "--user=u-7c1d", "-o", "json"]);
    expect(created.stderr).toBe("");
    expect(JSON.parse(created.stdout)).toEqual(metadataOf(await zs.json<WireSecret>(["secret", "get", name])));
    expect(JSON.parse(created.stdout)).toMatchObject({ name, scope: "workspace", version: 1, keys: ["password", "user"] });

    const updated = await zs.ok(["secret", "update", name, "--password=pw-update-3a8b", "-r", "user", "-o", "yaml"]);
    expect(parseYaml(updated.stdout)).toEqual(metadataOf(await zs.json<WireSecret>(["secret", "get", name])));
    expect(parseYaml(updated.stdout)).toMatchObject({ version: 2, keys: ["password"] });

    const renamed = await zs.ok(["secret", "rename", name, "-n", `${name}-new`, "-o", "json"]);
    expect(JSON.parse(renamed.stdout)).toEqual(metadataOf(await zs.json<WireSecret>(["secret", "get", `${name}-new`])));

    const user = await zs.ok(["secret", "create", name, "-s", "user", "--k=pw-user-5e0c", "-o", "yaml"]);
    expect(parseYaml(user.stdout)).toMatchObject({ name, scope: "user", keys: ["k"] });
    for (const output of [created, updated, renamed, user]) {
      expect(output.stdout).not.toMatch(/pw-create-9f2e|u-7c1d|pw-update-3a8b|pw-user-5e0c|values/);
    }
  });

  it("-o with another format is a usage error that never echoes the value, and nothing is created or changed", async () => {
    const name = uniqueName();
    const refused = await zs.run(["secret", "create", name, "--k=v", "-o", "hunter2-8e3a"]);
    expectError(refused, "--output must be table, json or yaml.", 2);
    expectError(await zs.run(["secret", "get", name]), notFound(name));
    const before = await zs.createSecret(name, { k: "v" });
    expectError(await zs.run(["secret", "update", name, "--k=w", "--output=env"]), "--output must be table, json or yaml.", 2);
    expectUsageError(await zs.run(["secret", "rename", name, "-n", "x", "-o", "env"]), "--output must be table, json or yaml.");
    expect(await zs.json<WireSecret>(["secret", "get", name])).toEqual(before);
  });

  it("-s chooses between a user-scoped and a workspace secret of the same name on update, export, rename and delete", async () => {
    const name = uniqueName();
    const shared = await zs.createSecret(name, { k: "shared" });
    const mine = await zs.createSecret(name, { k: "mine" }, "user");

    await zs.ok(["secret", "update", name, "-s", "workspace", "--k=shared-2"]);
    expect(await zs.json<WireSecret>(["secret", "get", name, "-s", "user"])).toEqual(mine);
    expect((await zs.ok(["secret", "export", name, "--scope", "workspace", "-f", "-", "--format", "json"])).stdout).toBe('{\n  "k": "shared-2"\n}\n');
    expect(JSON.parse((await zs.ok(["secret", "export", name, "-s", "user", "-f", "-", "--format", "json"])).stdout)).toEqual({ k: "mine" });

    await zs.ok(["secret", "rename", name, "-s", "workspace", "-n", `${name}-shared`]);
    expect((await zs.json<WireSecret>(["secret", "get", `${name}-shared`])).id).toBe(shared.id);
    expect((await zs.json<WireSecret>(["secret", "get", name])).id).toBe(mine.id);

    await zs.ok(["secret", "create", name, "--k=shared-again"]);
    await zs.ok(["secret", "delete", name, "-s", "user", "-y"]);
    expectError(await zs.run(["secret", "get", name, "-s", "user"]), `No secret with name, id or id prefix '${name}' in workspace 'default' (scope user).`);
    expect(await zs.values(name)).toEqual({ k: "shared-again" });
  });

  it("update -s with nothing to change is a usage error pointing at --new-scope; a bad --new-scope is refused; nothing changes", async () => {
    const name = uniqueName();
    const before = await zs.createSecret(name, { k: "v" });
    expectError(
      await zs.run(["secret", "update", name, "-s", "user"]),
      "Nothing to update: give --KEY=VALUE, --values, -i, -r KEY or --new-scope (-s/--scope only chooses which secret; --new-scope SCOPE moves it).",
      2,
    );
    expectError(await zs.run(["secret", "update", name, "--new-scope", "global"]), "--new-scope must be workspace or user.", 2);
    expectError(await zs.run(["secret", "delete", name, "-s", "everyone", "-y"]), "--scope must be workspace or user.", 2);
    expect(await zs.json<WireSecret>(["secret", "get", name])).toEqual(before);
  });

  it("list --workspace '*' (or a filter matching several) shows a WORKSPACE column; a list of one workspace does not", async () => {
    const workspace = uniqueName("ws");
    await zs.ok(["workspace", "create", workspace]);
    const name = uniqueName("everywhere");
    await zs.addSecret(name, { k: "v" });
    await zs.ok(["secret", "create", name, "--workspace", workspace, "--k=v"]);

    const all = (await zs.ok(["secret", "list", "--workspace", "*", "--name", name])).stdout.split("\n").map(cells);
    expect(all[0]).toEqual(["NAME", "ID", "SCOPE", "WORKSPACE", "KEYS", "UPDATED"]);
    expect(all.slice(1, 3).map((row) => row[3]).sort()).toEqual(["default", workspace].sort());
    const filtered = (await zs.ok(["secret", "list", "--workspace", `endswith:${workspace.slice(-8)}`])).stdout.split("\n").map(cells);
    expect(filtered[0]).toContain("WORKSPACE");
    expect(filtered[1]?.[3]).toBe(workspace);
    const one = (await zs.ok(["secret", "list", "--workspace", workspace])).stdout.split("\n").map(cells);
    expect(one[0]).toEqual(["NAME", "ID", "SCOPE", "KEYS", "UPDATED"]);
  });

  it("a filter whose prefix looks like a misspelt operator means the literal value, with a hint on stderr", async () => {
    const name = uniqueName("db");
    await zs.addSecret(name, { k: "v" });
    expect(await zs.run(["secret", "list", "--name", "contans:db"])).toEqual({
      code: 0,
      stdout: "No secrets found.\n",
      stderr: "Hint: --name: 'contans' is not an operator; did you mean 'contains:'? Matching the literal value.\n",
    });
    expect((await zs.run(["secret", "list", "--name", "StartsWith:db", "-o", "json"])).stderr).toBe(
      "Hint: --name: 'StartsWith' is not an operator; did you mean 'startswith:'? Matching the literal value.\n",
    );
    const date = await zs.run(["secret", "list", "--created", "gtee:2026-01-01"]);
    expect(date.code).toBe(1);
    expect(date.stderr).toMatch(/^Hint: --created: 'gtee' is not an operator; did you mean 'gte:'\? Matching the literal value\.\nError: /);

    // A real operator, and a prefix far from any operator: no hint.
    for (const filter of [["--name", "contains:db"], ["--name", "db:prod"]]) {
      expect((await zs.ok(["secret", "list", ...filter])).stderr).toBe("");
    }
  });
});
