import { readdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { expectError, expectUsageError, remoteHarness, useZsHarness, type WireSecret } from "./support/zs-process.js";

// `zs secret migrate` moving the values out of the sql store into the custom store example (one
// JSON file per secret, loaded by path) and back: in local mode, where the command runs in the
// zs process, and against a server, where the server runs it and the CLI follows its progress.

const FILE_STORE = path.resolve(__dirname, "..", "..", "..", "examples", "custom-store", "dist", "index.js");
const fixtures = Array.from({ length: 12 }, (_, i) => ({ name: `migrated-${i}`, values: { user: `user-${i}`, password: `pw-migrate-${i}-${i * 7919}` } }));

describe("zs secret migrate in local mode", () => {
  const zs = useZsHarness();
  const directory = () => path.join(zs.workDir, "file-store");
  const fileStore = () => ({ ZS_SECRETS_STORE_TYPE: FILE_STORE, ZS_SECRETS_STORE_DIRECTORY: directory() });
  const files = async () => (await readdir(directory()).catch(() => [])).filter((file) => file.endsWith(".json"));

  it("refuses what it cannot do, and changes nothing", async () => {
    await zs.addSecret("before-any-migration", { password: "pw-before-any-migration" });
    expectUsageError(await zs.run(["secret", "migrate"]), "Give --to TYPE");
    expectUsageError(await zs.run(["secret", "migrate", "--abort", "--to", "sql"]), "--abort and --status take no other flag.");
    expectUsageError(await zs.run(["secret", "migrate", "--to", FILE_STORE, "--concurrency", "0"]), "--concurrency must be a whole number from 1 to 64.");
    expectError(
      await zs.run(["secret", "migrate", "--to", FILE_STORE, "--to-option", "a-secret-without-equals"]),
      "--to-option takes NAME=VALUE, e.g. --to-option region=eu-west-1 (the value given is not shown: it may be a credential).",
    );
    expect((await zs.run(["secret", "migrate", "--to", "no-such-store"])).stderr).toContain("'no-such-store' is neither a built-in type nor a module");
    expect((await zs.run(["secret", "migrate", "--to", FILE_STORE, "--to-option", "directroy=/tmp"])).stderr).toMatch(/Invalid options .*directroy.*--to-option <OPTION>/);
    expect((await zs.run(["secret", "migrate", "--to", "sql"])).stderr).toContain("The values are already in that 'sql' store; give --rewrite");
    expectError(await zs.run(["secret", "migrate", "--abort"]), "There is no migration in progress to abort.");
    expectError(await zs.run(["secret", "migrate", "--to", FILE_STORE, "--resume"]), "There is no migration to resume; start one without --resume.");
    expect((await zs.ok(["secret", "migrate", "--status"])).stdout).toBe("No migration has run on this deployment.\n");
    expect(await files()).toEqual([]);
    expect(await zs.values("before-any-migration")).toEqual({ password: "pw-before-any-migration" });
  });

  it("moves every value to the file store; zs then refuses the old setting, saying what to set", async () => {
    for (const fixture of fixtures) await zs.addSecret(fixture.name, fixture.values);
    const moved = await zs.ok(["secret", "migrate", "--to", FILE_STORE, "--to-option", `directory=${directory()}`]);
    expect(moved.stdout).toBe(
      "13 copied, 13 verified, 0 skipped, 0 failed\n" +
        `The values are now in the '${FILE_STORE}' store. Set ZS_SECRETS_STORE_TYPE=${FILE_STORE} and its options where zs is configured.\n`,
    );
    expect(moved.stderr).toBe("");
    expect(await files()).toHaveLength(13);

    const refused = await zs.run(["secret", "get", fixtures[0]!.name]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`set ZS_SECRETS_STORE_TYPE=${FILE_STORE} with ZS_SECRETS_STORE_DIRECTORY=${directory()}`);
    for (const fixture of fixtures) {
      expect((await zs.json<WireSecret>(["secret", "get", fixture.name], { env: fileStore() })).values).toEqual(fixture.values);
    }
    const status = await zs.json<{ status: string; sourceType: string; targetType: string; done: number; total: number }>(["secret", "migrate", "--status"], { env: fileStore() });
    expect(status).toMatchObject({ status: "completed", sourceType: "sql", targetType: FILE_STORE, done: 13, total: 13 });
  });

  it("moves them back into sql with --delete-source, leaving no file behind", async () => {
    const back = await zs.ok(["secret", "migrate", "--to", "sql", "--delete-source"], { env: fileStore() });
    expect(back.stdout).toMatch(/^13 copied, 13 verified, 0 skipped, 0 failed\n/);
    expect(await files()).toEqual([]);
    for (const fixture of fixtures) expect(await zs.values(fixture.name)).toEqual(fixture.values);
    const table = await zs.ok(["secret", "migrate", "--status"]);
    expect(table.stdout).toMatch(/^From\s+\S+index\.js$/m);
    expect(table.stdout).toMatch(/^To\s+sql$/m);
    expect(table.stdout).toMatch(/^Status\s+completed$/m);
    for (const fixture of fixtures) expect(`${back.stdout}${back.stderr}${table.stdout}`).not.toContain(fixture.values.password);
  });
});

describe("zs secret migrate against a server", () => {
  const zs = useZsHarness(remoteHarness);

  it("the server moves the values while the CLI follows; the summary and the switch are reported", async () => {
    const directory = path.join(zs.workDir, "server-file-store");
    for (const fixture of fixtures.slice(0, 5)) await zs.addSecret(fixture.name, fixture.values);
    const moved = await zs.ok(["secret", "migrate", "--to", FILE_STORE, "--to-option", `directory=${directory}`, "--concurrency", "2"]);
    expect(moved.stdout).toMatch(/^5 copied, 5 verified, 0 skipped, 0 failed\n/);
    expect((await readdir(directory)).filter((file) => file.endsWith(".json"))).toHaveLength(5);
    for (const fixture of fixtures.slice(0, 5)) expect(await zs.values(fixture.name)).toEqual(fixture.values);
    expect((await zs.ok(["status"])).stdout).toMatch(/file/);
    expect(await zs.json(["secret", "migrate", "--status"])).toMatchObject({ status: "completed", targetType: FILE_STORE, done: 5, active: false });
  });
});
