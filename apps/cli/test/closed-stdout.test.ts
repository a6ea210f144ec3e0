import { describe, expect, it } from "@jest/globals";
import { HARNESS_FACTORIES, uniqueName, useZsHarness } from "./support/zs-process.js";

/** Runs `zs ARGS | READER` in sh; zs's own exit status comes back on stderr as `zs-exit=N`. */
function piped(args: string, reader: string): string {
  return `{ zs ${args}; echo "zs-exit=$?" >&2; } | ${reader}`;
}

describe.each(HARNESS_FACTORIES)("zs with a closed stdout ($mode)", (factory) => {
  const zs = useZsHarness(factory);

  it("ends quietly with 0 when the reader exits before zs writes (| true)", async () => {
    const name = uniqueName();
    await zs.addSecret(name, { password: "s3cret" });
    const result = await zs.shell(piped(`secret get ${name} -o json`, "true"));
    expect(result).toEqual({ code: 0, stdout: "", stderr: "zs-exit=0\n" });
  });

  it("ends quietly with 0 when the reader stops after the first byte of a large output (| head -c1)", async () => {
    const name = uniqueName();
    // JSON prints each control character as six (`\u0001`): 360 kB, more than a pipe's
    // buffer, so zs is still writing when head closes the pipe.
    await zs.writeFile("big.json", JSON.stringify({ big: "\u0001".repeat(60_000) }));
    await zs.ok(["secret", "create", name, "-v", "@big.json"]);
    const result = await zs.shell(piped(`secret get ${name} -o json`, "head -c1"));
    expect(result).toEqual({ code: 0, stdout: "{", stderr: "zs-exit=0\n" });
  });

  it("still reports errors on stderr with exit 1 when stdout is closed", async () => {
    const result = await zs.shell(piped("secret get no-such-secret", "true"));
    expect(result.stderr).toContain("Error: No secret with name, id or id prefix 'no-such-secret'");
    expect(result.stderr).toContain("zs-exit=1\n");
    expect(result.stderr).not.toContain("    at ");
  });
});
