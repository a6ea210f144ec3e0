import { mkdir, symlink } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "@jest/globals";
import { cells } from "./support/fixtures.js";
import { HARNESS_FACTORIES, expectError, expectUsageError, uniqueName, useZsHarness, type WirePage, type WireSecret } from "./support/zs-process.js";

/** Values that `history` and a `diff` without --show-values must never print. */
const FIXTURE = "cli-history-fixture-91b3";
const value = (n: number) => `${FIXTURE}-${n}`;

interface WireEntry {
  version: number;
  time: string;
  actor: string;
  action: string;
  keys_added: string[];
  keys_removed: string[];
  keys_changed: string[];
  restored_version?: number;
}

describe.each(HARNESS_FACTORIES)("zs secret history, get --version, rollback and diff ($mode)", (factory) => {
  const zs = useZsHarness(factory);
  let name: string;

  beforeAll(async () => {
    name = uniqueName("db");
    await zs.ok(["secret", "create", name, `--password=${value(1)}`, "--user=app"]);
    for (let n = 2; n <= 12; n++) await zs.ok(["secret", "update", name, `--password=${value(n)}`]);
  });

  it("history lists every version newest first, with who, how and which keys, never a value", async () => {
    const table = await zs.ok(["secret", "history", name, "--size", "3"]);
    const lines = table.stdout.trimEnd().split("\n");
    expect(cells(lines[0]!)).toEqual(["VERSION", "TIME", "ACTOR", "ACTION", "ADDED", "REMOVED", "CHANGED"]);
    expect(cells(lines[1]!)).toEqual(["12", expect.any(String), zs.user, "merge", "password"]);
    expect(lines.at(-1)).toBe("Page 1/4, 12 versions.");
    expect(table.stdout).not.toContain(FIXTURE);
    const page = await zs.json<WirePage<WireEntry>>(["secret", "history", name, "--page", "4", "--size", "3"]);
    expect(page).toMatchObject({ index: 4, max_size: 3, total_pages: 4, total: 12 });
    expect(page.items.at(-1)).toEqual({
      version: 1,
      time: expect.any(String),
      actor: zs.user,
      action: "create",
      keys_added: ["password", "user"],
      keys_removed: [],
      keys_changed: [],
    });
  });

  it("get --version N prints that version's values; the last 10 earlier versions are kept", async () => {
    for (const n of [2, 7, 11, 12]) {
      const old = await zs.json<{ version: number; current_version: number; values: Record<string, string> }>(["secret", "get", name, "--version", String(n)]);
      expect(old).toMatchObject({ name, version: n, current_version: 12, values: { password: value(n), user: "app" } });
    }
    const table = await zs.ok(["secret", "get", name, "--version", "3"]);
    expect(table.stdout).toMatch(new RegExp(`^password\\s+${value(3)}$`, "m"));
    const pruned = await zs.run(["secret", "get", name, "--version", "1"]);
    expect(pruned.code).toBe(1);
    expect(pruned.stderr).toMatch(/^Error: The values of version 1 of secret '.*' are not available: they were pruned; zs keeps the last 10 earlier value versions/);
  });

  it("diff shows key names only by default, and values only with --show-values", async () => {
    const plain = await zs.ok(["secret", "diff", name, "--from", "4", "--to", "9"]);
    expect(plain.stdout).toBe(`Secret '${name}', version 4 and version 9:\nKEY       CHANGE\npassword  changed\n`);
    const shown = await zs.ok(["secret", "diff", name, "--from", "4", "--to", "9", "--show-values"]);
    expect(shown.stdout).toContain(value(4));
    expect(shown.stdout).toContain(value(9));
    const latest = await zs.json<{ from: number; to: number; changed: string[]; values?: unknown }>(["secret", "diff", name]);
    expect(latest).toEqual({ id: expect.any(String), name, from: 11, to: 12, added: [], removed: [], changed: ["password"] });
    const created = await zs.json<{ added: string[] }>(["secret", "diff", name, "--from", "0", "--to", "2"]);
    expect(created.added).toEqual(["password", "user"]);
  });

  it("rollback --to N writes version N's values as a new version; --if-version guards it", async () => {
    const stale = await zs.run(["secret", "rollback", name, "--to", "5", "--if-version", "11"]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/is at version 12, not 11/);
    const rolled = await zs.ok(["secret", "rollback", name, "--to", "5", "--if-version", "12"]);
    expect(rolled.stdout).toBe(`Secret '${name}' rolled back to the values of version 5; it is now at version 13.\n`);
    expect(await zs.values(name)).toEqual({ password: value(5), user: "app" });
    const [entry] = (await zs.json<WirePage<WireEntry>>(["secret", "history", name, "--size", "1"])).items;
    expect(entry).toMatchObject({ version: 13, action: "rollback", restored_version: 5, keys_changed: ["password"] });
  });

  it("bad input: clear errors, nothing changed", async () => {
    const before = await zs.json<WireSecret>(["secret", "get", name]);
    expectUsageError(await zs.run(["secret", "get", name, "--version", "0"]), "--version must be a version number (a whole number from 1), not '0'.");
    expectUsageError(await zs.run(["secret", "get", name, "--version", "x"]), "--version must be a version number");
    expectUsageError(await zs.run(["secret", "rollback", name, "--to", "-1"]), "--to");
    expectUsageError(await zs.run(["secret", "rollback", name]), "required option '--to <n>' not specified");
    expectUsageError(await zs.run(["secret", "diff", name, "--to", "1.5"]), "--to must be a version number");
    expectError(await zs.run(["secret", "rollback", name, "--to", "99"]), `Secret '${name}' has no version 99: its versions are 1 to 13.`);
    expectError(await zs.run(["secret", "rollback", name, "--to", "13"]), `Secret '${name}' is at version 13 already; nothing to roll back.`);
    expectError(await zs.run(["secret", "get", name, "--version", "14"]), `Secret '${name}' has no version 14: its versions are 1 to 13.`);
    const pruned = await zs.run(["secret", "rollback", name, "--to", "1"]);
    expect(pruned.code).toBe(1);
    expect(pruned.stderr).toMatch(/pruned/);
    expectError(await zs.run(["secret", "history", "no-such-secret"]), "No secret with name, id or id prefix 'no-such-secret' in workspace 'default'.");
    expect(await zs.json<WireSecret>(["secret", "get", name])).toEqual(before);
    expect((await zs.json<WirePage<WireEntry>>(["secret", "history", name])).total).toBe(13);
  });
});

describe("zs secret history with the custom store example (no versioned capability)", () => {
  const zs = useZsHarness();
  const env = { ZS_SECRETS_STORE_TYPE: "@zs-examples/file-store", ZS_SECRETS_STORE_DIRECTORY: "values" };

  beforeAll(async () => {
    await mkdir(path.join(zs.workDir, "node_modules", "@zs-examples"), { recursive: true });
    await symlink(path.resolve(__dirname, "..", "..", "..", "examples", "custom-store"), path.join(zs.workDir, "node_modules", "@zs-examples", "file-store"), "dir");
  });

  it("keeps the history entries, answers HISTORY_UNAVAILABLE for earlier values, and diff still names the keys of one change", async () => {
    const name = uniqueName("filed");
    await zs.ok(["secret", "create", name, `--k=${value(1)}`], { env });
    await zs.ok(["secret", "update", name, `--k=${value(2)}`, "--extra=x"], { env });
    const page = await zs.json<WirePage<WireEntry>>(["secret", "history", name], { env });
    expect(page.items.map((entry) => entry.action)).toEqual(["merge", "create"]);
    const unavailable = "The values of version 1 of secret '" + name + "' are not available: the 'file' values store keeps no earlier values (it lacks the versioned capability).";
    expectError(await zs.run(["secret", "get", name, "--version", "1"], { env }), unavailable);
    expectError(await zs.run(["secret", "rollback", name, "--to", "1"], { env }), unavailable);
    expectError(await zs.run(["secret", "diff", name, "--show-values"], { env }), unavailable);
    const diff = await zs.json<{ added: string[]; changed: string[] }>(["secret", "diff", name], { env });
    expect(diff).toMatchObject({ added: ["extra"], changed: ["k"] });
    expect((await zs.json<WireSecret>(["secret", "get", name], { env })).values).toEqual({ k: value(2), extra: "x" });
  });
});

describe("history across zs secret migrate (local mode): sql → the custom store example → sql", () => {
  const zs = useZsHarness();
  const FILE_STORE = path.resolve(__dirname, "..", "..", "..", "examples", "custom-store", "dist", "index.js");
  const fileStore = () => ({ ZS_SECRETS_STORE_TYPE: FILE_STORE, ZS_SECRETS_STORE_DIRECTORY: path.join(zs.workDir, "file-store") });

  it("keeps every history entry; the versions a store without the versioned capability held are not carried over (HISTORY_UNAVAILABLE), those written since are, and a versioned target gets the current ones", async () => {
    const name = uniqueName("moved");
    await zs.ok(["secret", "create", name, `--k=${value(1)}`]);
    await zs.ok(["secret", "update", name, `--k=${value(2)}`]);
    await zs.ok(["secret", "migrate", "--to", FILE_STORE, "--to-option", `directory=${path.join(zs.workDir, "file-store")}`]);
    await zs.ok(["secret", "update", name, `--k=${value(3)}`], { env: fileStore() });
    expect((await zs.json<WirePage<WireEntry>>(["secret", "history", name], { env: fileStore() })).items.map((e) => e.version)).toEqual([3, 2, 1]);
    expectError(
      await zs.run(["secret", "get", name, "--version", "1"], { env: fileStore() }),
      `The values of version 1 of secret '${name}' are not available: they were written before the values moved to the 'file' values store (zs secret migrate), which received only the versions the old store still kept within ZS_HISTORY_MAX_VERSIONS.`,
    );

    await zs.ok(["secret", "migrate", "--to", "sql", "--delete-source"], { env: fileStore() });
    await zs.ok(["secret", "update", name, `--k=${value(4)}`]);
    await zs.ok(["secret", "update", name, `--k=${value(5)}`]);
    expect((await zs.json<WirePage<WireEntry>>(["secret", "history", name])).items.map((e) => [e.version, e.action])).toEqual([
      [5, "merge"],
      [4, "merge"],
      [3, "merge"],
      [2, "merge"],
      [1, "create"],
    ]);
    // Versions 1 and 2 stayed in sql when the values left for the file store, which keeps no versions;
    // version 3, current when they came back, was copied into sql as that version.
    for (const old of ["1", "2"]) {
      expectError(
        await zs.run(["secret", "get", name, "--version", old]),
        `The values of version ${old} of secret '${name}' are not available: they were written before the values moved to the 'sql' values store (zs secret migrate), which received only the versions the old store still kept within ZS_HISTORY_MAX_VERSIONS.`,
      );
    }
    expect((await zs.json<{ values: Record<string, string> }>(["secret", "get", name, "--version", "3"])).values).toEqual({ k: value(3) });
    expect((await zs.json<{ values: Record<string, string> }>(["secret", "get", name, "--version", "4"])).values).toEqual({ k: value(4) });
    await zs.ok(["secret", "rollback", name, "--to", "4"]);
    expect(await zs.values(name)).toEqual({ k: value(4) });
  });
});
