import { randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "@jest/globals";
import { HARNESS_FACTORIES, useZsHarness, type ZsResult } from "./support/zs-process.js";

/** A value that cannot turn up anywhere by chance. */
const distinctive = (label: string) => `leak-${label}-${randomBytes(12).toString("hex")}`;

/** Every file under `dir`, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

const FAILING_LABELS = [
  "dup", "badKey", "badJson", "badYaml", "badDotenv", "notString", "setRemove", "removeMissing", "tooLarge", "stray",
  "spaced", "notFound", "interactive", "badName", "badKeyUpdate", "badScope", "notMapping", "twice", "missingFile",
] as const;

describe.each(HARNESS_FACTORIES)("secret values never leak ($mode)", (factory) => {
  const zs = useZsHarness(factory);
  const V = {
    password: distinctive("password"),
    user: distinctive("user"),
    token: distinctive("token"),
    cert: `-----BEGIN-----\n${distinctive("cert")}\n-----END-----\n`,
    dotenv: distinctive("dotenv"),
    yaml: distinctive("yaml"),
    unicode: `ünïcødé-${distinctive("unicode")}-✓`,
    updated: distinctive("updated"),
    added: distinctive("added"),
    deleted: distinctive("deleted"),
  };
  // Values given only to commands that fail: none of them may be echoed back.
  const F = Object.fromEntries(FAILING_LABELS.map((label) => [label, distinctive(label)])) as Record<(typeof FAILING_LABELS)[number], string>;
  const printed: Array<{ command: string; result: ZsResult }> = [];
  const failed: Array<{ command: string; result: ZsResult }> = [];
  const readBack: ZsResult[] = [];

  beforeAll(async () => {
    const run = async (args: string[], into = printed) => {
      const result = await zs.run(args);
      into.push({ command: args.join(" ").slice(0, 120), result });
      return result;
    };
    await zs.writeFile("cert.pem", V.cert);
    await zs.writeFile("big.json", JSON.stringify({ k: `${"x".repeat(70_000)}${F.tooLarge}` }));

    // Successful commands other than get/export.
    await run(["secret", "create", "one", `--password=${V.password}`, `--user=${V.user}`]);
    await run(["secret", "create", "two", "--values", JSON.stringify({ token: V.token, unicode: V.unicode })]);
    await run(["secret", "create", "three", "--cert=@cert.pem"]);
    await run(["secret", "create", "four", "-s", "user", "--values", `k='${V.dotenv}'\n`]);
    await run(["secret", "create", "five", "--values", `k: ${V.yaml}\n`]);
    await run(["secret", "create", "six", `--k=${V.deleted}`]);
    await run(["secret", "update", "one", `--password=${V.updated}`, "-r", "user"]);
    await run(["secret", "update", "two", "--values", JSON.stringify({ added: V.added })]);
    await run(["secret", "update", "four", "--new-scope", "workspace"]);
    for (const format of ["table", "json", "yaml"]) await run(["secret", "list", "-o", format]);
    await run(["secret", "list", "--workspace", "*", "--name", "contains:o", "--sort-by", "desc:name"]);
    await run(["secret", "rename", "three", "-n", "three-b"]);
    await run(["secret", "export", "one"]);
    await run(["secret", "export", "two", "--format", "env", "-f", "two.env"]);
    await run(["secret", "export", "three-b", "--format", "json", "-f", "three.json"]);
    await run(["secret", "delete", "six", "-y"]);
    await run(["status"]);
    await run(["status", "-o", "json"]);
    await run(["workspace", "list"]);

    // Failing commands, each handed a value.
    await run(["secret", "create", "one", `--password=${F.dup}`], failed);
    await run(["secret", "create", "x1", `--12abc=${F.badKey}`], failed);
    await run(["secret", "create", "x1", "--values", `{"a": "${F.badJson}", `], failed);
    await run(["secret", "create", "x1", "--values", `a: [${F.badYaml}\nb: {`], failed);
    await run(["secret", "create", "x1", "--values", `a='${F.badDotenv}`], failed);
    await run(["secret", "create", "x1", "--values", JSON.stringify({ n: 1, k: F.notString })], failed);
    await run(["secret", "update", "one", `--password=${F.setRemove}`, "-r", "password"], failed);
    await run(["secret", "update", "one", `--other=${F.removeMissing}`, "-r", "nope"], failed);
    await run(["secret", "create", "x1", "--values", "@big.json"], failed);
    await run(["secret", "create", "x1", `k=${F.stray}`], failed);
    await run(["secret", "create", "x1", "--password", F.spaced], failed);
    await run(["secret", "update", "no-such-secret", `--k=${F.notFound}`], failed);
    await run(["secret", "create", "x1", "-i", `--k=${F.interactive}`], failed);
    await run(["secret", "create", "bad.name", `--k=${F.badName}`], failed);
    await run(["secret", "update", "two", "--values", JSON.stringify({ "abc d": F.badKeyUpdate })], failed);
    await run(["secret", "create", "x1", `--k=${F.badScope}`, "-s", "nowhere"], failed);
    await run(["secret", "create", "x1", `--k=${F.notMapping}`, "--values", "just text"], failed);
    await run(["secret", "create", "x1", `--k=${F.twice}`, `--k=${F.twice}`], failed);
    await run(["secret", "update", "two", `--other=${F.missingFile}`, "--k=@no-such-file"], failed);
    await run(["secret", "delete", "one"], failed);
    await run(["secret", "rename", "two", "-n", "one"], failed);

    for (const name of ["one", "two", "three-b", "four", "five"]) readBack.push(await zs.run(["secret", "get", name, "-o", "json"]));
  }, 180_000);

  const secrets = () => [...Object.values(V), ...Object.values(F)];

  it("the fixture is real: every command meant to succeed did, every one meant to fail did", () => {
    expect(printed.filter(({ result }) => result.code !== 0).map(({ command, result }) => `${command}: ${result.stderr}`)).toEqual([]);
    expect(failed.filter(({ result }) => result.code === 0).map(({ command }) => command)).toEqual([]);
    expect(failed.every(({ result }) => /^(Error|error): /.test(result.stderr))).toBe(true);
  });

  it("get and export do hand the values back (so their absence elsewhere means something)", async () => {
    const all = readBack.map((r) => r.stdout).join("\n");
    for (const value of [V.updated, V.token, V.unicode, V.added, V.dotenv, V.yaml]) expect(all).toContain(JSON.stringify(value).slice(1, -1));
    expect(all).toContain(JSON.stringify(V.cert).slice(1, -1));
    expect(await zs.readFile("one.yaml")).toContain(V.updated);
    expect(await zs.readFile("two.env")).toContain(V.added);
  });

  it("create, update, list, rename, export, delete, status and workspace list print no value", () => {
    for (const { command, result } of printed) {
      for (const value of secrets()) {
        expect({ command, stdout: result.stdout.includes(value), stderr: result.stderr.includes(value) }).toEqual({ command, stdout: false, stderr: false });
      }
    }
  });

  it("no error message, usage error or help text echoes a value", () => {
    for (const { command, result } of failed) {
      for (const value of secrets()) {
        expect({ command, stdout: result.stdout.includes(value), stderr: result.stderr.includes(value) }).toEqual({ command, stdout: false, stderr: false });
      }
    }
  });

  (factory.mode === "local" ? it : it.skip)("the local store's files (zs.db, zs.db-wal, key, settings) hold no value in clear", async () => {
    const files = [...(await filesUnder(zs.home!)), ...(await filesUnder(zs.env.XDG_CONFIG_HOME!))];
    expect(files.map((f) => path.basename(f))).toContain("zs.db");
    for (const extra of ["zs.db-wal", "zs.db-shm"]) {
      const file = path.join(zs.home!, extra);
      if (!files.includes(file)) files.push(file);
    }
    let checked = 0;
    for (const file of files) {
      const bytes = await readFile(file).catch(() => undefined);
      if (!bytes) continue;
      checked += 1;
      for (const value of secrets()) {
        expect({ file, found: bytes.includes(Buffer.from(value, "utf8")) }).toEqual({ file, found: false });
        // The distinctive part alone, in case a value is stored split or re-encoded around it.
        const core = value.match(/leak-[a-zA-Z]+-[0-9a-f]{24}/)![0];
        expect({ file, found: bytes.includes(Buffer.from(core, "utf8")) }).toEqual({ file, found: false });
      }
    }
    expect(checked).toBeGreaterThanOrEqual(2);
  });
});
