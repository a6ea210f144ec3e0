import { mkdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { ISO_MS, NAME_RULE, UUID_V4, parseSecretOutput } from "./support/fixtures.js";
import { HARNESS_FACTORIES, expectError, expectUsageError, notFound, uniqueName, useZsHarness, type WireSecret } from "./support/zs-process.js";

describe.each(HARNESS_FACTORIES)("zs secret create ($mode)", (factory) => {
  const zs = useZsHarness(factory);

  it("stores --KEY=VALUE pairs, each value split on the first '=' and kept byte for byte", async () => {
    const name = uniqueName();
    await zs.ok([
      "secret", "create", name,
      "--user=admin",
      "--p=![@#$%^&*()=",
      "--url=postgres://u:p@h:5432/db?a=1&b=2",
      "--spaced=  two  spaces  ",
      "--unicode=héllo ✓ 日本語 🎉",
      "--multi=line1\nline2\r\n",
      "--db.password=dotted",
      "--api-key=dashed",
      "--_under=score",
    ]);
    expect(await zs.values(name)).toEqual({
      user: "admin",
      p: "![@#$%^&*()=",
      url: "postgres://u:p@h:5432/db?a=1&b=2",
      spaced: "  two  spaces  ",
      unicode: "héllo ✓ 日本語 🎉",
      multi: "line1\nline2\r\n",
      "db.password": "dotted",
      "api-key": "dashed",
      _under: "score",
    });
  });

  it("prints the stored secret with every value masked as *** and 'Secret 'N' created.'", async () => {
    const name = uniqueName();
    const result = await zs.ok(["secret", "create", name, "--user=admin", "--password=pw-visible-nowhere", "--empty="]);
    expect(result.stderr).toBe("");
    const printed = parseSecretOutput(result.stdout);
    expect(printed.header).toEqual(["NAME", "ID", "SCOPE", "WORKSPACE", "VERSION", "UPDATED"]);
    expect(printed.about).toHaveLength(6);
    const [shownName, id, scope, workspace, version, updated] = printed.about;
    expect({ shownName, scope, workspace, version }).toEqual({ shownName: name, scope: "workspace", workspace: "default", version: "1" });
    expect(id).toMatch(UUID_V4);
    expect(updated).toMatch(ISO_MS);
    expect(printed.keyHeader).toEqual(["KEY", "VALUE"]);
    expect(printed.rows).toEqual([["empty", "***"], ["password", "***"], ["user", "***"]]);
    expect(printed.trailer).toEqual([`Secret '${name}' created.`]);
    expect(result.stdout).not.toContain("admin");
    expect(result.stdout).not.toContain("pw-visible-nowhere");
    const stored = await zs.json<WireSecret>(["secret", "get", name]);
    expect(stored.id).toBe(id);
  });

  it("stores an empty value (--k=) as the empty string, never null", async () => {
    const name = uniqueName();
    await zs.ok(["secret", "create", name, "--k=", "--other=x"]);
    const stored = await zs.json<WireSecret>(["secret", "get", name]);
    expect(stored.values).toEqual({ k: "", other: "x" });
    expect(stored.keys).toEqual(["k", "other"]);
  });

  it("replaces an @file value with the file's exact contents (relative, absolute and ~ paths)", async () => {
    const name = uniqueName();
    const pem = "-----BEGIN KEY-----\nabc=\r\n-----END KEY-----\n";
    await zs.writeFile("certs/key.pem", pem);
    const absolute = await zs.writeFile("abs.txt", "  spaces kept, no newline");
    await zs.writeFile(path.join(zs.env.HOME!, "sub", "t.txt"), "from home\n");
    await zs.writeFile("empty.txt", "");
    await zs.ok(["secret", "create", name, "--pem=@certs/key.pem", `--abs=@${absolute}`, "--home=@~/sub/t.txt", "--empty=@empty.txt"]);
    expect(await zs.values(name)).toEqual({ pem, abs: "  spaces kept, no newline", home: "from home\n", empty: "" });
  });

  it("stores @@literal as the literal @literal, without reading any file", async () => {
    const name = uniqueName();
    await zs.writeFile("literal", "file contents that must not be read");
    await zs.ok(["secret", "create", name, "--a=@@literal", "--b=@@", "--c=x@y"]);
    expect(await zs.values(name)).toEqual({ a: "@literal", b: "@", c: "x@y" });
  });

  it("refuses an @file that does not exist with an error naming the path, creating nothing", async () => {
    const name = uniqueName();
    expectError(await zs.run(["secret", "create", name, "--ok=1", "--k=@nope/missing.txt"]), "Cannot read 'nope/missing.txt': no such file.");
    expectError(await zs.run(["secret", "get", name]), notFound(name));
  });

  it("refuses an @path that cannot be read (a directory) with an error naming the path", async () => {
    const name = uniqueName();
    await mkdir(path.join(zs.workDir, "a-dir"), { recursive: true });
    expectError(await zs.run(["secret", "create", name, "--k=@a-dir"]), "Cannot read 'a-dir': cannot be read.");
    expectError(await zs.run(["secret", "get", name]), notFound(name));
  });

  it("--values takes a JSON object", async () => {
    const name = uniqueName();
    await zs.ok(["secret", "create", name, "--values", '{"user":"admin","password":"p=w \\"q\\"","empty":""}']);
    expect(await zs.values(name)).toEqual({ user: "admin", password: 'p=w "q"', empty: "" });
  });

  it("--values takes a YAML mapping and reads every scalar as text (1.10 stays 1.10)", async () => {
    const name = uniqueName();
    const yaml = ["version: 1.10", "zip: 007", "flag: true", "nothing: null", "tilde: ~", 'quoted: "a: b"', "block: |", "  line1", "  line2", ""].join("\n");
    await zs.ok(["secret", "create", name, "--values", yaml]);
    expect(await zs.values(name)).toEqual({
      version: "1.10",
      zip: "007",
      flag: "true",
      nothing: "null",
      tilde: "~",
      quoted: "a: b",
      block: "line1\nline2\n",
    });
  });

  it("--values takes dotenv lines: export, comments, blank lines, quotes", async () => {
    const name = uniqueName();
    const dotenv = ["# a comment", "", "A=1", 'export B="two words"', "C=3 # trailing comment", "D='multi", "line'", "E=", ""].join("\n");
    await zs.ok(["secret", "create", name, "--values", dotenv]);
    expect(await zs.values(name)).toEqual({ A: "1", B: "two words", C: "3", D: "multi\nline", E: "" });
  });

  it("--values @file reads JSON, YAML or dotenv from the file", async () => {
    await zs.writeFile("v.json", '{"j":"from json"}\n');
    await zs.writeFile("v.yaml", "y: from yaml\n");
    await zs.writeFile("v.env", "e=from-env\n");
    for (const [file, expected] of [["v.json", { j: "from json" }], ["v.yaml", { y: "from yaml" }], ["v.env", { e: "from-env" }]] as const) {
      const name = uniqueName();
      await zs.ok(["secret", "create", name, "-v", `@${file}`]);
      expect(await zs.values(name)).toEqual(expected);
    }
  });

  it("--values is merged over the --KEY=VALUE pairs", async () => {
    const name = uniqueName();
    await zs.ok(["secret", "create", name, "--a=1", "--b=from-pair", "--values", '{"b":"from-values","c":"3"}']);
    expect(await zs.values(name)).toEqual({ a: "1", b: "from-values", c: "3" });
  });

  it("refuses --values that is not a mapping, or not valid JSON, as usage errors", async () => {
    const name = uniqueName();
    expectError(await zs.run(["secret", "create", name, "--values", "[1, 2]"]), "--values must be a mapping of keys to values.", 2);
    expectError(await zs.run(["secret", "create", name, "--values", '{"a": '], {}), "--values looks like JSON but does not parse as JSON.", 2);
    expectError(await zs.run(["secret", "create", name, "--values", "just text"]), "--values must be a mapping of keys to values.", 2);
    expectError(await zs.run(["secret", "get", name]), notFound(name));
  });

  it("refuses a --values entry whose value is not a string", async () => {
    const name = uniqueName();
    expectError(await zs.run(["secret", "create", name, "--values", '{"n": 1}']), "The value of key 'n' in --values must be a string.");
    expectError(await zs.run(["secret", "create", name, "--values", "list:\n  - a\n"]), "The value of key 'list' in --values must be a string.");
    expectError(await zs.run(["secret", "get", name]), notFound(name));
  });

  it("-s user creates a user-scoped secret owned by the caller; --scope workspace is the default", async () => {
    const mine = uniqueName();
    const shared = uniqueName();
    const created = await zs.ok(["secret", "create", mine, "-s", "user", "--k=v"]);
    expect(parseSecretOutput(created.stdout).about[2]).toBe("user");
    await zs.ok(["secret", "create", shared, "--scope", "workspace", "--k=v"]);
    expect(await zs.json<WireSecret>(["secret", "get", mine])).toMatchObject({ name: mine, scope: "user", user: zs.user, workspace: "default" });
    expect(await zs.json<WireSecret>(["secret", "get", shared])).toMatchObject({ name: shared, scope: "workspace", user: zs.user });
  });

  it("refuses an unknown scope as a usage error", async () => {
    const result = await zs.run(["secret", "create", uniqueName(), "-s", "global", "--k=v"]);
    expectUsageError(result, "Error: --scope must be workspace or user.");
  });

  it("a refused --scope value is not echoed (it may be a value meant for a key named scope)", async () => {
    const result = await zs.run(["secret", "create", uniqueName(), "--scope=hunter2-secret"]);
    expectUsageError(result, "--scope must be workspace or user.");
    expect(result.stderr).not.toContain("hunter2-secret");
  });

  it("without any key is a usage error and creates nothing", async () => {
    const name = uniqueName();
    expectError(await zs.run(["secret", "create", name]), "Give at least one --KEY=VALUE (or --values, or -i).", 2);
    expectError(await zs.run(["secret", "create", name, "--values", ""]), "Give at least one --KEY=VALUE (or --values, or -i).", 2);
    expectError(await zs.run(["secret", "create", name, "--values", "{}"]), "Give at least one --KEY=VALUE (or --values, or -i).", 2);
    expectError(await zs.run(["secret", "get", name]), notFound(name));
  });

  it("-i without a terminal is a usage error; -i with --KEY=VALUE or --values too", async () => {
    const name = uniqueName();
    expectError(await zs.run(["secret", "create", name, "-i"]), "-i/--interactive needs a terminal.", 2);
    expectError(await zs.run(["secret", "create", name, "-i", "--k=v"]), "-i/--interactive cannot be combined with --KEY=VALUE or --values.", 2);
    expectError(await zs.run(["secret", "create", name, "--interactive", "-v", "k=v"]), "-i/--interactive cannot be combined with --KEY=VALUE or --values.", 2);
    expectError(await zs.run(["secret", "get", name]), notFound(name));
  });

  it("refuses a key given twice, a value without '=', a stray argument and a missing name as usage errors", async () => {
    const name = uniqueName();
    expectError(await zs.run(["secret", "create", name, "--k=1", "--k=2"]), "Key 'k' is given twice.", 2);
    expectError(await zs.run(["secret", "create", name, "--k"]), "Unexpected argument '--k': give values as --KEY=VALUE.", 2);
    expectError(await zs.run(["secret", "create", name, "--k=1", "k2=2"]), "Unexpected argument 'k2=…': one NAME, then values as --KEY=VALUE.", 2);
    expectError(await zs.run(["secret", "create", name, "--k=1", "extra"]), "Unexpected extra argument: one NAME, then values as --KEY=VALUE.", 2);
    expectError(await zs.run(["secret", "create", "--k=1"]), "Missing the secret's name: zs secret create NAME [--KEY=VALUE ...].", 2);
    expectError(await zs.run(["secret", "get", name]), notFound(name));
  });

  it("refuses an invalid name (dots, spaces, a UUID)", async () => {
    for (const name of ["has.dot", "has space", "{braces}", "0e8f5b7c-8c1a-4c55-9b7e-3f4a1a2b3c4d"]) {
      expectError(await zs.run(["secret", "create", name, "--k=v"]), `Invalid secret: name: ${NAME_RULE}.`);
    }
  });

  it("refuses a secret over 65,536 bytes of keys and values (SECRET_TOO_LARGE), creating nothing", async () => {
    const name = uniqueName();
    await zs.writeFile("big.txt", "x".repeat(65_536));
    expectError(await zs.run(["secret", "create", name, "--k=@big.txt"]), `Secret '${name}' would be 65537 bytes (keys and values, UTF-8); the limit is 65536.`);
    expectError(await zs.run(["secret", "get", name]), notFound(name));
    await zs.writeFile("fits.txt", "x".repeat(65_535));
    await zs.ok(["secret", "create", name, "--k=@fits.txt"]);
    expect((await zs.values(name)).k).toHaveLength(65_535);
  });

  it("refuses a second workspace-scoped secret of the same name (SECRET_EXISTS), leaving the first untouched", async () => {
    const name = uniqueName();
    await zs.ok(["secret", "create", name, "--k=first"]);
    const before = await zs.json<WireSecret>(["secret", "get", name]);
    expectError(
      await zs.run(["secret", "create", name, "--k=second"]),
      `A workspace-scoped secret named '${name}' already exists in workspace 'default'.`,
    );
    expect(await zs.json<WireSecret>(["secret", "get", name])).toEqual(before);
  });

  it("refuses a second user-scoped secret of the same name, naming the user scope", async () => {
    const name = uniqueName();
    await zs.ok(["secret", "create", name, "-s", "user", "--k=first"]);
    expectError(
      await zs.run(["secret", "create", name, "-s", "user", "--k=second"]),
      `A user-scoped secret named '${name}' already exists among your user-scoped secrets in workspace 'default'.`,
    );
    expect(await zs.values(name, "-s", "user")).toEqual({ k: "first" });
  });

  it("allows one workspace-scoped and one user-scoped secret of the same name", async () => {
    const name = uniqueName();
    await zs.ok(["secret", "create", name, "--k=shared"]);
    await zs.ok(["secret", "create", name, "-s", "user", "--k=mine"]);
    const shared = await zs.json<WireSecret>(["secret", "get", name, "-s", "workspace"]);
    const mine = await zs.json<WireSecret>(["secret", "get", name, "-s", "user"]);
    expect(shared.id).not.toBe(mine.id);
    expect([shared.values, mine.values]).toEqual([{ k: "shared" }, { k: "mine" }]);
  });
});
