import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { parse as parseYaml } from "yaml";
import { ISO_MS, NAME_RULE, UUID_V4, cells } from "./support/fixtures.js";
import { HARNESS_FACTORIES, expectError, localHarness, notFound, uniqueName, useZsHarness, type DescribeHarness, type WirePage, type WireSecret } from "./support/zs-process.js";

interface WireWorkspace {
  id: string;
  name: string;
  created: string;
}

/** `workspace list` as rows of cells, after checking its header. */
async function workspaceRows(zs: DescribeHarness, ...args: string[]): Promise<string[][]> {
  const result = await zs.ok(["workspace", "list", ...args]);
  const [header, ...rows] = result.stdout.split("\n");
  expect(cells(header!)).toEqual(["NAME", "ID", "CREATED"]);
  expect(rows.pop()).toBe("");
  return rows.map(cells);
}

async function activeWorkspace(zs: DescribeHarness, ...args: string[]): Promise<string> {
  return (await zs.json<{ workspace: string }>(["status", ...args])).workspace;
}

describe.each(HARNESS_FACTORIES)("zs workspace ($mode)", (factory) => {
  const zs = useZsHarness(factory);

  it("a fresh store has workspace 'default', marked active with *", async () => {
    const rows = await workspaceRows(zs);
    expect(rows).toHaveLength(1);
    expect(rows[0]![0]).toBe("default *");
    expect(rows[0]![1]).toMatch(UUID_V4);
    expect(rows[0]![2]).toMatch(ISO_MS);
    const listed = await zs.json<WireWorkspace[]>(["workspace", "list"]);
    expect(listed).toEqual([{ id: rows[0]![1], name: "default", created: rows[0]![2] }]);
    expect(parseYaml((await zs.ok(["workspace", "list", "-o", "yaml"])).stdout)).toEqual(listed);
  });

  it("create adds a workspace; a second one of that name, or an invalid name, is refused", async () => {
    const name = uniqueName("ws");
    expect(await zs.run(["workspace", "create", name])).toEqual({ code: 0, stdout: `Workspace '${name}' created.\n`, stderr: "" });
    expect((await zs.json<WireWorkspace[]>(["workspace", "list"])).map((w) => w.name)).toContain(name);
    expectError(await zs.run(["workspace", "create", name]), `Workspace '${name}' already exists.`);
    expectError(await zs.run(["workspace", "create", "bad.name"]), `Invalid workspace: name: ${NAME_RULE}.`);
  });

  it("set makes a workspace active for later invocations; secrets are created and found there", async () => {
    const name = uniqueName("ws");
    const secret = uniqueName();
    await zs.ok(["workspace", "create", name]);
    expect(await zs.run(["workspace", "set", name])).toEqual({ code: 0, stdout: `Workspace '${name}' is now active.\n`, stderr: "" });
    try {
      expect(await activeWorkspace(zs)).toBe(name);
      expect((await workspaceRows(zs)).map((row) => row[0])).toEqual(expect.arrayContaining(["default", `${name} *`]));
      await zs.ok(["secret", "create", secret, "--k=v"]);
      expect(await zs.json<WireSecret>(["secret", "get", secret])).toMatchObject({ workspace: name, values: { k: "v" } });
      expect((await zs.json<WirePage<WireSecret>>(["secret", "list"])).items.map((s) => s.name)).toEqual([secret]);
      expectError(await zs.run(["secret", "get", secret, "--workspace", "default"]), notFound(secret, "default"));
    } finally {
      await zs.ok(["workspace", "set", "default"]);
    }
    expectError(await zs.run(["secret", "get", secret]), notFound(secret, "default"));
  });

  it("set refuses a workspace that does not exist and keeps the active one", async () => {
    expectError(await zs.run(["workspace", "set", "no-such-ws"]), "No workspace named 'no-such-ws'.");
    expect(await activeWorkspace(zs)).toBe("default");
  });

  it("--workspace W acts in W for one call only", async () => {
    const name = uniqueName("ws");
    const secret = uniqueName();
    await zs.ok(["workspace", "create", name]);
    await zs.ok(["secret", "create", secret, "--workspace", name, "--k=there"]);
    expectError(await zs.run(["secret", "get", secret]), notFound(secret));
    expect(await zs.values(secret, "--workspace", name)).toEqual({ k: "there" });
    await zs.ok(["secret", "update", secret, "--workspace", name, "--k=updated"]);
    await zs.ok(["secret", "rename", secret, "--workspace", name, "-n", `${secret}-2`]);
    expect((await zs.ok(["secret", "export", `${secret}-2`, "--workspace", name, "--format", "json"])).stdout).toContain("exported");
    expect(JSON.parse(await zs.readFile(`${secret}-2.json`))).toEqual({ k: "updated" });
    expect(await activeWorkspace(zs, "--workspace", name)).toBe(name);
    expect((await workspaceRows(zs, "--workspace", name)).map((row) => row[0])).toContain(`${name} *`);
    await zs.ok(["secret", "delete", `${secret}-2`, "--workspace", name, "-y"]);
    expect(await activeWorkspace(zs)).toBe("default");
    expectError(await zs.run(["secret", "get", secret, "--workspace", "no-such-ws"]), "No workspace named 'no-such-ws'.");
  });

  it("ZS_WORKSPACE overrides the active workspace; --workspace overrides ZS_WORKSPACE", async () => {
    const name = uniqueName("ws");
    const secret = uniqueName();
    await zs.ok(["workspace", "create", name]);
    const env = { ZS_WORKSPACE: name };
    await zs.ok(["secret", "create", secret, "--k=env"], { env });
    expect(await zs.json<WireSecret>(["secret", "get", secret], { env })).toMatchObject({ workspace: name });
    expect(await activeWorkspace(zs, "--workspace", "default")).toBe("default");
    expect((await zs.json<{ workspace: string }>(["status"], { env })).workspace).toBe(name);
    expectError(await zs.run(["secret", "get", secret, "--workspace", "default"], { env }), notFound(secret, "default"));
    expectError(await zs.run(["secret", "get", secret]), notFound(secret));
    expectError(await zs.run(["secret", "create", uniqueName(), "--k=v"], { env: { ZS_WORKSPACE: "no-such-ws" } }), "No workspace named 'no-such-ws'.");
  });

  it("delete without -y and without a terminal refuses (exit 2) and deletes nothing", async () => {
    const name = uniqueName("ws");
    await zs.ok(["workspace", "create", name]);
    expectError(await zs.run(["workspace", "delete", name]), "Not deleting without confirmation: pass -y/--yes (there is no terminal to ask on).", 2);
    expect((await zs.json<WireWorkspace[]>(["workspace", "list"])).map((w) => w.name)).toContain(name);
  });

  it("delete -y deletes the workspace and every secret in it", async () => {
    const name = uniqueName("ws");
    const secret = uniqueName();
    await zs.ok(["workspace", "create", name]);
    await zs.ok(["secret", "create", secret, "--workspace", name, "--k=v"]);
    expect(await zs.run(["workspace", "delete", name, "-y"])).toEqual({ code: 0, stdout: `Workspace '${name}' deleted.\n`, stderr: "" });
    expect((await zs.json<WireWorkspace[]>(["workspace", "list"])).map((w) => w.name)).not.toContain(name);
    await zs.ok(["workspace", "create", name]);
    expect((await zs.ok(["secret", "list", "--workspace", name])).stdout).toBe("No secrets found.\n");
    expect((await zs.ok(["secret", "list", "--workspace", "*", "--name", secret])).stdout).toBe("No secrets found.\n");
  });

  it("deleting the active workspace makes 'default' active again", async () => {
    const name = uniqueName("ws");
    await zs.ok(["workspace", "create", name]);
    await zs.ok(["workspace", "set", name]);
    await zs.ok(["workspace", "delete", name, "--yes"]);
    expect(await activeWorkspace(zs)).toBe("default");
    expect((await workspaceRows(zs)).map((row) => row[0])).toContain("default *");
  });

  it("refuses to delete 'default' or a workspace that does not exist", async () => {
    expectError(await zs.run(["workspace", "delete", "default", "-y"]), "Workspace 'default' cannot be deleted.");
    expectError(await zs.run(["workspace", "delete", "no-such-ws", "-y"]), "No workspace named 'no-such-ws'.");
  });
});

// Status reports where local mode keeps its store; remote mode's status (server URL) has its own tests.
describe("zs status (local)", () => {
  const zs = useZsHarness(localHarness);

  it("shows mode local with the home, user default, the active workspace and store sql", async () => {
    const result = await zs.ok(["status"]);
    expect(result.stderr).toBe("");
    const rows = result.stdout.split("\n").filter(Boolean).map(cells);
    expect(rows.map((row) => row[0])).toEqual(["Mode", "User", "Workspace", "Store"]);
    expect(rows[0]![1]).toBe(`local (${zs.home})`);
    expect(rows[1]![1]).toBe("default");
    expect(rows[2]![1]).toBe("default");
    expect(rows[3]![1]).toMatch(/^sql \(.*\)$/);
  });

  it("-o json and -o yaml give mode, home, user, workspace and store", async () => {
    const status = await zs.json<Record<string, unknown>>(["status"]);
    expect(status).toEqual({ mode: "local", home: zs.home, user: "default", workspace: "default", store: { type: "sql", capabilities: expect.any(Object) } });
    expect(parseYaml((await zs.ok(["status", "-o", "yaml"])).stdout)).toEqual(status);
  });

  it("shows the workspace chosen by set, ZS_WORKSPACE or --workspace", async () => {
    await zs.ok(["workspace", "create", "chosen"]);
    await zs.ok(["workspace", "set", "chosen"]);
    try {
      expect(await activeWorkspace(zs)).toBe("chosen");
      expect((await zs.ok(["status"])).stdout).toMatch(/^Workspace +chosen$/m);
      expect((await zs.json<{ workspace: string }>(["status"], { env: { ZS_WORKSPACE: "default" } })).workspace).toBe("default");
      expect(await activeWorkspace(zs, "--workspace", "default")).toBe("default");
    } finally {
      await zs.ok(["workspace", "set", "default"]);
    }
  });

  it("keeps the store in ZS_HOME (a 0600 key beside zs.db) and the active workspace in a 0600 file under XDG_CONFIG_HOME", async () => {
    await zs.ok(["workspace", "set", "default"]);
    const home = zs.home!;
    expect((await stat(path.join(home, "zs.db"))).isFile()).toBe(true);
    expect((await stat(path.join(home, "encryption.key"))).mode & 0o777).toBe(0o600);
    const settings = path.join(zs.env.XDG_CONFIG_HOME!, "zs", "config.json");
    expect((await stat(settings)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(settings, "utf8"))).toEqual({ workspace: "default" });
  });
});
