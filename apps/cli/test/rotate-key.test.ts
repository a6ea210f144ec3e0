import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { NASTY_VALUES } from "./support/fixtures.js";
import { localHarness, useZsHarness, type DescribeHarness } from "./support/zs-process.js";

/** The keys in local mode's key file, one per line. */
async function keyFileKeys(zs: DescribeHarness): Promise<string[]> {
  const text = await readFile(path.join(zs.home!, "encryption.key"), "utf8");
  return text.split("\n").filter(Boolean);
}

// Key rotation re-encrypts local mode's own store; a server rotates its keys itself.
describe("zs secret rotate-key (local)", () => {
  const zs = useZsHarness(localHarness);

  it("re-encrypts every secret under one new key; every secret still reads back", async () => {
    await zs.ok(["workspace", "create", "other"]);
    const secrets = [
      { name: "shared", values: NASTY_VALUES, args: [] as string[] },
      { name: "mine", values: { k: "user-scoped" }, args: ["-s", "user"] },
      { name: "elsewhere", values: { k: "other workspace", e: "" }, args: ["--workspace", "other"] },
    ];
    for (const { name, values, args } of secrets) await zs.ok(["secret", "create", name, "--values", JSON.stringify(values), ...args]);
    const before = await keyFileKeys(zs);
    expect(before).toHaveLength(1);

    const result = await zs.ok(["secret", "rotate-key"]);
    // Each secret's current values and the version history keeps of them.
    expect(result.stdout).toMatch(/^Re-encrypted 3 secrets and 3 earlier versions under key '[0-9a-f]+'; the old key is no longer needed\.\n$/);
    expect(result.stderr).toBe("");

    const after = await keyFileKeys(zs);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before[0]);
    for (const { name, values, args } of secrets) {
      const scope = args[0] === "-s" ? args : [];
      const workspace = args[0] === "--workspace" ? args : [];
      expect(await zs.values(name, ...scope, ...workspace)).toEqual(values);
    }
    await zs.ok(["secret", "create", "after-rotation", "--k=v"]);
    expect(await zs.values("after-rotation")).toEqual({ k: "v" });
  });

  it("leaves nothing readable with the old key alone", async () => {
    const old = (await keyFileKeys(zs))[0]!;
    await zs.ok(["secret", "rotate-key"]);
    const keyFile = path.join(zs.home!, "encryption.key");
    const current = await readFile(keyFile, "utf8");
    await writeFile(keyFile, `${old}\n`);
    try {
      const result = await zs.run(["secret", "get", "shared"]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(/^Error: The encryption key does not match this database: /);
    } finally {
      await writeFile(keyFile, current);
    }
    expect(await zs.values("shared")).toEqual(NASTY_VALUES);
  });

  it("can rotate again, and on an empty store", async () => {
    const again = await zs.ok(["secret", "rotate-key"]);
    expect(again.stdout).toMatch(/^Re-encrypted 4 secrets and 4 earlier versions under key '[0-9a-f]+'/);
    expect(await keyFileKeys(zs)).toHaveLength(1);
    for (const name of ["shared", "mine", "after-rotation"]) await zs.ok(["secret", "delete", name, "--purge", "-y"]);
    await zs.ok(["workspace", "delete", "other", "-y"]);
    expect((await zs.ok(["secret", "rotate-key"])).stdout).toMatch(/^Re-encrypted 0 secrets under key '[0-9a-f]+'/);
  });
});
