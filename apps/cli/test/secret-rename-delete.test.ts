import { describe, expect, it } from "@jest/globals";
import { NAME_RULE } from "./support/fixtures.js";
import { HARNESS_FACTORIES, expectError, expectUsageError, notFound, uniqueName, useZsHarness, type WireSecret } from "./support/zs-process.js";

const NO_CONFIRMATION = "Not deleting without confirmation: pass -y/--yes (there is no terminal to ask on).";

describe.each(HARNESS_FACTORIES)("zs secret rename ($mode)", (factory) => {
  const zs = useZsHarness(factory);

  it("renames: 'Secret 'A' renamed to 'B'.', same id and values, version +1", async () => {
    const from = uniqueName("a");
    const to = uniqueName("b");
    const before = await zs.createSecret(from, { k: "v", e: "" });
    expect(await zs.run(["secret", "rename", from, "-n", to])).toEqual({ code: 0, stdout: `Secret '${from}' renamed to '${to}'.\n`, stderr: "" });
    expectError(await zs.run(["secret", "get", from]), notFound(from));
    const after = await zs.json<WireSecret>(["secret", "get", to]);
    expect(after).toMatchObject({ id: before.id, name: to, version: 2, values: { k: "v", e: "" }, created: before.created });
  });

  it("renames by id prefix, with --new-name", async () => {
    const from = uniqueName("a");
    const to = uniqueName("b");
    const { id } = await zs.createSecret(from, { k: "v" });
    expect((await zs.ok(["secret", "rename", id.slice(0, 8), "--new-name", to])).stdout).toBe(`Secret '${from}' renamed to '${to}'.\n`);
    expect((await zs.json<WireSecret>(["secret", "get", to])).id).toBe(id);
  });

  it("refuses a name already taken in the scope, changing neither secret", async () => {
    const a = uniqueName("a");
    const b = uniqueName("b");
    const first = await zs.createSecret(a, { k: "a" });
    const second = await zs.createSecret(b, { k: "b" });
    expectError(await zs.run(["secret", "rename", a, "-n", b]), `A workspace-scoped secret named '${b}' already exists in workspace 'default'.`);
    expect(await zs.json<WireSecret>(["secret", "get", a])).toEqual(first);
    expect(await zs.json<WireSecret>(["secret", "get", b])).toEqual(second);
  });

  it("may give a user-scoped secret the name of a workspace-scoped one", async () => {
    const shared = uniqueName("a");
    const mine = uniqueName("b");
    await zs.addSecret(shared, { k: "shared" });
    await zs.addSecret(mine, { k: "mine" }, "user");
    await zs.ok(["secret", "rename", mine, "-n", shared]);
    expect(await zs.values(shared)).toEqual({ k: "mine" });
    expect(await zs.values(shared, "-s", "workspace")).toEqual({ k: "shared" });
  });

  it("refuses an invalid new name, a missing secret, and a missing -n", async () => {
    const name = uniqueName();
    await zs.addSecret(name, { k: "v" });
    expectError(await zs.run(["secret", "rename", name, "-n", "bad.name"]), `Invalid update: name: ${NAME_RULE}.`);
    expectError(await zs.run(["secret", "rename", "no-such-secret", "-n", uniqueName()]), notFound("no-such-secret"));
    expectUsageError(await zs.run(["secret", "rename", name]), "required option '-n, --new-name <name>' not specified");
    expect(await zs.values(name)).toEqual({ k: "v" });
  });
});

describe.each(HARNESS_FACTORIES)("zs secret delete ($mode)", (factory) => {
  const zs = useZsHarness(factory);

  it("without -y and without a terminal refuses (exit 2) and deletes nothing", async () => {
    const name = uniqueName();
    await zs.addSecret(name, { k: "v" });
    expectError(await zs.run(["secret", "delete", name]), NO_CONFIRMATION, 2);
    expectError(await zs.run(["secret", "delete", name], { input: "y\n" }), NO_CONFIRMATION, 2);
    expect(await zs.values(name)).toEqual({ k: "v" });
  });

  it("-y deletes: 'Secret 'N' deleted.' and how to recover it until when, then it is gone", async () => {
    const name = uniqueName();
    const { id } = await zs.createSecret(name, { k: "v" });
    const deleted = await zs.run(["secret", "delete", name, "-y"]);
    expect(deleted).toEqual({ code: 0, stdout: expect.stringMatching(new RegExp(`^Secret '${name}' deleted\\.\nIt can be recovered until \\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z: zs secret recover ${id}\n$`)), stderr: "" });
    expectError(await zs.run(["secret", "get", name]), notFound(name));
    expect((await zs.ok(["secret", "list", "--name", name])).stdout).toBe("No secrets found.\n");
  });

  it("--yes deletes by full id or id prefix", async () => {
    const a = uniqueName();
    const b = uniqueName();
    const first = await zs.createSecret(a, { k: "v" });
    const second = await zs.createSecret(b, { k: "v" });
    expect((await zs.ok(["secret", "delete", first.id, "--yes"])).stdout).toMatch(new RegExp(`^Secret '${a}' deleted\\.\n`));
    expect((await zs.ok(["secret", "delete", second.id.slice(0, 8), "--yes"])).stdout).toMatch(new RegExp(`^Secret '${b}' deleted\\.\n`));
    expectError(await zs.run(["secret", "get", first.id]), notFound(first.id));
  });

  it("deletes the user-scoped secret first when both scopes hold the name", async () => {
    const name = uniqueName();
    await zs.addSecret(name, { k: "shared" });
    await zs.addSecret(name, { k: "mine" }, "user");
    await zs.ok(["secret", "delete", name, "-y"]);
    expect(await zs.json<WireSecret>(["secret", "get", name])).toMatchObject({ scope: "workspace", values: { k: "shared" } });
  });

  it("a name freed by delete can be created again", async () => {
    const name = uniqueName();
    const first = await zs.createSecret(name, { k: "1" });
    await zs.ok(["secret", "delete", name, "-y"]);
    const second = await zs.createSecret(name, { k: "2" });
    expect(second.id).not.toBe(first.id);
    expect(second).toMatchObject({ version: 1, values: { k: "2" } });
  });

  it("reports a missing secret with model.md's message, exit 1", async () => {
    expectError(await zs.run(["secret", "delete", "no-such-secret", "-y"]), notFound("no-such-secret"));
    expectError(await zs.run(["secret", "delete", "no-such-secret"]), notFound("no-such-secret"));
  });
});
