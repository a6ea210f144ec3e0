import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "@jest/globals";
import { parse as parseDotenv } from "dotenv";
import { parse as parseYaml } from "yaml";
import { readWithPython } from "./support/python-readers.js";
import { HARNESS_FACTORIES, expectError, expectUsageError, useZsHarness } from "./support/zs-process.js";

describe.each(HARNESS_FACTORIES)("zs resolve ($mode)", (factory) => {
  const zs = useZsHarness(factory);
  const password = `pw-${randomBytes(12).toString("hex")}`;
  // Characters that need escaping in YAML, JSON or a shell.
  const tricky = `q"u'o$te\\s #x`;

  beforeAll(async () => {
    await zs.addSecret("db", { user: "app", password, "tls.key": tricky });
    await zs.addSecret("api", { token: "workspace-token" });
  }, 60_000);

  it.each([
    [
      "YAML",
      "config.yaml",
      "# {{db.user}} in a comment is left as written\ndatabase:\n  url: postgres://{{db.user}}:{{ db.password }}@host/app\n  key: '{{db.tls.key}}'\n  literal: \\{{db.user}}\n",
      `# {{db.user}} in a comment is left as written\ndatabase:\n  url: postgres://app:${password}@host/app\n  key: '${tricky.replace(/'/g, "''")}'\n  literal: "{{db.user}}"\n`,
    ],
    ["JSON", "config.json", '{"user": "{{db.user}}", "token": "{{api.token}}", "n": 1}', '{"user": "app", "token": "workspace-token", "n": 1}'],
    [".env", ".env", "DB_USER={{db.user}}\nexport DB_PASSWORD='{{db.password}}' # kept\n# {x.y} {{db.user}}\n", `DB_USER=app\nexport DB_PASSWORD=${password} # kept\n# {x.y} {{db.user}}\n`],
    ["text without a final newline", "notes.txt", "user={{db.user}}\r\nno newline", "user=app\r\nno newline"],
    ["text without references", "plain.txt", "{x.y} $db.user {{ is not closed\n", "{x.y} $db.user {{ is not closed\n"],
    ["empty", "empty.txt", "", ""],
  ])("%s: prints the file with every reference resolved and every other byte as it was", async (_label, file, content, expected) => {
    await zs.writeFile(file, content);
    expect(await zs.run(["resolve", file])).toEqual({ code: 0, stdout: expected, stderr: "" });
  });

  // A value holding both a double quote and a newline: text substitution breaks every format.
  const quoted = 'he said "hi"\nand left';

  it("JSON: every string holding a reference is written back JSON-escaped, so the output parses with the exact values; other bytes kept", async () => {
    await zs.addSecret("quoted", { v: quoted });
    await zs.writeFile("config.json", '{\n  "password": "{{quoted.v}}",\n  "url": "x://{{db.user}}:{{quoted.v}}@h",\n  "{{db.user}}": [1.50, "{{ quoted.v }}"]\n}\n');
    const { stdout } = await zs.ok(["resolve", "config.json"]);
    expect(JSON.parse(stdout)).toEqual({ password: quoted, url: `x://app:${quoted}@h`, app: [1.5, quoted] });
    expect(stdout).toContain('[1.50, "');
  });

  it("YAML: references in any scalar style (and unquoted) are written back so the yaml library and PyYAML read the exact values; comments kept", async () => {
    await zs.writeFile(
      "config.yaml",
      [
        "# {{quoted.v}} stays in the comment",
        'double: "{{quoted.v}}"',
        "single: '{{quoted.v}}'",
        "bare: {{quoted.v}} # a comment",
        "plain: x {{quoted.v}}",
        "port: {{db.user}}",
        '"{{db.user}}": key',
        'list: [{{quoted.v}}, "{{quoted.v}}"]',
        "block: |",
        "  {{quoted.v}}",
        "",
      ].join("\n"),
    );
    await zs.ok(["resolve", "config.yaml", "-o", "resolved.yaml"]);
    const expected = { double: quoted, single: quoted, bare: quoted, plain: `x ${quoted}`, port: "app", app: "key", list: [quoted, quoted], block: `${quoted}\n` };
    const resolved = await zs.readFile("resolved.yaml");
    expect(parseYaml(resolved)).toEqual(expected);
    expect(await readWithPython(path.join(zs.workDir, "resolved.yaml"), "pyyaml")).toEqual(expected);
    expect(resolved).toMatch(/^# \{\{quoted\.v\}\} stays in the comment\n/);
    expect(resolved).toContain(" # a comment\n");
  });

  it(".env: resolved values are re-quoted as export --format env writes them, read exactly by npm dotenv and python-dotenv", async () => {
    await zs.writeFile("app.env", '# {{quoted.v}}\nA={{quoted.v}}\nexport B="pre {{quoted.v}}" # kept\nC=plain\n');
    await zs.ok(["resolve", "app.env", "-o", "resolved.env"]);
    const expected = { A: quoted, B: `pre ${quoted}`, C: "plain" };
    expect(parseDotenv(await zs.readFile("resolved.env"))).toEqual(expected);
    expect(await readWithPython(path.join(zs.workDir, "resolved.env"), "python-dotenv")).toEqual(expected);
    expect(await zs.readFile("resolved.env")).toMatch(/^# \{\{quoted\.v\}\}\n/);
  });

  it("--format overrides the extension: json on stdin, text on a JSON file (no escaping)", async () => {
    expect(JSON.parse((await zs.ok(["resolve", "-", "--format", "json"], { input: '["{{quoted.v}}"]' })).stdout)).toEqual([quoted]);
    await zs.writeFile("raw.json", '"{{db.user}}"');
    expect((await zs.ok(["resolve", "raw.json", "--format", "text"])).stdout).toBe('"app"');
  });

  it("a file its format refuses, or a value dotenv cannot carry, fails naming where (no value), printing and writing nothing; a bad --format is a usage error", async () => {
    await zs.addSecret("unportable", { v: `it's "x"` });
    await zs.writeFile("bare.json", '{"port": {{db.user}}}');
    await zs.writeFile("broken.yaml", "a: [1,\n");
    await zs.writeFile("unportable.env", "OK=1\nBAD={{unportable.v}}\n");
    expectError(
      await zs.run(["resolve", "bare.json", "-o", "never-1"]),
      `'bare.json' is not valid JSON (line 1, column 11): a reference must sit inside a JSON string ("{{db.password}}"); --format text resolves it as plain text.`,
    );
    const yaml = await zs.run(["resolve", "broken.yaml", "-o", "never-2"]);
    expect(yaml).toMatchObject({ code: 1, stdout: "" });
    expect(yaml.stderr).toMatch(/^Error: 'broken\.yaml' is not valid YAML \(line \d+, column \d+\): [A-Z_]+; --format text resolves it as plain text\.\n$/);
    expectError(
      await zs.run(["resolve", "unportable.env", "-o", "never-3"]),
      `The value of 'BAD' cannot be written as dotenv that npm dotenv and python-dotenv both read back exactly (a value holding both ' and ", or \${…}, for example); use a JSON or YAML file instead.`,
    );
    await zs.writeFile("missing.json", '{"a": "{{db.user}}",\n "b": "{{db.nokey}}"}');
    await zs.writeFile("malformed.yaml", "a: ok\nb: '{{db . user}}'\n");
    expectError(
      await zs.run(["resolve", "missing.json", "-o", "never-4"]),
      "Secret 'db' has no key 'nokey' ({{db.nokey}}, wanted by line 2 of 'missing.json'); its keys are: password, tls.key, user.",
    );
    expectError(
      await zs.run(["resolve", "malformed.yaml", "-o", "never-5"]),
      "Line 2 of 'malformed.yaml' holds a malformed reference '{{db . user}}': write {{secret_name.key}}, or \\{{ for a literal '{{'.",
    );
    for (const file of ["never-1", "never-2", "never-3", "never-4", "never-5"]) expect(existsSync(path.join(zs.workDir, file))).toBe(false);
    expectUsageError(await zs.run(["resolve", "bare.json", "--format", "xml"]), "argument 'xml' is invalid. Allowed choices are json, yaml, env, text.");
  });

  it("- reads the text from stdin", async () => {
    expect(await zs.run(["resolve", "-"], { input: "u={{db.user}} t={{api.token}}\n" })).toEqual({ code: 0, stdout: "u=app t=workspace-token\n", stderr: "" });
  });

  it("-o FILE writes the result with mode 0600, also over an existing file, and prints no value", async () => {
    await zs.writeFile("in.yaml", "password: {{db.password}}\n");
    const result = await zs.run(["resolve", "in.yaml", "-o", "out.yaml"]);
    expect(result).toEqual({ code: 0, stdout: "Resolved 'in.yaml' into 'out.yaml'.\n", stderr: "" });
    expect(await zs.readFile("out.yaml")).toBe(`password: ${password}\n`);
    expect((await stat(path.join(zs.workDir, "out.yaml"))).mode & 0o777).toBe(0o600);

    const existing = path.join(zs.workDir, "existing.yaml");
    await writeFile(existing, "old content that is longer than the new one\n".repeat(5));
    await chmod(existing, 0o644);
    await zs.ok(["resolve", "in.yaml", "--output", existing]);
    expect(await zs.readFile("existing.yaml")).toBe(`password: ${password}\n`);
    expect((await stat(existing)).mode & 0o777).toBe(0o600);
  });

  it("the caller's user-scoped secret is used before the workspace one of the same name", async () => {
    const mine = await zs.createSecret("api", { token: "my-own-token" }, "user");
    await zs.writeFile("token.txt", "{{api.token}}");
    expect((await zs.ok(["resolve", "token.txt"])).stdout).toBe("my-own-token");
    await zs.ok(["secret", "delete", mine.id, "-y"]);
    expect((await zs.ok(["resolve", "token.txt"])).stdout).toBe("workspace-token");
  });

  it("--workspace resolves against that workspace's secrets", async () => {
    await zs.ok(["workspace", "create", "elsewhere"]);
    await zs.ok(["secret", "create", "db", "--user=elsewhere-user", "--workspace", "elsewhere"]);
    await zs.writeFile("user.txt", "{{db.user}}");
    expect((await zs.ok(["resolve", "user.txt", "--workspace", "elsewhere"])).stdout).toBe("elsewhere-user");
  });

  it("a missing secret or key, or a malformed reference, fails naming it (and the keys there are), printing and writing nothing", async () => {
    await zs.writeFile("missing-secret.txt", "a {{db.user}} b {{nowhere.k}}");
    await zs.writeFile("missing-key.txt", "{{db.user}} {{db.nokey}}");
    await zs.writeFile("malformed.txt", "{{db.user}} {{db . password}}");
    expectError(await zs.run(["resolve", "missing-secret.txt", "-o", "never-1.txt"]), "No secret named 'nowhere' in workspace 'default' (wanted by the text).");
    expectError(
      await zs.run(["resolve", "missing-key.txt", "-o", "never-2.txt"]),
      "Secret 'db' has no key 'nokey' ({{db.nokey}}, wanted by the text); its keys are: password, tls.key, user.",
    );
    expectError(
      await zs.run(["resolve", "malformed.txt", "-o", "never-3.txt"]),
      "The text holds a malformed reference '{{db . password}}': write {{secret_name.key}}, or \\{{ for a literal '{{'.",
    );
    for (const file of ["never-1.txt", "never-2.txt", "never-3.txt"]) expect(existsSync(path.join(zs.workDir, file))).toBe(false);
  });

  it("a file holding 1,000 references resolves; 1,001 fail with LIMIT_EXCEEDED's message before any lookup, printing and writing nothing", async () => {
    await zs.writeFile("at-limit.txt", "{{db.user}}\n".repeat(1000));
    expect(await zs.run(["resolve", "at-limit.txt"])).toEqual({ code: 0, stdout: "app\n".repeat(1000), stderr: "" });
    // References to secrets that do not exist: a lookup would have failed with SECRET_NOT_FOUND instead.
    await zs.writeFile("over-limit.txt", "{{db.user}}\n".repeat(1000) + "{{nowhere.k}}\n");
    expectError(
      await zs.run(["resolve", "over-limit.txt", "-o", "never.txt"]),
      "The text holds 1,001 references; one resolution may hold at most 1,000: split it into smaller ones.",
    );
    expect(existsSync(path.join(zs.workDir, "never.txt"))).toBe(false);
  });

  it("a missing file fails naming it; no FILE is a usage error", async () => {
    expectError(await zs.run(["resolve", "no-such-file.yaml"]), "Cannot read 'no-such-file.yaml': no such file.");
    expectUsageError(await zs.run(["resolve"]), "missing required argument 'file'");
  });
});
