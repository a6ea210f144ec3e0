import { chmod, stat } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "@jest/globals";
import { spawnInPty, type PtySession } from "./support/pty.js";
import { ZS_BIN, localHarness, useZsHarness, type ZsResult } from "./support/zs-process.js";

/** The permission bits of each path, as `stat` shows them (`"600"`), keyed by the path's name. */
async function modes(...paths: string[]): Promise<Record<string, string>> {
  const entries = await Promise.all(paths.map(async (p) => [path.basename(p), ((await stat(p)).mode & 0o7777).toString(8)] as const));
  return Object.fromEntries(entries);
}

const ok = (result: ZsResult): ZsResult => {
  if (result.code !== 0) throw new Error(`exited with ${result.code}: ${result.stderr}`);
  return result;
};

describe("local mode keeps its store and settings owner-only, whatever the umask", () => {
  const zs = useZsHarness(localHarness);
  const sessions = new Set<PtySession>();
  afterEach(() => {
    for (const session of sessions) session.kill();
    sessions.clear();
  });

  const home = () => zs.home!;
  const store = () => ["zs.db", "encryption.key"].map((name) => path.join(home(), name));
  const settingsDir = () => path.join(zs.env.XDG_CONFIG_HOME!, "zs");
  const settings = () => [settingsDir(), path.join(settingsDir(), "config.json")];

  it("under umask 000 the first command creates ZS_HOME 0700 with zs.db and the key file 0600, and the settings dir 0700 with its file 0600", async () => {
    ok(await zs.shell("umask 000 && zs secret create db --k=v >/dev/null && zs workspace set default >/dev/null"));
    expect(await modes(home(), ...store())).toEqual({ "zs-home": "700", "zs.db": "600", "encryption.key": "600" });
    expect(await modes(...settings())).toEqual({ zs: "700", "config.json": "600" });
  });

  it("while a command has the store open (umask 000), zs.db-wal and zs.db-shm are 0600", async () => {
    ok(await zs.shell("umask 000 && zs component register c --type t --flavor f '--x={{db.missing}}' >/dev/null && zs stack register app -c c >/dev/null"));
    // register-secrets asks for the missing key with the store open.
    const session = spawnInPty(["/bin/sh", "-c", 'umask 000 && exec "$0" "$@"', process.execPath, ZS_BIN, "stack", "register-secrets", "app"], {
      env: { ...zs.env, TERM: "xterm-256color" },
      cwd: zs.workDir,
    });
    sessions.add(session);
    await session.waitFor("Value of db.missing");
    const database = path.join(home(), "zs.db");
    expect(await modes(home(), database, `${database}-wal`, `${database}-shm`)).toEqual({ "zs-home": "700", "zs.db": "600", "zs.db-wal": "600", "zs.db-shm": "600" });
    session.type("\u0003");
    expect(await session.exit()).toBe(130);
  });

  it("a store and settings an older zs left 0755/0644 are tightened to 0700/0600 by the next command", async () => {
    ok(await zs.run(["workspace", "set", "default"]));
    await chmod(home(), 0o755);
    await chmod(path.join(home(), "zs.db"), 0o644);
    await chmod(settingsDir(), 0o755);
    expect(await modes(home(), ...store(), settingsDir())).toEqual({ "zs-home": "755", "zs.db": "644", "encryption.key": "600", zs: "755" });
    ok(await zs.shell("umask 000 && zs secret list >/dev/null && zs workspace set default >/dev/null"));
    expect(await modes(home(), ...store())).toEqual({ "zs-home": "700", "zs.db": "600", "encryption.key": "600" });
    expect(await modes(...settings())).toEqual({ zs: "700", "config.json": "600" });
  });
});
