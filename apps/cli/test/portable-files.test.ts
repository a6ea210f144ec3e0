import { existsSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "@jest/globals";
import { parse as parseDotenv } from "dotenv";
import { parse as parseYaml } from "yaml";
import { readWithPython } from "./support/python-readers.js";
import { PORTABLE_VALUES, UNPORTABLE_DOTENV_VALUES, YAML_SPECIAL_KEYS } from "./support/portable-values.js";
import { expectError, uniqueName, useZsHarness, type WireSecret } from "./support/zs-process.js";

describe("portable files: .env and YAML that other readers read back exactly", () => {
  const zs = useZsHarness();
  const awkward = uniqueName("awkward");
  const specials = uniqueName("specials");
  const at = (file: string) => path.join(zs.workDir, file);

  beforeAll(async () => {
    await zs.addSecret(awkward, PORTABLE_VALUES);
    await zs.addSecret(specials, YAML_SPECIAL_KEYS);
    await zs.ok(["secret", "export", awkward, "--format", "env", "-f", "awkward.env"]);
    await zs.ok(["secret", "export", awkward, "--format", "yaml", "-f", "awkward.yaml"]);
    await zs.ok(["secret", "export", specials, "--format", "yaml", "-f", "specials.yaml"]);
  }, 60_000);

  it(`export --format env (${Object.keys(PORTABLE_VALUES).length} awkward values) is read back exactly by npm dotenv and python-dotenv`, async () => {
    const text = await zs.readFile("awkward.env");
    expect(parseDotenv(text)).toEqual(PORTABLE_VALUES);
    expect(await readWithPython(at("awkward.env"), "python-dotenv")).toEqual(PORTABLE_VALUES);
  });

  it("export --format env, then create -v @FILE, gives the same values; get -o env prints the same lines", async () => {
    const copy = uniqueName("copy");
    await zs.ok(["secret", "create", copy, "-v", "@awkward.env"]);
    expect(await zs.values(copy)).toEqual(PORTABLE_VALUES);
    expect((await zs.ok(["secret", "get", awkward, "-o", "env"])).stdout).toBe(await zs.readFile("awkward.env"));
  });

  it("export --format yaml is read back exactly by PyYAML (YAML 1.1) and the yaml library (YAML 1.2)", async () => {
    const text = await zs.readFile("awkward.yaml");
    expect(parseYaml(text)).toEqual(PORTABLE_VALUES);
    expect(await readWithPython(at("awkward.yaml"), "pyyaml")).toEqual(PORTABLE_VALUES);
    for (const special of ["yes", "on", "1:20", "1_000", "0o17", "2026-01-01", "=", "<<"]) expect(text).toContain(`: "${special}"\n`);
  });

  it("YAML keys that YAML 1.1 takes for booleans or null (yes, no, on, off, y, n, null …) stay distinct strings", async () => {
    const text = await zs.readFile("specials.yaml");
    expect(parseYaml(text)).toEqual(YAML_SPECIAL_KEYS);
    expect(await readWithPython(at("specials.yaml"), "pyyaml")).toEqual(YAML_SPECIAL_KEYS);
  });

  it("get -o yaml prints a secret that PyYAML reads as the same object as get -o json", async () => {
    await zs.writeFile("get.yaml", (await zs.ok(["secret", "get", awkward, "-o", "yaml"])).stdout);
    const json = await zs.json<WireSecret>(["secret", "get", awkward]);
    expect(parseYaml(await zs.readFile("get.yaml"))).toEqual(json);
    const read = await readWithPython(at("get.yaml"), "pyyaml");
    expect({ name: read.name, version: read.version, values: read.values }).toEqual({ name: awkward, version: "1", values: PORTABLE_VALUES });
  });

  const unportable = (key: string, alternative: string) =>
    `The value of '${key}' cannot be written as dotenv that npm dotenv and python-dotenv both read back exactly ` +
    `(a value holding both ' and ", or \${…}, for example); use ${alternative} instead.`;

  it.each(Object.keys(UNPORTABLE_DOTENV_VALUES))(
    "a value no dotenv form carries for both parsers (%s) is an error naming the key, never the value; no file is written",
    async (key) => {
      const name = uniqueName("unportable");
      await zs.addSecret(name, { fine: "ok", [key]: UNPORTABLE_DOTENV_VALUES[key]! });
      expectError(await zs.run(["secret", "export", name, "--format", "env", "-f", `${name}.env`]), unportable(key, "--format json or --format yaml"));
      expect(existsSync(at(`${name}.env`))).toBe(false);
    },
  );

  it("get -o env and export -f - refuse such a value the same way, printing no line at all", async () => {
    const name = uniqueName("unportable");
    await zs.addSecret(name, { a_fine: "ok", both_quotes: UNPORTABLE_DOTENV_VALUES.both_quotes! });
    expectError(await zs.run(["secret", "get", name, "-o", "env"]), unportable("both_quotes", "-o json or -o yaml"));
    expectError(await zs.run(["secret", "export", name, "--format", "env", "-f", "-"]), unportable("both_quotes", "--format json or --format yaml"));
  });

  it("-o shell prints export lines that sh evaluates back to every value; a key that is no shell name is refused by name", async () => {
    const keys = Object.keys(PORTABLE_VALUES);
    const script = `eval "$(zs secret get ${awkward} -o shell)" || exit 9; printf '%s\\0' ${keys.map((k) => `"$${k}"`).join(" ")}`;
    const result = await zs.shell(script);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
    const printed = result.stdout.split("\0").slice(0, -1);
    expect(Object.fromEntries(keys.map((key, i) => [key, printed[i]]))).toEqual(PORTABLE_VALUES);
    expect((await zs.ok(["secret", "get", specials, "-o", "shell"])).stdout.split("\n")[0]).toMatch(/^export \w+=/);

    const dotted = uniqueName("dotted");
    await zs.addSecret(dotted, { "db.password": "x", ok: "y" });
    expectError(await zs.run(["secret", "get", dotted, "-o", "shell"]), "Key 'db.password' is not a shell variable name; use -o env, -o json or -o yaml.");
  });
});
