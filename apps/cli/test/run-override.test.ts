import path from "node:path";
import { existsSync } from "node:fs";
import { beforeAll, describe, expect, it } from "@jest/globals";
import { HARNESS_FACTORIES, expectError, expectUsageError, useZsHarness, type ZsResult } from "./support/zs-process.js";

const node = process.execPath;
const PRINT_ENV = `const names = process.argv.slice(2);
process.stdout.write(JSON.stringify(Object.fromEntries(names.map((name) => [name, process.env[name] ?? null]))));`;
const json = (result: ZsResult): Record<string, string | null> => {
  if (result.code !== 0) throw new Error(`zs run exited with ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, string | null>;
};
const OUTSIDE = { PATH: process.env.PATH ?? "/usr/bin:/bin", USER: "outside-user" };

describe.each(HARNESS_FACTORIES)("zs run protects the environment it passes on ($mode)", (factory) => {
  const zs = useZsHarness(factory);
  let marker = "";
  let markers = 0;
  const markerChild = () => {
    marker = path.join(zs.workDir, `override-marker-${++markers}`);
    return [node, "-e", "require('node:fs').writeFileSync(process.argv[1], 'ran')", marker];
  };

  beforeAll(async () => {
    await zs.writeFile("print-env.cjs", PRINT_ENV);
    await zs.addSecret("sys", { path: "/s3cret/bin", user: "s3cret-user", token: "t0ken" });
    await zs.ok(["component", "register", "shell", "--type", "t", "--flavor", "f", "--path={{sys.path}}"]);
  }, 60_000);

  it("a secret key that would replace an inherited variable is an error listing the names; the child never starts", async () => {
    const child = markerChild();
    const result = await zs.run(["run", "--secret", "sys", "--", ...child], { env: OUTSIDE });
    expectError(result, "zs run would override PATH, USER, already set in the environment: pass --override to replace them, or --prefix P_ to add P_<NAME> instead.");
    expect(result.stderr).not.toContain("s3cret");
    expect(existsSync(marker)).toBe(false);
  });

  it("a component attribute that would replace an inherited variable is refused the same way", async () => {
    const child = markerChild();
    expectError(
      await zs.run(["run", "--component", "shell", "--", ...child], { env: { ...OUTSIDE, SHELL_PATH: "set" } }),
      "zs run would override SHELL_PATH, already set in the environment: pass --override to replace it, or --prefix P_ to add P_<NAME> instead.",
    );
    expect(existsSync(marker)).toBe(false);
  });

  it("--override lets them replace the inherited variables", async () => {
    const seen = json(await zs.run(["run", "--override", "--secret", "sys", "--", node, "print-env.cjs", "PATH", "USER", "TOKEN"], { env: OUTSIDE }));
    expect(seen).toEqual({ PATH: "/s3cret/bin", USER: "s3cret-user", TOKEN: "t0ken" });
  });

  it("--prefix S_ gives the child S_PATH, S_USER, S_TOKEN and keeps its own PATH and USER", async () => {
    const seen = json(await zs.run(["run", "--prefix", "S_", "--secret", "sys", "--", node, "print-env.cjs", "S_PATH", "S_USER", "S_TOKEN", "PATH", "USER", "TOKEN"], { env: OUTSIDE }));
    expect(seen).toEqual({ S_PATH: "/s3cret/bin", S_USER: "s3cret-user", S_TOKEN: "t0ken", PATH: OUTSIDE.PATH, USER: "outside-user", TOKEN: null });
  });

  it("--prefix applies to --env names too, and a prefixed name already set is still refused", async () => {
    const seen = json(await zs.run(["run", "--prefix", "S_", "--env", "DSN=u={{sys.user}}", "--", node, "print-env.cjs", "S_DSN", "DSN"], { env: OUTSIDE }));
    expect(seen).toEqual({ S_DSN: "u=s3cret-user", DSN: null });
    const child = markerChild();
    expectError(
      await zs.run(["run", "--prefix", "S_", "--secret", "sys", "--", ...child], { env: { ...OUTSIDE, S_TOKEN: "set" } }),
      "zs run would override S_TOKEN, already set in the environment: pass --override to replace it, or --prefix P_ to add P_<NAME> instead.",
    );
    expect(existsSync(marker)).toBe(false);
  });

  it("an --env VAR=… names its variable on purpose: it may replace an inherited one without --override", async () => {
    const seen = json(await zs.run(["run", "--env", "USER={{sys.token}}", "--", node, "print-env.cjs", "USER"], { env: OUTSIDE }));
    expect(seen).toEqual({ USER: "t0ken" });
  });

  it("refuses a --prefix that cannot start a variable name as a usage error, the child never started", async () => {
    for (const prefix of ["1X_", "S-", "", "a b"]) {
      const child = markerChild();
      expectUsageError(await zs.run(["run", "--prefix", prefix, "--secret", "sys", "--", ...child], { env: OUTSIDE }), "--prefix must be a letter or '_', then letters, digits or '_' (e.g. S_).");
      expect(existsSync(marker)).toBe(false);
    }
  });
});
