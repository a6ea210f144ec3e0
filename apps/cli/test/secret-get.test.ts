import { describe, expect, it } from "@jest/globals";
import { parse as parseYaml } from "yaml";
import { ISO_MS, NASTY_VALUES, UUID_V4, cells, parseSecretOutput } from "./support/fixtures.js";
import { HARNESS_FACTORIES, expectError, expectUsageError, notFound, uniqueName, useZsHarness, type WireSecret } from "./support/zs-process.js";

describe.each(HARNESS_FACTORIES)("zs secret get: lookup ($mode)", (factory) => {
  const zs = useZsHarness(factory);

  it("finds the user-scoped secret first when both scopes hold the name; -s picks a scope", async () => {
    const name = uniqueName();
    await zs.ok(["secret", "create", name, "--from=workspace"]);
    await zs.ok(["secret", "create", name, "-s", "user", "--from=user"]);
    expect(await zs.json<WireSecret>(["secret", "get", name])).toMatchObject({ scope: "user", values: { from: "user" } });
    expect(await zs.json<WireSecret>(["secret", "get", name, "-s", "workspace"])).toMatchObject({ scope: "workspace", values: { from: "workspace" } });
    expect(await zs.json<WireSecret>(["secret", "get", name, "--scope", "user"])).toMatchObject({ scope: "user", values: { from: "user" } });
  });

  it("with -s, looks only in that scope", async () => {
    const shared = uniqueName();
    const mine = uniqueName();
    await zs.ok(["secret", "create", shared, "--k=v"]);
    await zs.ok(["secret", "create", mine, "-s", "user", "--k=v"]);
    expectError(await zs.run(["secret", "get", shared, "-s", "user"]), `No secret with name, id or id prefix '${shared}' in workspace 'default' (scope user).`);
    expectError(await zs.run(["secret", "get", mine, "-s", "workspace"]), `No secret with name, id or id prefix '${mine}' in workspace 'default' (scope workspace).`);
  });

  it("finds a secret by its full id, in any case", async () => {
    const name = uniqueName();
    const { id } = await zs.createSecret(name, { k: "by-id" });
    expect(await zs.json<WireSecret>(["secret", "get", id])).toMatchObject({ id, name, values: { k: "by-id" } });
    expect((await zs.json<WireSecret>(["secret", "get", id.toUpperCase()])).id).toBe(id);
  });

  it("finds a secret by an id prefix of 8 or more characters", async () => {
    const name = uniqueName();
    const { id } = await zs.createSecret(name, { k: "by-prefix" });
    for (const prefix of [id.slice(0, 8), id.slice(0, 13), id.slice(0, 20)]) {
      expect(await zs.json<WireSecret>(["secret", "get", prefix])).toMatchObject({ id, name });
    }
  });

  it("does not match a 7-character id prefix", async () => {
    const name = uniqueName();
    const { id } = await zs.createSecret(name, { k: "v" });
    const prefix = id.slice(0, 7);
    expectError(await zs.run(["secret", "get", prefix]), notFound(prefix));
  });

  it("does not match part of a name (no substring, prefix or case-insensitive matching)", async () => {
    const name = `part-${uniqueName("match")}`;
    await zs.addSecret(name, { k: "v" });
    for (const partial of [name.slice(0, 10), name.slice(5), name.slice(3, 12), name.toUpperCase()]) {
      expectError(await zs.run(["secret", "get", partial]), notFound(partial));
    }
  });

  it("reports a missing secret with the message of model.md and exit code 1", async () => {
    expectError(await zs.run(["secret", "get", "no-such-secret"]), notFound("no-such-secret"));
  });

  it("refuses an unknown output format or a missing argument as usage errors", async () => {
    const name = uniqueName();
    await zs.addSecret(name, { k: "v" });
    expectUsageError(await zs.run(["secret", "get", name, "-o", "xml"]), "argument 'xml' is invalid. Allowed choices are table, json, yaml, env, shell.");
    expectUsageError(await zs.run(["secret", "get"]), "missing required argument 'name-or-id'");
    expectUsageError(await zs.run(["secret", "get", name, "--bogus"]), "unknown option '--bogus'");
  });
});

describe.each(HARNESS_FACTORIES)("zs secret get: output formats ($mode)", (factory) => {
  const zs = useZsHarness(factory);

  it("prints a table of the metadata, then KEY / VALUE rows with values in clear, keys sorted", async () => {
    const name = uniqueName();
    const created = await zs.createSecret(name, { user: "admin", password: "s3cret!", empty: "" });
    const result = await zs.ok(["secret", "get", name]);
    expect(result.stderr).toBe("");
    const printed = parseSecretOutput(result.stdout);
    expect(printed.header).toEqual(["NAME", "ID", "SCOPE", "WORKSPACE", "VERSION", "UPDATED"]);
    expect(printed.about).toEqual([name, created.id, "workspace", "default", "1", created.updated]);
    expect(printed.keyHeader).toEqual(["KEY", "VALUE"]);
    expect(printed.rows).toEqual([["empty"], ["password", "s3cret!"], ["user", "admin"]]);
    expect(printed.trailer).toEqual([]);
    expect(result.stdout).toBe(await zs.ok(["secret", "get", name, "-o", "table"]).then((r) => r.stdout));
  });

  it("-o json prints exactly the HTTP API's shape", async () => {
    const name = uniqueName();
    await zs.ok(["secret", "create", name, "--b=2", "--a=1", "--e="]);
    const result = await zs.ok(["secret", "get", name, "-o", "json"]);
    expect(result.stderr).toBe("");
    const secret = JSON.parse(result.stdout) as WireSecret;
    expect(Object.keys(secret)).toEqual(["id", "name", "scope", "workspace", "user", "keys", "version", "created", "updated", "values"]);
    expect(secret).toEqual({
      id: expect.stringMatching(UUID_V4),
      name,
      scope: "workspace",
      workspace: "default",
      user: zs.user,
      keys: ["a", "b", "e"],
      version: 1,
      created: expect.stringMatching(ISO_MS),
      updated: secret.created,
      values: { a: "1", b: "2", e: "" },
    });
    expect(result.stdout.endsWith("}\n")).toBe(true);
  });

  it("-o yaml prints the same object as -o json", async () => {
    const name = uniqueName();
    await zs.addSecret(name, NASTY_VALUES);
    const yaml = await zs.ok(["secret", "get", name, "-o", "yaml"]);
    const json = await zs.json<WireSecret>(["secret", "get", name]);
    expect(parseYaml(yaml.stdout)).toEqual(json);
    expect(json.values).toEqual(NASTY_VALUES);
  });

  it("-o env prints dotenv lines: bare when safe, double-quoted otherwise, single-quoted when the value holds a double quote", async () => {
    const name = uniqueName();
    const values = { plain: "abc-1.2_3", url: "https://h:8443/p", glob: "a?b*", spaced: "two words", quote: "it's", said: 'say "hi"', lines: "a\nb", empty: "", dollar: "$HOME" };
    await zs.addSecret(name, values);
    const result = await zs.ok(["secret", "get", name, "-o", "env"]);
    expect(result.stderr).toBe("");
    expect(result.stdout.split("\n").sort()).toEqual(
      ["plain=abc-1.2_3", "url=https://h:8443/p", 'glob="a?b*"', 'spaced="two words"', `quote="it's"`, `said='say "hi"'`, 'lines="a\\nb"', 'empty=""', 'dollar="$HOME"', ""].sort(),
    );
  });

  it("-o shell prints export lines, bare when safe and single-quoted otherwise", async () => {
    const name = uniqueName();
    await zs.addSecret(name, { plain: "abc-1.2_3", glob: "a?b*", quote: "it's", empty: "" });
    const result = await zs.ok(["secret", "get", name, "-o", "shell"]);
    expect(result.stdout.split("\n").sort()).toEqual(["export plain=abc-1.2_3", "export glob='a?b*'", "export quote='it'\\''s'", "export empty=''", ""].sort());
  });

  it("-o shell output survives `eval` in sh byte for byte, for every nasty value", async () => {
    const name = uniqueName();
    await zs.addSecret(name, NASTY_VALUES);
    const keys = Object.keys(NASTY_VALUES);
    // Each variable printed NUL-terminated: NUL is the one byte no value here holds.
    const script = `eval "$(zs secret get ${name} -o shell)" || exit 9; printf '%s\\0' ${keys.map((k) => `"$${k}"`).join(" ")}`;
    const result = await zs.shell(script);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const printed = result.stdout.split("\0").slice(0, -1);
    expect(Object.fromEntries(keys.map((key, i) => [key, printed[i]]))).toEqual(NASTY_VALUES);
  });

  it("-o shell proves one nasty value through `eval \"$(zs secret get N -o shell)\"; printf %s \"$KEY\"`", async () => {
    const name = uniqueName();
    const nasty = `a'b"c\`d$e\\f #g\nh\r\n  ~!*&{}[]|;<>?`;
    await zs.addSecret(name, { KEY: nasty });
    const result = await zs.shell(`eval "$(zs secret get ${name} -o shell)"; printf %s "$KEY"`);
    expect(result).toEqual({ code: 0, stdout: nasty, stderr: "" });
  });

  it("prints a secret that has no keys left as 'No keys.'", async () => {
    const name = uniqueName();
    await zs.ok(["secret", "create", name, "--only=1"]);
    await zs.ok(["secret", "update", name, "-r", "only"]);
    const result = await zs.ok(["secret", "get", name]);
    const lines = result.stdout.split("\n");
    expect(cells(lines[1]!)[0]).toBe(name);
    expect(lines.slice(2)).toEqual(["", "No keys.", ""]);
    expect(await zs.values(name)).toEqual({});
    expect((await zs.ok(["secret", "get", name, "-o", "env"])).stdout).toBe("");
  });
});
