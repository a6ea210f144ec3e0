import { describe, expect, it } from "@jest/globals";
import { invalidKeyMessage } from "./support/fixtures.js";
import { HARNESS_FACTORIES, expectError, notFound, uniqueName, useZsHarness, type WireSecret } from "./support/zs-process.js";

/** Ways of giving one invalid key, as `create`/`update` arguments after the name. */
const INVALID_KEY_INPUTS: ReadonlyArray<{ how: string; key: string; args: string[] }> = [
  { how: "--KEY=VALUE with a leading digit", key: "12abc", args: ["--12abc=x"] },
  { how: "--KEY=VALUE with an empty key (--=x)", key: "", args: ["--=x"] },
  { how: "--KEY=VALUE with a '/' in the key", key: "a/b", args: ["--a/b=x"] },
  { how: "--values JSON with a space in the key", key: "abc d", args: ["--values", '{"abc d":"x"}'] },
  { how: "--values JSON with a leading digit", key: "12abc", args: ["--values", '{"12abc":"x"}'] },
  { how: "--values JSON with an empty key", key: "", args: ["--values", '{"":"x"}'] },
  { how: "--values YAML with a space in the key", key: "abc d", args: ["--values", "ok: 1\nabc d: x\n"] },
  { how: "--values YAML with a leading digit", key: "12abc", args: ["--values", "12abc: x\n"] },
  { how: "--values YAML with an empty key", key: "", args: ["--values", '"": x\n'] },
  { how: "--values dotenv with a leading digit", key: "12abc", args: ["--values", "ok=1\n12abc=x\n"] },
  { how: "--values @file (JSON) with a space in the key", key: "abc d", args: ["--values", "@bad-key.json"] },
  { how: "valid --KEY=VALUE pairs plus one invalid key in --values", key: "abc d", args: ["--good=1", "--values", '{"abc d":"x"}'] },
];

describe.each(HARNESS_FACTORIES)("invalid keys ($mode)", (factory) => {
  const zs = useZsHarness(factory);

  it.each(INVALID_KEY_INPUTS)("create refuses an invalid key given as $how, and writes nothing", async ({ key, args }) => {
    await zs.writeFile("bad-key.json", '{"abc d":"x"}');
    const name = uniqueName();
    expectError(await zs.run(["secret", "create", name, ...args]), invalidKeyMessage("secret", key));
    expectError(await zs.run(["secret", "get", name]), notFound(name));
  });

  it.each(INVALID_KEY_INPUTS)("update refuses an invalid key given as $how, and changes nothing", async ({ key, args }) => {
    await zs.writeFile("bad-key.json", '{"abc d":"x"}');
    const name = uniqueName();
    await zs.ok(["secret", "create", name, "--keep=1", "--good=0"]);
    const before = await zs.json<WireSecret>(["secret", "get", name]);
    expectError(await zs.run(["secret", "update", name, ...args]), invalidKeyMessage("update", key));
    expect(await zs.json<WireSecret>(["secret", "get", name])).toEqual(before);
  });

  it("dotenv data cannot hold a key with a space: such a line is refused as a usage error, nothing written", async () => {
    const name = uniqueName();
    expectError(await zs.run(["secret", "create", name, "--values", "ok=1\nabc d=x\n"]), "Line 2 of the dotenv data is not KEY=VALUE.", 2);
    expectError(await zs.run(["secret", "get", name]), notFound(name));
    await zs.ok(["secret", "create", name, "--ok=1"]);
    // Alone, such a line is not dotenv at all, and not a YAML mapping either.
    expectError(await zs.run(["secret", "update", name, "--values", "abc d=x"]), "--values must be a mapping of keys to values.", 2);
    expectError(await zs.run(["secret", "update", name, "--values", "ok=2\nabc d=x"]), "Line 2 of the dotenv data is not KEY=VALUE.", 2);
    expect(await zs.values(name)).toEqual({ ok: "1" });
  });

  it("refuses __proto__ as a key", async () => {
    const name = uniqueName();
    const message = "Invalid secret: values: invalid key '__proto__': JavaScript objects cannot hold it.";
    expectError(await zs.run(["secret", "create", name, "--__proto__=x"]), message);
    expectError(await zs.run(["secret", "create", name, "--values", '{"__proto__":"x"}']), message);
    expectError(await zs.run(["secret", "get", name]), notFound(name));
  });

  it("accepts the valid key forms of model.md: db.password, api-key, _x, A1", async () => {
    const name = uniqueName();
    await zs.ok(["secret", "create", name, "--db.password=a", "--api-key=b", "--_x=c", "--values", "A1: d\n"]);
    const stored = await zs.json<WireSecret>(["secret", "get", name]);
    expect(stored.keys).toEqual(["A1", "_x", "api-key", "db.password"]);
    await zs.ok(["secret", "update", name, "--values", "x.y-z=e"]);
    expect(await zs.values(name)).toEqual({ "db.password": "a", "api-key": "b", _x: "c", A1: "d", "x.y-z": "e" });
  });
});
