import { describe, expect, it } from "@jest/globals";
import { HARNESS_FACTORIES, expectUsageError, notFound, uniqueName, useZsHarness } from "./support/zs-process.js";

const TWO_READERS = /Only one value can come from standard input: --\S+=@- already reads it, so --\S+=@- cannot/;

describe.each(HARNESS_FACTORIES)("secret values from standard input ($mode)", (factory) => {
  const zs = useZsHarness(factory);

  it("--KEY=@- stores standard input exactly, trailing newlines and all", async () => {
    const name = uniqueName();
    await zs.ok(["secret", "create", name, "--password=@-", "--user=admin"], { input: "s3cret\n\n" });
    expect(await zs.values(name)).toEqual({ password: "s3cret\n\n", user: "admin" });
  });

  it("--KEY=@- keeps bytes a shell or a parser could mangle (no newline, '=', quotes, unicode)", async () => {
    const name = uniqueName();
    const value = `a=b "c" 'd' $e \\n ü ${"\u0001"}`;
    await zs.ok(["secret", "create", name, "--k=@-"], { input: value });
    expect(await zs.values(name)).toEqual({ k: value });
  });

  it("--KEY=@- with empty standard input stores the empty string", async () => {
    const name = uniqueName();
    await zs.ok(["secret", "create", name, "--k=@-"]);
    expect(await zs.values(name)).toEqual({ k: "" });
  });

  it("secret update --KEY=@- sets that key from standard input, other keys kept", async () => {
    const name = uniqueName();
    await zs.addSecret(name, { user: "admin", password: "old" });
    await zs.ok(["secret", "update", name, "--password=@-"], { input: "n3w" });
    expect(await zs.values(name)).toEqual({ user: "admin", password: "n3w" });
  });

  it("-v @- reads JSON, YAML or dotenv values from standard input", async () => {
    const [json, yaml, dotenv] = [uniqueName(), uniqueName(), uniqueName()];
    await zs.ok(["secret", "create", json, "-v", "@-"], { input: '{"a":"1","b":"two words"}' });
    await zs.ok(["secret", "create", yaml, "--values", "@-"], { input: "a: '1'\nb: two words\n" });
    await zs.ok(["secret", "create", dotenv, "-v", "@-"], { input: "a=1\nb='two words'\n" });
    for (const name of [json, yaml, dotenv]) expect(await zs.values(name)).toEqual({ a: "1", b: "two words" });
  });

  it("--KEY=@@- is the literal @-, and --KEY=- the literal -, without reading standard input", async () => {
    const name = uniqueName();
    await zs.ok(["secret", "create", name, "--at=@@-", "--dash=-"], { input: "unread" });
    expect(await zs.values(name)).toEqual({ at: "@-", dash: "-" });
  });

  it("refuses two values from standard input (two keys, or a key and -v) as a usage error, creating nothing", async () => {
    const name = uniqueName();
    const twoKeys = await zs.run(["secret", "create", name, "--a=@-", "--b=@-"], { input: "s3cret" });
    expectUsageError(twoKeys, TWO_READERS);
    expect(twoKeys.stderr).toContain("--a=@-");
    expect(twoKeys.stderr).toContain("--b=@-");
    expect(twoKeys.stderr).not.toContain("s3cret");
    expectUsageError(await zs.run(["secret", "create", name, "--a=@-", "-v", "@-"], { input: "s3cret" }), TWO_READERS);
    expect((await zs.run(["secret", "get", name])).stderr).toBe(`Error: ${notFound(name)}\n`);
  });

  it("refuses two values from standard input on update, changing nothing", async () => {
    const name = uniqueName();
    await zs.addSecret(name, { a: "1", b: "2" });
    const result = await zs.run(["secret", "update", name, "--a=@-", "--b=@-"], { input: "s3cret" });
    expectUsageError(result, TWO_READERS);
    expect(result.stderr).not.toContain("s3cret");
    expect(await zs.values(name)).toEqual({ a: "1", b: "2" });
  });

  it("-v @- that is not a mapping is a usage error that does not echo the input", async () => {
    const name = uniqueName();
    const result = await zs.run(["secret", "create", name, "-v", "@-"], { input: "[s3cret]" });
    expectUsageError(result, "--values must be a mapping of keys to values.");
    expect(result.stderr).not.toContain("s3cret");
  });
});
