import { stat } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { parse as parseYaml } from "yaml";
import { NASTY_VALUES } from "./support/fixtures.js";
import { HARNESS_FACTORIES, expectError, expectUsageError, notFound, uniqueName, useZsHarness, type WireSecret } from "./support/zs-process.js";

/** The nasty values dotenv carries for npm dotenv and python-dotenv alike (portable-files.test.ts has the others). */
const DOTENV_NASTY_VALUES = Object.fromEntries(Object.entries(NASTY_VALUES).filter(([key]) => !["quote_mix", "dollars", "backslashes"].includes(key)));

/** Keys a shell cannot hold but a secret can: they must survive the file formats too. */
const ODD_KEYS = { "db.password": "p@ss: word", "api-key": "- k", _x: "~" };

describe.each(HARNESS_FACTORIES)("zs secret export ($mode)", (factory) => {
  const zs = useZsHarness(factory);

  it("writes NAME.yaml in the working directory by default, mode 0600, and says so", async () => {
    const name = uniqueName();
    await zs.addSecret(name, { user: "admin", port: "5432" });
    expect(await zs.run(["secret", "export", name])).toEqual({ code: 0, stdout: `Secret '${name}' exported to ${name}.yaml.\n`, stderr: "" });
    const file = path.join(zs.workDir, `${name}.yaml`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(parseYaml(await zs.readFile(file), { schema: "failsafe" })).toEqual({ user: "admin", port: "5432" });
  });

  it("-f / --filename chooses the file; --format json and env write those formats", async () => {
    const name = uniqueName();
    await zs.addSecret(name, { a: "1", b: "two words" });
    await zs.writeFile("out/.keep", "");
    expect((await zs.ok(["secret", "export", name, "-f", "out/s.json", "--format", "json"])).stdout).toBe(`Secret '${name}' exported to out/s.json.\n`);
    expect(JSON.parse(await zs.readFile("out/s.json"))).toEqual({ a: "1", b: "two words" });
    await zs.ok(["secret", "export", name, "--filename", "s.env", "--format", "env"]);
    expect((await zs.readFile("s.env")).split("\n").sort()).toEqual(["", "a=1", 'b="two words"']);
  });

  it("without -f names the file after the format: NAME.json, NAME.env", async () => {
    const name = uniqueName();
    await zs.addSecret(name, { a: "1" });
    expect((await zs.ok(["secret", "export", name, "--format", "json"])).stdout).toBe(`Secret '${name}' exported to ${name}.json.\n`);
    expect((await zs.ok(["secret", "export", name, "--format", "env"])).stdout).toBe(`Secret '${name}' exported to ${name}.env.\n`);
    expect(JSON.parse(await zs.readFile(`${name}.json`))).toEqual({ a: "1" });
    expect(await zs.readFile(`${name}.env`)).toBe("a=1\n");
  });

  it.each(["yaml", "json", "env"])("export --format %s, then create -v @FILE, round-trips every nasty value exactly (env: every one dotenv carries)", async (format) => {
    const name = uniqueName("src");
    const copy = uniqueName("copy");
    const values = { ...(format === "env" ? DOTENV_NASTY_VALUES : NASTY_VALUES), ...ODD_KEYS };
    await zs.addSecret(name, values);
    await zs.ok(["secret", "export", name, "--format", format, "-f", `${name}.${format}`]);
    await zs.ok(["secret", "create", copy, "-v", `@${name}.${format}`]);
    const copied = await zs.values(copy);
    expect(Object.keys(copied).sort()).toEqual(Object.keys(values).sort());
    expect(copied).toEqual(values);
  });

  it("the default export (NAME.yaml) round-trips through create -v @NAME.yaml", async () => {
    const name = uniqueName("src");
    await zs.addSecret(name, NASTY_VALUES);
    await zs.ok(["secret", "export", name]);
    const copy = uniqueName("copy");
    await zs.ok(["secret", "create", copy, "-v", `@${name}.yaml`]);
    expect(await zs.values(copy)).toEqual(NASTY_VALUES);
  });

  it("the exported JSON and YAML files hold exactly the values map", async () => {
    const name = uniqueName();
    await zs.addSecret(name, NASTY_VALUES);
    await zs.ok(["secret", "export", name, "--format", "json", "-f", "v.json"]);
    await zs.ok(["secret", "export", name, "-f", "v.yaml"]);
    expect(JSON.parse(await zs.readFile("v.json"))).toEqual(NASTY_VALUES);
    expect(parseYaml(await zs.readFile("v.yaml"))).toEqual(NASTY_VALUES);
  });

  it("-f - writes the file to stdout alone (no file named '-', no confirmation line)", async () => {
    const name = uniqueName();
    await zs.addSecret(name, { a: "1", b: "two words" });
    expect(await zs.run(["secret", "export", name, "-f", "-", "--format", "json"])).toEqual({ code: 0, stdout: '{\n  "a": "1",\n  "b": "two words"\n}\n', stderr: "" });
    expect(parseYaml((await zs.ok(["secret", "export", name, "--filename", "-"])).stdout, { schema: "failsafe" })).toEqual({ a: "1", b: "two words" });
    expect((await zs.ok(["secret", "export", name, "-f", "-", "--format", "env"])).stdout).toBe('a=1\nb="two words"\n');
    await expect(stat(path.join(zs.workDir, "-"))).rejects.toThrow("ENOENT");
  });

  it("-f - into a reader that stops early (| head -c1) exits 0 without a stack trace", async () => {
    const name = uniqueName();
    await zs.addSecret(name, { a: "1" });
    const result = await zs.shell(`{ zs secret export ${name} -f - --format json; echo "zs-exit=$?" >&2; } | head -c1`);
    expect(result).toEqual({ code: 0, stdout: "{", stderr: "zs-exit=0\n" });
    await expect(stat(path.join(zs.workDir, "-"))).rejects.toThrow("ENOENT");
  });

  it("-f - with a missing secret writes nothing to stdout and exits 1", async () => {
    expectError(await zs.run(["secret", "export", "no-such-secret", "-f", "-"]), notFound("no-such-secret"));
  });

  it("reports a missing secret (exit 1) and an unknown format (usage, exit 2)", async () => {
    expectError(await zs.run(["secret", "export", "no-such-secret"]), notFound("no-such-secret"));
    const name = uniqueName();
    await zs.addSecret(name, { k: "v" });
    expectUsageError(await zs.run(["secret", "export", name, "--format", "xml"]), "argument 'xml' is invalid. Allowed choices are yaml, json, env.");
  });

  it("exports by id prefix, naming the file after the secret", async () => {
    const name = uniqueName();
    const { id } = await zs.createSecret(name, { k: "v" });
    expect((await zs.ok(["secret", "export", id.slice(0, 8)])).stdout).toBe(`Secret '${name}' exported to ${name}.yaml.\n`);
    const exported: Record<string, string> = parseYaml(await zs.readFile(`${name}.yaml`));
    expect(exported).toEqual({ k: "v" } satisfies WireSecret["values"]);
  });
});
