import { describe, expect, it } from "@jest/globals";
import { parseSecretOutput } from "./support/fixtures.js";
import { HARNESS_FACTORIES, expectError, notFound, uniqueName, useZsHarness, type WireSecret } from "./support/zs-process.js";

describe.each(HARNESS_FACTORIES)("zs secret update ($mode)", (factory) => {
  const zs = useZsHarness(factory);

  it("sets new keys, overwrites given ones and keeps the others; version +1, updated moves", async () => {
    const name = uniqueName();
    const before = await zs.createSecret(name, { keep: "kept", change: "old", empty: "" });
    await zs.ok(["secret", "update", name, "--change=new", "--added=a=b"]);
    const after = await zs.json<WireSecret>(["secret", "get", name]);
    expect(after.values).toEqual({ keep: "kept", change: "new", empty: "", added: "a=b" });
    expect(after.keys).toEqual(["added", "change", "empty", "keep"]);
    expect(after).toMatchObject({ id: before.id, name, version: 2, created: before.created });
    expect(Date.parse(after.updated)).toBeGreaterThan(Date.parse(before.updated));
  });

  it("prints the secret with values masked and 'Secret 'N' updated.'", async () => {
    const name = uniqueName();
    await zs.addSecret(name, { a: "1" });
    const result = await zs.ok(["secret", "update", name, "--b=visible-nowhere"]);
    expect(result.stderr).toBe("");
    const printed = parseSecretOutput(result.stdout);
    expect(printed.about.slice(0, 5)).toEqual([name, expect.any(String), "workspace", "default", "2"]);
    expect(printed.rows).toEqual([["a", "***"], ["b", "***"]]);
    expect(printed.trailer).toEqual([`Secret '${name}' updated.`]);
    expect(result.stdout).not.toContain("visible-nowhere");
  });

  it("keeps empty string values, and sets a value to the empty string", async () => {
    const name = uniqueName();
    await zs.addSecret(name, { empty: "", full: "x" });
    await zs.ok(["secret", "update", name, "--other=y"]);
    await zs.ok(["secret", "update", name, "--full="]);
    expect(await zs.values(name)).toEqual({ empty: "", full: "", other: "y" });
  });

  it("-r KEY removes a key; -r / --remove-keys repeat", async () => {
    const name = uniqueName();
    await zs.addSecret(name, { a: "1", b: "2", c: "3", d: "4" });
    await zs.ok(["secret", "update", name, "-r", "a"]);
    expect(await zs.values(name)).toEqual({ b: "2", c: "3", d: "4" });
    await zs.ok(["secret", "update", name, "-r", "b", "--remove-keys", "c", "--e=5"]);
    expect(await zs.values(name)).toEqual({ d: "4", e: "5" });
  });

  it("refuses to remove a key the secret does not have, and changes nothing", async () => {
    const name = uniqueName();
    const before = await zs.createSecret(name, { a: "1" });
    expectError(await zs.run(["secret", "update", name, "-r", "nope"]), `Cannot remove key 'nope' from secret '${name}': no such key.`);
    expectError(await zs.run(["secret", "update", name, "--b=2", "-r", "a", "-r", "nope"]), `Cannot remove key 'nope' from secret '${name}': no such key.`);
    expect(await zs.json<WireSecret>(["secret", "get", name])).toEqual(before);
  });

  it("refuses a key that is both set and removed, and changes nothing", async () => {
    const name = uniqueName();
    const before = await zs.createSecret(name, { a: "1", b: "2" });
    expectError(await zs.run(["secret", "update", name, "--a=9", "-r", "a"]), `Key 'a' of secret '${name}' cannot be both set and removed.`);
    expectError(await zs.run(["secret", "update", name, "--values", '{"b":"9"}', "-r", "b"]), `Key 'b' of secret '${name}' cannot be both set and removed.`);
    expect(await zs.json<WireSecret>(["secret", "get", name])).toEqual(before);
  });

  it("takes --values (JSON, YAML, dotenv, @file) merged over pairs, then merged into the secret", async () => {
    const name = uniqueName();
    await zs.addSecret(name, { keep: "k", a: "old" });
    await zs.ok(["secret", "update", name, "--a=pair", "--values", '{"a":"json","b":"json"}']);
    expect(await zs.values(name)).toEqual({ keep: "k", a: "json", b: "json" });
    await zs.ok(["secret", "update", name, "--values", "c: 1.10\n"]);
    await zs.ok(["secret", "update", name, "--values", "d='x y'\n"]);
    await zs.writeFile("update.env", "e=from-file\n");
    await zs.ok(["secret", "update", name, "-v", "@update.env", "--f=@update.env"]);
    expect(await zs.values(name)).toEqual({ keep: "k", a: "json", b: "json", c: "1.10", d: "x y", e: "from-file", f: "e=from-file\n" });
  });

  it("--new-scope moves a secret between scopes; -s only chooses which secret", async () => {
    const name = uniqueName();
    const created = await zs.createSecret(name, { k: "v" });
    await zs.ok(["secret", "update", name, "--new-scope", "user"]);
    expect(await zs.json<WireSecret>(["secret", "get", name, "-s", "user"])).toMatchObject({ id: created.id, scope: "user", version: 2, values: { k: "v" } });
    expectError(await zs.run(["secret", "get", name, "-s", "workspace"]), `No secret with name, id or id prefix '${name}' in workspace 'default' (scope workspace).`);
    const selected = await zs.run(["secret", "update", name, "-s", "workspace", "--k2=v2"]);
    expect(selected).toMatchObject({ code: 1, stdout: "" });
    expect(selected.stderr).toBe(
      "Hint: -s/--scope chooses which secret to update; to move a secret to another scope, use --new-scope.\n" +
        `Error: No secret with name, id or id prefix '${name}' in workspace 'default' (scope workspace).\n`,
    );
    await zs.ok(["secret", "update", name, "-s", "user", "--new-scope", "workspace", "--k2=v2"]);
    expect(await zs.json<WireSecret>(["secret", "get", name, "-s", "workspace"])).toMatchObject({ id: created.id, scope: "workspace", version: 3, values: { k: "v", k2: "v2" } });
  });

  it("refuses a scope change onto a name taken in that scope, and changes nothing", async () => {
    const name = uniqueName();
    const shared = await zs.createSecret(name, { from: "workspace" });
    const mine = await zs.createSecret(name, { from: "user" }, "user");
    expectError(
      await zs.run(["secret", "update", name, "--new-scope", "workspace"]),
      `A workspace-scoped secret named '${name}' already exists in workspace 'default'.`,
    );
    expect(await zs.json<WireSecret>(["secret", "get", name, "-s", "user"])).toEqual(mine);
    expect(await zs.json<WireSecret>(["secret", "get", name, "-s", "workspace"])).toEqual(shared);
  });

  it("updates the user-scoped secret first when both scopes hold the name; by id, the other", async () => {
    const name = uniqueName();
    const shared = await zs.createSecret(name, { k: "shared" });
    await zs.addSecret(name, { k: "mine" }, "user");
    await zs.ok(["secret", "update", name, "--k=mine-2"]);
    await zs.ok(["secret", "update", shared.id.slice(0, 8), "--k=shared-2"]);
    expect(await zs.values(name, "-s", "user")).toEqual({ k: "mine-2" });
    expect(await zs.values(name, "-s", "workspace")).toEqual({ k: "shared-2" });
  });

  it("with nothing to update is a usage error (exit 2)", async () => {
    const name = uniqueName();
    const before = await zs.createSecret(name, { k: "v" });
    expectError(await zs.run(["secret", "update", name]), "Nothing to update: give --KEY=VALUE, --values, -i, -r KEY or --new-scope.", 2);
    expectError(await zs.run(["secret", "update", name, "--values", "{}"]), "Nothing to update: give --KEY=VALUE, --values, -i, -r KEY or --new-scope.", 2);
    expect(await zs.json<WireSecret>(["secret", "get", name])).toEqual(before);
  });

  it("-i without a terminal is a usage error", async () => {
    const name = uniqueName();
    await zs.addSecret(name, { k: "v" });
    expectError(await zs.run(["secret", "update", name, "-i"]), "-i/--interactive needs a terminal.", 2);
    expectError(await zs.run(["secret", "update", name, "-i", "--k=x"]), "-i/--interactive cannot be combined with --KEY=VALUE or --values.", 2);
    expect(await zs.values(name)).toEqual({ k: "v" });
  });

  it("reports a missing secret with model.md's message, exit 1", async () => {
    expectError(await zs.run(["secret", "update", "no-such-secret", "--k=v"]), notFound("no-such-secret"));
    expectError(await zs.run(["secret", "update", "no-such-secret", "-r", "k"]), notFound("no-such-secret"));
  });

  it("refuses an @file that does not exist, naming the path, and changes nothing", async () => {
    const name = uniqueName();
    await zs.addSecret(name, { k: "v" });
    expectError(await zs.run(["secret", "update", name, "--k=@missing.txt"]), "Cannot read 'missing.txt': no such file.");
    expect(await zs.values(name)).toEqual({ k: "v" });
  });
});
