import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "@jest/globals";
import { ZS_CREDENTIAL_PREFIXES, ZS_CREDENTIAL_VARIABLES } from "@zs/core";
import {
  HARNESS_FACTORIES,
  ZS_BIN,
  expectError,
  expectUsageError,
  localHarness,
  remoteHarness,
  useZsHarness,
  type DescribeHarness,
  type ZsResult,
} from "./support/zs-process.js";

// The fixture secret `db` has a key `user`, and zs run refuses to replace an inherited USER
// (run-override.test.ts sets one on purpose): the children here start without it.
delete process.env.USER;

/** A value that cannot turn up anywhere by chance. */
const distinctive = (label: string) => `run-${label}-${randomBytes(12).toString("hex")}`;

// Child programs, written into the work directory: zs runs them as `node FILE ...`.
const CHILDREN = {
  // Prints the variables named in its arguments as JSON (null when unset).
  "print-env.cjs": `const names = process.argv.slice(2);
process.stdout.write(JSON.stringify(Object.fromEntries(names.map((name) => [name, process.env[name] ?? null]))));`,
  // Prints its own arguments as JSON.
  "print-args.cjs": "process.stdout.write(JSON.stringify(process.argv.slice(2)));",
  // Creates the marker file named in its argument: proof that it ran.
  "marker.cjs": "require('node:fs').writeFileSync(process.argv[2], 'ran');",
  // Exits with the status in its argument, or kills itself with the signal named there.
  "exit.cjs": "const how = process.argv[2]; if (/^SIG/.test(how)) process.kill(process.pid, how); else process.exit(Number(how));",
  // Prints only a digest of the variables named, so that it proves it saw them without showing them.
  "digest-env.cjs": `const names = process.argv.slice(2);
process.stdout.write(require('node:crypto').createHash('sha256').update(names.map((name) => process.env[name] ?? '').join('\\0')).digest('hex'));`,
  // Records the first signal it gets into the file named in its first argument, then exits with
  // the status in its second; says "ready" once its handlers are in place.
  "trap.cjs": `const [record, status] = process.argv.slice(2);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => { require('node:fs').writeFileSync(record, signal); process.exit(Number(status)); });
process.stdout.write('ready\\n');
setInterval(() => {}, 1000);`,
  // Says "ready", then waits to be stopped, with no handler of its own.
  "wait.cjs": "process.stdout.write('ready\\n'); setInterval(() => {}, 1000);",
} as const;

async function writeChildren(zs: DescribeHarness): Promise<void> {
  for (const [name, source] of Object.entries(CHILDREN)) await zs.writeFile(name, source);
}

const node = process.execPath;
const json = <T = Record<string, string | null>>(result: ZsResult): T => {
  if (result.code !== 0) throw new Error(`zs run exited with ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
};

/** Every file under `dir`, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe.each(HARNESS_FACTORIES)("zs run: the environment, the arguments and the exit status ($mode)", (factory) => {
  const zs = useZsHarness(factory);
  const V = { user: distinctive("user"), password: distinctive("password"), apiKey: distinctive("api-key"), token: distinctive("token") };

  beforeAll(async () => {
    await writeChildren(zs);
    await zs.addSecret("db", { user: V.user, password: V.password });
    await zs.addSecret("api", { "api-key": V.apiKey, "tls.token": V.token });
    await zs.ok([
      "component", "register", "ml-tracker", "--type", "experiment-tracker", "--flavor", "mlflow",
      "--url=postgres://{{db.user}}:{{ db.password }}@host/app", "--password={{db.password}}", "--tls.mode=strict", "--literal=\\{{db.user}}",
    ]);
    await zs.ok(["component", "register", "store", "--type", "artifact-store", "--flavor", "s3", "--key={{api.api-key}}"]);
    await zs.ok(["stack", "register", "app", "-c", "ml-tracker", "-c", "store"]);
  }, 60_000);

  it("the child sees <COMPONENT>_<ATTRIBUTE> for every attribute of every component of --stack, references resolved", async () => {
    const names = ["ML_TRACKER_URL", "ML_TRACKER_PASSWORD", "ML_TRACKER_TLS_MODE", "ML_TRACKER_LITERAL", "STORE_KEY", "USER", "API_KEY"];
    const seen = json(await zs.run(["run", "--stack", "app", "--", node, "print-env.cjs", ...names], { env: { USER: undefined, API_KEY: undefined } }));
    expect(seen).toEqual({
      ML_TRACKER_URL: `postgres://${V.user}:${V.password}@host/app`,
      ML_TRACKER_PASSWORD: V.password,
      ML_TRACKER_TLS_MODE: "strict",
      ML_TRACKER_LITERAL: "{{db.user}}",
      STORE_KEY: V.apiKey,
      USER: null,
      API_KEY: null,
    });
  });

  it("--secret adds each key as <KEY>, --component one component's attributes, --env VAR=TEMPLATE its resolved template", async () => {
    const names = ["USER", "PASSWORD", "API_KEY", "TLS_TOKEN", "STORE_KEY", "ML_TRACKER_URL", "DSN", "PLAIN"];
    const seen = json(
      await zs.run(["run", "--secret", "db", "--secret", "api", "--component", "store", "--env", "DSN=u={{db.user}};p={{api.tls.token}}", "--env", "PLAIN=no=refs", "--", node, "print-env.cjs", ...names]),
    );
    expect(seen).toEqual({
      USER: V.user,
      PASSWORD: V.password,
      API_KEY: V.apiKey,
      TLS_TOKEN: V.token,
      STORE_KEY: V.apiKey,
      ML_TRACKER_URL: null,
      DSN: `u=${V.user};p=${V.token}`,
      PLAIN: "no=refs",
    });
  });

  it("with --override the added variables win over zs's own environment, which the child otherwise inherits; --env wins over a derived one", async () => {
    const seen = json(
      await zs.run(["run", "--override", "--stack", "app", "--env", "STORE_KEY=set-by-env", "--", node, "print-env.cjs", "ML_TRACKER_PASSWORD", "STORE_KEY", "INHERITED"], {
        env: { ML_TRACKER_PASSWORD: "from-outside", STORE_KEY: "from-outside", INHERITED: "kept" },
      }),
    );
    expect(seen).toEqual({ ML_TRACKER_PASSWORD: V.password, STORE_KEY: "set-by-env", INHERITED: "kept" });
  });

  it("the command's arguments pass through untouched, options included, with or without --", async () => {
    const args = ["--stack", "other", "-o", "json", "--", "--level=x", "a b", ""];
    expect(json<string[]>(await zs.run(["run", "--secret", "db", "--", node, "print-args.cjs", ...args]))).toEqual(args);
    expect(json<string[]>(await zs.run(["run", "--secret", "db", node, "print-args.cjs", ...args]))).toEqual(args);
  });

  it.each([0, 1, 3, 42, 255])("zs exits with the child's exit status %i and prints nothing of its own", async (status) => {
    expect(await zs.run(["run", "--secret", "db", "--", node, "exit.cjs", String(status)])).toEqual({ code: status, stdout: "", stderr: "" });
  });

  it.each([
    ["SIGKILL", 137],
    ["SIGTERM", 143],
  ])("a child ended by %s: zs exits with 128 + its number", async (signal, status) => {
    expect(await zs.run(["run", "--secret", "db", "--", node, "exit.cjs", signal])).toEqual({ code: status, stdout: "", stderr: "" });
  });

  it("a command that does not exist: exit 127 naming it; one that cannot be executed: 126", async () => {
    expect(await zs.run(["run", "--secret", "db", "--", "no-such-command-zs", "x"])).toEqual({ code: 127, stdout: "", stderr: "Error: Cannot run 'no-such-command-zs': command not found.\n" });
    expect(await zs.run(["run", "--secret", "db", "--", "./print-args.cjs"])).toEqual({ code: 126, stdout: "", stderr: "Error: Cannot run './print-args.cjs': permission denied.\n" });
  });

  it("usage errors (exit 2), the child never started: no command, nothing to add, a malformed --env, an invalid --level", async () => {
    const marker = path.join(zs.workDir, "usage-marker");
    const child = [node, "marker.cjs", marker];
    expectUsageError(await zs.run(["run", "--stack", "app"]), "Missing the command to run: zs run [--stack S] [--component C] [--secret N] [--env VAR=TEMPLATE] -- CMD [ARGS...].");
    expectUsageError(await zs.run(["run", "--", ...child]), "Nothing to add to the environment: give --stack, --component, --secret or --env.");
    expectUsageError(await zs.run(["run", "--env", "NOEQUALS", "--", ...child]), "--env wants VAR=TEMPLATE; one of them has no '='.");
    expectUsageError(await zs.run(["run", "--env", "1X={{db.user}}", "--", ...child]), "--env 1X=…: the variable must be a letter or '_', then letters, digits or '_' (and not __proto__).");
    expectUsageError(await zs.run(["run", "--env", "X=a", "--env", "X=b", "--", ...child]), "--env X is given more than once.");
    expectUsageError(await zs.run(["run", "--stack", "app", "--level", "STRICT", "--", ...child]), "Allowed choices are NONE, SECRET_EXISTS, SECRET_AND_KEY_EXISTS.");
    expect(existsSync(marker)).toBe(false);
  });

  it("two sources deriving the same variable are refused before the child starts, unless --env sets it; a repeated --secret is no clash", async () => {
    const marker = path.join(zs.workDir, "clash-marker");
    await zs.addSecret("other", { user: "other-user" });
    expectError(
      await zs.run(["run", "--secret", "db", "--secret", "other", "--", node, "marker.cjs", marker]),
      "secret 'db' key 'user' and secret 'other' key 'user' would both set USER; leave one out, or set USER with --env.",
    );
    expect(existsSync(marker)).toBe(false);
    const settled = json(await zs.run(["run", "--secret", "db", "--secret", "other", "--env", "USER={{other.user}}", "--", node, "print-env.cjs", "USER", "PASSWORD"]));
    expect(settled).toEqual({ USER: "other-user", PASSWORD: V.password });
    expect(json(await zs.run(["run", "--secret", "db", "--secret", "db", "--component", "store", "--component", "store", "--", node, "print-env.cjs", "USER", "STORE_KEY"]))).toEqual({
      USER: V.user,
      STORE_KEY: V.apiKey,
    });
  });
});

describe.each(HARNESS_FACTORIES)("zs run validates before the child starts ($mode)", (factory) => {
  const zs = useZsHarness(factory);
  let marker: string;
  let markers = 0;
  const child = () => {
    marker = path.join(zs.workDir, `marker-${++markers}`);
    return [node, "marker.cjs", marker];
  };

  beforeAll(async () => {
    await writeChildren(zs);
    await zs.addSecret("partial", { present: "here", other: "x" });
    await zs.ok(["component", "register", "first", "--type", "t", "--flavor", "f", "--url=x://{{gone.user}}:{{gone.password}}@{{partial.host}}", "--ok={{partial.present}}"]);
    await zs.ok(["component", "register", "second", "--type", "t", "--flavor", "f", "--token={{missing.token}}"]);
    await zs.ok(["component", "register", "keys-only", "--type", "t", "--flavor", "f", "--host={{partial.host}}", "--port={{partial.port}}"]);
    await zs.ok(["stack", "register", "broken", "-c", "first", "-c", "second"]);
    await zs.ok(["stack", "register", "keys", "-c", "keys-only"]);
  }, 60_000);

  it("a missing secret or key: exit 1 listing every missing reference with who wants it, and the child never starts", async () => {
    const result = await zs.run(["run", "--stack", "broken", "--env", "EXTRA={{nowhere.k}}", "--", ...child()]);
    expect(result).toMatchObject({ code: 1, stdout: "" });
    expect(result.stderr.split("\n")).toEqual([
      "Error: Missing references (validation level SECRET_AND_KEY_EXISTS); register them with: zs stack register-secrets broken:",
      ...[
        "  - gone.user (wanted by component 'first' attribute 'url'): no secret 'gone'",
        "  - gone.password (wanted by component 'first' attribute 'url'): no secret 'gone'",
        "  - partial.host (wanted by component 'first' attribute 'url'): secret 'partial' has no key 'host'",
        "  - missing.token (wanted by component 'second' attribute 'token'): no secret 'missing'",
        "  - nowhere.k (wanted by --env EXTRA): no secret 'nowhere'",
      ],
      "",
    ]);
    expect(existsSync(marker)).toBe(false);
  });

  it("only keys missing: refused at the default level listing them; at SECRET_EXISTS resolution fails naming the secret, the key and the keys it has", async () => {
    const strict = await zs.run(["run", "--stack", "keys", "--", ...child()]);
    expect(strict).toMatchObject({ code: 1, stdout: "" });
    expect(strict.stderr).toContain("  - partial.host (wanted by component 'keys-only' attribute 'host'): secret 'partial' has no key 'host'\n");
    expect(strict.stderr).toContain("  - partial.port (wanted by component 'keys-only' attribute 'port'): secret 'partial' has no key 'port'\n");
    expect(existsSync(marker)).toBe(false);

    for (const options of [{ args: ["--level", "SECRET_EXISTS"] }, { args: [], env: { ZS_SECRET_VALIDATION_LEVEL: "SECRET_EXISTS" } }]) {
      const lenient = await zs.run(["run", "--stack", "keys", ...options.args, "--", ...child()], { env: options.env });
      expectError(lenient, "Secret 'partial' has no key 'host' ({{partial.host}}, wanted by component 'keys-only' attribute 'host'); its keys are: other, present.");
      expect(existsSync(marker)).toBe(false);
    }
  });

  it("at NONE nothing is validated, but a missing secret still fails resolution before the child starts", async () => {
    const result = await zs.run(["run", "--stack", "broken", "--level", "NONE", "--", ...child()]);
    expectError(result, "No secret named 'gone' in workspace 'default' (wanted by component 'first' attribute 'url').");
    expect(existsSync(marker)).toBe(false);
  });

  it("more than 1,000 references and --secrets in one run: exit 1 with LIMIT_EXCEEDED's message before validation, the child never starts", async () => {
    const many = Array.from({ length: 1000 }, () => "{{partial.present}}").join("");
    const result = await zs.run(["run", "--env", `MANY=${many}`, "--secret", "partial", "--", ...child()]);
    expectError(result, "The run holds 1,001 references; one resolution may hold at most 1,000: split it into smaller ones.");
    expect(existsSync(marker)).toBe(false);
  });

  it("an unknown stack, component or secret, or a malformed --env reference: exit 1, the child never starts", async () => {
    const cases: [string[], string][] = [
      [["--stack", "nope"], "No stack named 'nope' in workspace 'default'."],
      [["--component", "nope"], "No component named 'nope' in workspace 'default'."],
      [["--secret", "nope"], "No secret named 'nope' in workspace 'default' (wanted by --secret nope)."],
      [["--env", "X={{partial . present}}"], "--env X holds a malformed reference '{{partial . present}}': write {{secret_name.key}}, or \\{{ for a literal '{{'."],
    ];
    for (const [args, message] of cases) {
      expectError(await zs.run(["run", ...args, "--", ...child()]), message);
      expect(existsSync(marker)).toBe(false);
    }
  });
});

describe.each(HARNESS_FACTORIES)("zs run forwards signals to the child ($mode)", (factory) => {
  const zs = useZsHarness(factory);

  beforeAll(async () => {
    await writeChildren(zs);
    await zs.addSecret("db", { password: distinctive("signals") });
  });

  /** Starts `zs run --secret db -- node SCRIPT ARGS` and resolves once the child says it is ready. */
  async function startRun(...childArgs: string[]) {
    const zsProcess = spawn(node, [ZS_BIN, "run", "--secret", "db", "--", node, ...childArgs], { cwd: zs.workDir, env: zs.env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    zsProcess.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
      zsProcess.on("close", (code, signal) => resolve({ code, signal, stderr })),
    );
    await new Promise<void>((resolve, reject) => {
      let stdout = "";
      zsProcess.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes("ready\n")) resolve();
      });
      void exited.then((end) => reject(new Error(`zs run ended before its child was ready: ${JSON.stringify(end)}`)));
    });
    return { zsProcess, exited };
  }

  it.each(["SIGINT", "SIGTERM", "SIGHUP"] as const)("%s sent to zs reaches the child, and zs exits with the child's status", async (signal) => {
    const record = path.join(zs.workDir, `signal-${signal}`);
    const { zsProcess, exited } = await startRun("trap.cjs", record, "42");
    zsProcess.kill(signal);
    expect(await exited).toEqual({ code: 42, signal: null, stderr: "" });
    expect(await readFile(record, "utf8")).toBe(signal);
  });

  it("a child without a handler ends by the forwarded SIGTERM, and zs exits with 143", async () => {
    const { zsProcess, exited } = await startRun("wait.cjs");
    zsProcess.kill("SIGTERM");
    expect(await exited).toEqual({ code: 143, signal: null, stderr: "" });
  });
});

describe.each(HARNESS_FACTORIES)("zs run writes resolved values nowhere ($mode)", (factory) => {
  const zs = useZsHarness(factory);
  const V = { user: distinctive("user"), password: distinctive("password"), token: distinctive("token"), key: distinctive("key") };
  const results: { command: string; result: ZsResult }[] = [];
  const secrets = () => Object.values(V);
  let tmp: string;

  beforeAll(async () => {
    await writeChildren(zs);
    // Any temporary file zs might write lands here, where the scan below looks.
    tmp = path.join(zs.workDir, "tmp");
    await mkdir(tmp);
    await zs.addSecret("db", { user: V.user, password: V.password });
    await zs.addSecret("api", { token: V.token, key: V.key });
    await zs.ok(["component", "register", "tracker", "--type", "t", "--flavor", "f", "--url=x://{{db.user}}:{{db.password}}@h", "--missing={{api.nokey}}"]);
    await zs.ok(["component", "register", "clean", "--type", "t", "--flavor", "f", "--url=x://{{db.user}}:{{db.password}}@h"]);
    await zs.ok(["stack", "register", "app", "-c", "clean"]);
    await zs.ok(["stack", "register", "half", "-c", "tracker"]);
    const run = async (args: string[]) => {
      const result = await zs.run(["run", ...args], { env: { TMPDIR: tmp } });
      results.push({ command: args.join(" "), result });
      return result;
    };
    const seen = ["CLEAN_URL", "USER", "PASSWORD", "TOKEN", "KEY", "DSN"];
    await run(["--stack", "app", "--secret", "db", "--secret", "api", "--env", "DSN={{api.token}}@{{api.key}}", "--", node, "digest-env.cjs", ...seen]);
    await run(["--stack", "app", "--", node, "exit.cjs", "7"]);
    await run(["--stack", "half", "--", node, "exit.cjs", "0"]);
    await run(["--stack", "half", "--level", "SECRET_EXISTS", "--", node, "exit.cjs", "0"]);
    await run(["--stack", "app", "--env", `BAD={{db . user}}`, "--", node, "exit.cjs", "0"]);
    await run(["--secret", "db", "--secret", "api", "--component", "clean", "--", "no-such-command-zs"]);
  }, 120_000);

  it("the fixture is real: the child saw every value (as a digest), and each failure failed", () => {
    const expected = createHash("sha256").update([`x://${V.user}:${V.password}@h`, V.user, V.password, V.token, V.key, `${V.token}@${V.key}`].join("\0")).digest("hex");
    expect(results.map(({ result }) => result.code)).toEqual([0, 7, 1, 1, 1, 127]);
    expect(results[0]!.result.stdout).toBe(expected);
  });

  it("zs's own stdout and stderr hold no resolved value", () => {
    for (const { command, result } of results) {
      for (const value of secrets()) {
        expect({ command, stdout: result.stdout.includes(value), stderr: result.stderr.includes(value) }).toEqual({ command, stdout: false, stderr: false });
      }
    }
  });

  it("no file under the installation (store, settings, home, work and temp directories) holds a value in clear", async () => {
    const files = await filesUnder(path.dirname(zs.workDir));
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      const bytes = await readFile(file).catch(() => undefined);
      for (const value of secrets()) expect({ file, found: bytes?.includes(Buffer.from(value)) ?? false }).toEqual({ file, found: false });
    }
  });
});

/** The names of the variables `env` printed (one `NAME=value` a line). */
const variablesPrinted = (result: ZsResult): string[] => {
  if (result.code !== 0) throw new Error(`zs run exited with ${result.code}: ${result.stderr}`);
  return result.stdout.split("\n").filter(Boolean).map((line) => line.slice(0, line.indexOf("=")));
};

describe("zs run keeps zs's credentials from the child (remote, ZS_URL + ZS_API_KEY)", () => {
  const zs = useZsHarness(remoteHarness);
  const password = distinctive("password");
  const zsPassword = distinctive("zs-password");
  let credentials: { ZS_URL: string; ZS_API_KEY: string; ZS_PASSWORD: string };

  beforeAll(async () => {
    await writeChildren(zs);
    await zs.addSecret("db", { password });
    const { key } = await zs.json<{ key: string }>(["api-key", "create", "ci"]);
    const { server } = await zs.json<{ server: string }>(["status"]);
    credentials = { ZS_URL: server, ZS_API_KEY: key, ZS_PASSWORD: zsPassword };
  }, 60_000);

  it("zs run -- env: the child's environment has the injected values but no ZS_API_KEY, ZS_URL or ZS_PASSWORD", async () => {
    const result = await zs.run(["run", "--secret", "db", "--", "env"], { env: credentials });
    const names = variablesPrinted(result);
    expect(names).toContain("PASSWORD");
    expect(names).toContain("PATH");
    for (const name of ["ZS_API_KEY", "ZS_URL", "ZS_PASSWORD"]) expect({ name, passed: names.includes(name) }).toEqual({ name, passed: false });
    for (const value of Object.values(credentials)) expect(result.stdout.includes(value)).toBe(false);
    expect(result.stdout).toContain(`PASSWORD=${password}\n`);
  });

  it("with ZS_URL and ZS_API_KEY the run itself still authenticates with them (the saved connection is not used)", async () => {
    const seen = json(await zs.run(["run", "--secret", "db", "--", node, "print-env.cjs", "PASSWORD"], { env: { ...credentials, XDG_CONFIG_HOME: path.join(zs.workDir, "no-saved-connection") } }));
    expect(seen).toEqual({ PASSWORD: password });
  });

  it("--pass-zs-credentials gives the child ZS_URL, ZS_API_KEY and ZS_PASSWORD as zs got them", async () => {
    const seen = json(await zs.run(["run", "--pass-zs-credentials", "--secret", "db", "--", node, "print-env.cjs", "ZS_URL", "ZS_API_KEY", "ZS_PASSWORD", "PASSWORD"], { env: credentials }));
    expect(seen).toEqual({ ...credentials, PASSWORD: password });
  });
});

describe("zs run keeps zs's credentials from the child (local, ZS_ENCRYPTION_KEY)", () => {
  const zs = useZsHarness(localHarness);
  const password = distinctive("password");
  let credentials: Record<string, string>;
  const names = ["ZS_ENCRYPTION_KEY", "ZS_PASSWORD", "ZS_ADMIN_PASSWORD", "ZS_DATABASE_URL"];

  beforeAll(async () => {
    await writeChildren(zs);
    credentials = {
      ZS_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      ZS_PASSWORD: distinctive("zs-password"),
      ZS_ADMIN_PASSWORD: distinctive("admin-password"),
      ZS_DATABASE_URL: `sqlite:${path.join(zs.home!, "configured.db")}`,
    };
    await zs.ok(["secret", "create", "db", `--password=${password}`], { env: credentials });
  }, 60_000);

  it("the child gets no ZS_ENCRYPTION_KEY (nor ZS_PASSWORD, ZS_ADMIN_PASSWORD, ZS_DATABASE_URL), and the injected values", async () => {
    const result = await zs.run(["run", "--secret", "db", "--", node, "print-env.cjs", ...names, "PASSWORD", "ZS_HOME"], { env: credentials });
    expect(json(result)).toEqual({ ZS_ENCRYPTION_KEY: null, ZS_PASSWORD: null, ZS_ADMIN_PASSWORD: null, ZS_DATABASE_URL: null, PASSWORD: password, ZS_HOME: zs.home! });
  });

  it("zs run -- env: no ZS_ENCRYPTION_KEY in the child's environment, and no credential's value", async () => {
    const result = await zs.run(["run", "--secret", "db", "--", "env"], { env: credentials });
    expect(variablesPrinted(result).filter((name) => names.includes(name))).toEqual([]);
    for (const value of Object.values(credentials)) expect(result.stdout.includes(value)).toBe(false);
  });

  it("--pass-zs-credentials gives the child zs's credentials as zs got them", async () => {
    const result = await zs.run(["run", "--pass-zs-credentials", "--secret", "db", "--", node, "print-env.cjs", ...names, "PASSWORD"], { env: credentials });
    expect(json(result)).toEqual({ ...credentials, PASSWORD: password });
  });

  it("a secret key named like a credential is still injected: it is a value asked for", async () => {
    await zs.ok(["secret", "create", "nested", "--zs_password=for-the-child"], { env: credentials });
    expect(json(await zs.run(["run", "--secret", "nested", "--", node, "print-env.cjs", "ZS_PASSWORD"], { env: credentials }))).toEqual({ ZS_PASSWORD: "for-the-child" });
  });

  it("zs run --help documents --pass-zs-credentials and names every credential variable it withholds", async () => {
    const help = (await zs.ok(["run", "--help"])).stdout.replace(/\s+/g, " ");
    expect(help).toContain("--pass-zs-credentials");
    for (const name of [...ZS_CREDENTIAL_VARIABLES, ...ZS_CREDENTIAL_PREFIXES.map((prefix) => `${prefix}*`)]) expect(help).toContain(name);
  });
});
