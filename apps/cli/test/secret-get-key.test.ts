import { describe, expect, it } from "@jest/globals";
import { spawnInPty } from "./support/pty.js";
import { HARNESS_FACTORIES, ZS_BIN, expectError, expectUsageError, notFound, uniqueName, useZsHarness } from "./support/zs-process.js";

describe.each(HARNESS_FACTORIES)("zs secret get NAME -k KEY ($mode)", (factory) => {
  const zs = useZsHarness(factory);

  it("prints exactly the value, no newline added when stdout is not a terminal", async () => {
    const name = uniqueName();
    await zs.addSecret(name, { user: "admin", password: "s3cret" });
    expect(await zs.run(["secret", "get", name, "-k", "password"])).toEqual({ code: 0, stdout: "s3cret", stderr: "" });
    expect(await zs.run(["secret", "get", name, "--key", "user"])).toEqual({ code: 0, stdout: "admin", stderr: "" });
  });

  it("keeps the value byte for byte: its own trailing newline, spaces, an empty value", async () => {
    const name = uniqueName();
    await zs.addSecret(name, { pem: "line 1\nline 2\n", spaced: "  a b  ", empty: "" });
    expect((await zs.ok(["secret", "get", name, "-k", "pem"])).stdout).toBe("line 1\nline 2\n");
    expect((await zs.ok(["secret", "get", name, "-k", "spaced"])).stdout).toBe("  a b  ");
    expect((await zs.ok(["secret", "get", name, "-k", "empty"])).stdout).toBe("");
  });

  it("shows exactly the value to od -c and to $(…) in a shell", async () => {
    const name = uniqueName();
    await zs.addSecret(name, { password: "s3cret" });
    expect((await zs.shell(`zs secret get ${name} -k password | od -c`)).stdout).toMatch(/^0000000\s+s\s+3\s+c\s+r\s+e\s+t\n0000006\n$/);
    expect((await zs.shell(`v=$(zs secret get ${name} -k password) && printf '[%s]' "$v"`)).stdout).toBe("[s3cret]");
  });

  it("--newline always ends the value with a newline", async () => {
    const name = uniqueName();
    await zs.addSecret(name, { password: "s3cret" });
    expect((await zs.ok(["secret", "get", name, "-k", "password", "--newline"])).stdout).toBe("s3cret\n");
  });

  it("adds a newline on a terminal", async () => {
    const name = uniqueName();
    await zs.addSecret(name, { password: "s3cret" });
    const session = spawnInPty([process.execPath, ZS_BIN, "secret", "get", name, "-k", "password"], { env: zs.env, cwd: zs.workDir });
    expect(await session.exit()).toBe(0);
    expect(session.text).toMatch(/s3cret\r?\n$/);
  });

  it("reads with -s the scope's secret and with --version an earlier version's value", async () => {
    const name = uniqueName();
    await zs.addSecret(name, { k: "shared" });
    await zs.addSecret(name, { k: "mine" }, "user");
    expect((await zs.ok(["secret", "get", name, "-k", "k", "-s", "workspace"])).stdout).toBe("shared");
    expect((await zs.ok(["secret", "get", name, "-k", "k"])).stdout).toBe("mine");
    const versioned = uniqueName();
    await zs.addSecret(versioned, { k: "v1" });
    await zs.ok(["secret", "update", versioned, "--k=v2"]);
    expect((await zs.ok(["secret", "get", versioned, "-k", "k", "--version", "1"])).stdout).toBe("v1");
    expect((await zs.ok(["secret", "get", versioned, "-k", "k"])).stdout).toBe("v2");
  });

  it("a missing key is an error naming it and the keys there are (exit 1, no value shown)", async () => {
    const name = uniqueName();
    await zs.addSecret(name, { user: "admin", password: "s3cret" });
    const result = await zs.run(["secret", "get", name, "-k", "pasword"]);
    expectError(result, `Secret '${name}' has no key 'pasword'; its keys are: password, user.`);
    expect(result.stderr).not.toContain("s3cret");
  });

  it("a missing secret is the usual not-found error", async () => {
    expectError(await zs.run(["secret", "get", "no-such-secret", "-k", "k"]), notFound("no-such-secret"));
  });

  it("refuses -k with -o, --newline without -k, and -k without a key as usage errors", async () => {
    const name = uniqueName();
    await zs.addSecret(name, { k: "v" });
    expectUsageError(await zs.run(["secret", "get", name, "-k", "k", "-o", "json"]), "-k/--key prints the value alone: it cannot be combined with -o/--output.");
    expectUsageError(await zs.run(["secret", "get", name, "--newline"]), "--newline goes with -k/--key KEY (the value alone).");
    expectUsageError(await zs.run(["secret", "get", name, "-k"]), "option '-k, --key <key>' argument missing");
  });
});
