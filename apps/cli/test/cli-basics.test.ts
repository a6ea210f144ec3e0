import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { HARNESS_FACTORIES, expectUsageError, uniqueName, useZsHarness, type ZsResult } from "./support/zs-process.js";

// Any ESC (CSI colours, OSC, cursor moves) counts.
const ANSI = /\u001b/;

describe.each(HARNESS_FACTORIES)("zs program ($mode)", (factory) => {
  const zs = useZsHarness(factory);

  it("--version and -V print the package's version", async () => {
    const { version } = JSON.parse(await readFile(path.join(__dirname, "..", "package.json"), "utf8")) as { version: string };
    expect(await zs.run(["--version"])).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
    expect(await zs.run(["-V"])).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  it("--help prints usage on stdout and exits 0", async () => {
    const result = await zs.run(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: zs \[options\] \[command\]/);
    for (const command of ["secret", "workspace", "status"]) expect(result.stdout).toContain(command);
  });

  it("an unknown command, an unknown option or no command at all is a usage error (exit 2)", async () => {
    expectUsageError(await zs.run(["bogus"]), "error: unknown command 'bogus'");
    expectUsageError(await zs.run(["secret", "bogus"]), "error: unknown command 'bogus'");
    expectUsageError(await zs.run(["--bogus"]), "error: unknown option '--bogus'");
    expectUsageError(await zs.run(["status", "--bogus"]), "error: unknown option '--bogus'");
    expectUsageError(await zs.run([]), "Usage: zs");
  });
});

describe.each(HARNESS_FACTORIES)("colours ($mode)", (factory) => {
  const zs = useZsHarness(factory);

  /** A run of most commands, successes and failures, collecting everything printed. */
  async function everyKindOfOutput(env: Record<string, string | undefined>): Promise<ZsResult[]> {
    const name = uniqueName();
    const run = (args: string[]) => zs.run(args, { env });
    return [
      await run(["secret", "create", name, "--k=v", "--e="]),
      await run(["secret", "get", name]),
      await run(["secret", "get", name, "-o", "json"]),
      await run(["secret", "get", name, "-o", "yaml"]),
      await run(["secret", "get", name, "-o", "env"]),
      await run(["secret", "list"]),
      await run(["secret", "update", name, "--k=w"]),
      await run(["secret", "update", name, "-r", "nope"]),
      await run(["secret", "rename", name, "-n", `${name}-2`]),
      await run(["secret", "export", `${name}-2`, "-f", "colour.yaml"]),
      await run(["secret", "delete", `${name}-2`]),
      await run(["secret", "delete", `${name}-2`, "-y"]),
      await run(["secret", "get", name]),
      await run(["secret", "list", "--page", "x"]),
      await run(["secret", "list", "--name", "gt:x"]),
      await run(["workspace", "list"]),
      await run(["status"]),
      await run(["bogus"]),
      await run(["--help"]),
      await run(["secret", "--help"]),
    ];
  }

  it("NO_COLOR=1: no ANSI escape sequence in any output", async () => {
    const results = await everyKindOfOutput({ NO_COLOR: "1" });
    expect(results.filter((r) => r.code === 0).length).toBeGreaterThan(10);
    for (const { stdout, stderr } of results) {
      expect(stdout).not.toMatch(ANSI);
      expect(stderr).not.toMatch(ANSI);
    }
  });

  it("without a terminal, no ANSI escape sequence either, even with NO_COLOR unset", async () => {
    const results = await everyKindOfOutput({ NO_COLOR: undefined });
    for (const { stdout, stderr } of results) {
      expect(stdout).not.toMatch(ANSI);
      expect(stderr).not.toMatch(ANSI);
    }
  });
});
