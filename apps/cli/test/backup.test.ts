import { mkdir, readFile, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { expectError, remoteHarness, uniqueName, useZsHarness, type WireSecret } from "./support/zs-process.js";

// Local mode with a backup store: the custom store example (one JSON file per secret),
// loaded by path, as both the values store and the backup, each in its own directory. The
// backup fails to write a secret whose file has been replaced by a directory (a rename cannot
// replace a directory, and root ignores file modes).

const FILE_STORE = path.resolve(__dirname, "..", "..", "..", "examples", "custom-store", "dist", "index.js");

describe("zs secret backup and restore in local mode", () => {
  const zs = useZsHarness();
  const backupDir = () => path.join(zs.workDir, "backup");
  const primaryDir = () => path.join(zs.workDir, "primary");
  const env = () => ({
    ZS_SECRETS_STORE_TYPE: FILE_STORE,
    ZS_SECRETS_STORE_DIRECTORY: primaryDir(),
    ZS_BACKUP_SECRETS_STORE_TYPE: FILE_STORE,
    ZS_BACKUP_SECRETS_STORE_DIRECTORY: backupDir(),
  });
  const primaryOnly = () => ({ ZS_SECRETS_STORE_TYPE: FILE_STORE, ZS_SECRETS_STORE_DIRECTORY: primaryDir() });
  const backupFile = (id: string) => path.join(backupDir(), `${id}.json`);
  /** A directory in place of each secret's backup file: the backup cannot write them until `unblockBackup`. */
  const blockBackup = async (ids: string[]) => {
    for (const id of ids) {
      await rm(backupFile(id), { force: true });
      await mkdir(backupFile(id));
    }
  };
  const unblockBackup = async (ids: string[]) => {
    for (const id of ids) await rm(backupFile(id), { recursive: true, force: true });
  };
  const backupFiles = async () => (await readdir(backupDir())).filter((file) => file.endsWith(".json")).sort();

  it("writes go to both stores; --status shows the store and nothing pending", async () => {
    const name = uniqueName("both");
    await zs.ok(["secret", "create", name, "--password=pw-both-stores"], { env: env() });
    const secret = await zs.json<WireSecret>(["secret", "get", name], { env: env() });
    expect(await backupFiles()).toContain(`${secret.id}.json`);
    const status = await zs.ok(["secret", "backup", "--status"], { env: env() });
    expect(status.stdout).toMatch(/^Backup store\s+file$/m);
    expect(status.stdout).toMatch(/^Pending\s+0$/m);
    expect(await zs.json(["secret", "backup", "--status"], { env: env() })).toEqual({ type: "file", pending: 0 });
  });

  it("a write the backup misses is pending, and the next command repairs it once the backup is back", async () => {
    const name = uniqueName("missed");
    await zs.ok(["secret", "create", name, "--password=pw-before"], { env: env() });
    const { id } = await zs.json<WireSecret>(["secret", "get", name], { env: env() });
    await blockBackup([id]);
    try {
      await zs.ok(["secret", "update", name, "--password=pw-after"], { env: env() });
      // Each command first retries the repair, and fails again while the backup is blocked.
      expect(await zs.json(["secret", "backup", "--status"], { env: env() })).toEqual({ type: "file", pending: 1 });
    } finally {
      await unblockBackup([id]);
    }
    expect(await zs.json(["secret", "backup", "--status"], { env: env() })).toEqual({ type: "file", pending: 0 });
    expect(JSON.parse(await readFile(backupFile(id), "utf8")).values).toEqual({ password: "pw-after" });
  });

  it("backup copies every secret; restore brings back values the primary lost; exit 0 and the summary line", async () => {
    const name = uniqueName("restore");
    await zs.ok(["secret", "create", name, "--password=pw-restore"], { env: env() });
    const backedUp = await zs.ok(["secret", "backup"], { env: env() });
    expect(backedUp.stdout).toMatch(/^(\d+) copied, \1 verified, 0 skipped, 0 failed$/m);

    // The primary loses the values behind zs's back; without the backup, a read fails.
    const secret = await zs.json<WireSecret>(["secret", "get", name], { env: env() });
    await rm(path.join(primaryDir(), `${secret.id}.json`));
    expect((await zs.run(["secret", "get", name], { env: primaryOnly() })).code).toBe(1);
    const restored = await zs.ok(["secret", "restore"], { env: env() });
    expect(restored.stdout).toMatch(/^1 copied, 1 verified, \d+ skipped, 0 failed$/m);
    expect((await zs.json<WireSecret>(["secret", "get", name], { env: primaryOnly() })).values).toEqual({ password: "pw-restore" });
    const overwritten = await zs.ok(["secret", "restore", "--overwrite"], { env: env() });
    expect(overwritten.stdout).toMatch(/^(\d+) copied, \1 verified, 0 skipped, 0 failed$/m);
  });

  it("a backup whose store fails lists each failed secret by id, prints the summary and exits 1", async () => {
    const name = uniqueName("fails");
    await zs.ok(["secret", "create", name, "--password=pw-fails"], { env: env() });
    const { id } = await zs.json<WireSecret>(["secret", "get", name], { env: env() });
    await blockBackup([id]);
    try {
      const result = await zs.run(["secret", "backup"], { env: env() });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`failed: secret ${id}: `);
      expect(result.stdout).toMatch(/^(\d+) copied, \1 verified, 0 skipped, 1 failed$/m);
      expect(`${result.stdout}${result.stderr}`).not.toContain("pw-fails");
    } finally {
      await unblockBackup([id]);
    }
  });

  it("backup and restore without a backup store configured: a clear error, exit 1", async () => {
    for (const command of ["backup", "restore"]) {
      const result = await zs.run(["secret", command], { env: primaryOnly() });
      expectError(result, `zs secret ${command} needs a backup store, and none is configured: set ZS_BACKUP_SECRETS_STORE_TYPE (and its options).`);
    }
  });
});

describe("zs secret backup against a server", () => {
  const zs = useZsHarness(remoteHarness);

  it("--status asks the server; backup and restore get the server's clear error when it has no backup store", async () => {
    expect(await zs.json(["secret", "backup", "--status"])).toEqual({ type: null, pending: 0 });
    expectError(await zs.run(["secret", "restore", "--overwrite"]), "zs secret restore needs a backup store, and none is configured: set ZS_BACKUP_SECRETS_STORE_TYPE (and its options).");
  });
});
