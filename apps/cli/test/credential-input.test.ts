import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startServerProcess, type ServerProcess } from "../../server/test/support/server-process.js";
import { spawnInPty } from "./support/pty.js";
import { ZS_BIN, expectUsageError, localHarness, type ZsHarness, type ZsResult, type ZsRunOptions } from "./support/zs-process.js";

/** A value that cannot turn up anywhere by chance. */
const distinctive = (label: string) => `${label}-${randomBytes(12).toString("hex")}`;

describe("passwords and API keys reach zs connect and zs user create without argv", () => {
  const adminPassword = distinctive("admin-pw");
  /** Every password and key handed to a command below: none may appear in any output. */
  const given = new Set<string>([adminPassword]);
  const results: { command: string; result: ZsResult }[] = [];
  const harnesses: ZsHarness[] = [];
  let root: string;
  let server: ServerProcess;
  let admin: ZsHarness;
  let apiKey: string;

  /** Runs `zs ARGS` in `zs`, recording the outcome for the leak check. */
  async function zsRun(zs: ZsHarness, args: string[], options: ZsRunOptions = {}): Promise<ZsResult> {
    const result = await zs.run(args, { ...options, env: { ZS_PASSWORD: undefined, ...options.env } });
    // Only the command's name is kept: its arguments may hold a password.
    results.push({ command: args.slice(0, 2).join(" "), result });
    return result;
  }

  /** A new installation, not connected to anything. */
  async function fresh(): Promise<ZsHarness> {
    const zs = await localHarness.create();
    harnesses.push(zs);
    return zs;
  }

  /** Where `zs` works now: `local`, or the user it is connected to the server as. */
  async function connectedAs(zs: ZsHarness): Promise<string> {
    const result = await zsRun(zs, ["status", "-o", "json"]);
    if (result.code !== 0) throw new Error(`zs status exited with ${result.code}: ${result.stderr}`);
    const status = JSON.parse(result.stdout) as { mode: string; user: string };
    return status.mode === "local" ? "local" : status.user;
  }

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "zs-cli-credentials-"));
    server = await startServerProcess({ ZS_DATA_DIR: root, ZS_ADMIN_PASSWORD: adminPassword, ZS_LOG_LEVEL: "warn" });
    admin = await fresh();
    expect((await zsRun(admin, ["connect", server.url, "--username", "admin", "--password", adminPassword])).code).toBe(0);
    // Not recorded: creating a key shows it, once, by design.
    const created = await admin.run(["api-key", "create", "ci", "-o", "json"]);
    apiKey = (JSON.parse(created.stdout) as { key: string }).key;
    given.add(apiKey);
  }, 60_000);

  afterAll(async () => {
    server?.child.kill("SIGTERM");
    await server?.exited;
    await Promise.all(harnesses.map((zs) => zs.close()));
    if (root) await rm(root, { recursive: true, force: true });
  });

  it.each([
    ["with a trailing newline", "\n"],
    ["with a trailing CRLF", "\r\n"],
    ["without a newline", ""],
  ])("connect --username U --password-stdin logs in with the password read from stdin (%s)", async (_how, ending) => {
    const zs = await fresh();
    const result = await zsRun(zs, ["connect", server.url, "--username", "admin", "--password-stdin"], { input: `${adminPassword}${ending}` });
    expect(result).toEqual({ code: 0, stdout: `Connected to ${server.url} as 'admin'.\n`, stderr: "" });
    expect(await connectedAs(zs)).toBe("admin");
  });

  it("only one trailing newline is dropped: the rest of stdin is the password, byte for byte", async () => {
    const name = distinctive("spaces").slice(0, 40);
    const password = ` ${distinctive("pw")} \n`;
    given.add(password.trim());
    expect((await zsRun(admin, ["user", "create", name, "--password-stdin"], { input: `${password}\n` })).code).toBe(0);
    const zs = await fresh();
    expect((await zsRun(zs, ["connect", server.url, "--username", name, "--password-stdin"], { input: password.trimEnd() })).code).toBe(1);
    expect((await zsRun(zs, ["connect", server.url, "--username", name, "--password-stdin"], { input: `${password}\n` })).code).toBe(0);
    expect(await connectedAs(zs)).toBe(name);
  });

  it("a wrong password from stdin: exit 1, not connected", async () => {
    const zs = await fresh();
    const wrong = distinctive("wrong-pw");
    given.add(wrong);
    const result = await zsRun(zs, ["connect", server.url, "--username", "admin", "--password-stdin"], { input: `${wrong}\n` });
    expect(result.code).toBe(1);
    expect(await connectedAs(zs)).toBe("local");
  });

  it("connect --username U takes ZS_PASSWORD from the environment when --password is not given; --password wins over it", async () => {
    const fromEnv = await fresh();
    expect(await zsRun(fromEnv, ["connect", server.url, "--username", "admin"], { env: { ZS_PASSWORD: adminPassword } })).toMatchObject({ code: 0, stderr: "" });
    expect(await connectedAs(fromEnv)).toBe("admin");

    const wrong = distinctive("wrong-env-pw");
    given.add(wrong);
    const overridden = await fresh();
    expect(await zsRun(overridden, ["connect", server.url, "--username", "admin", "--password", adminPassword], { env: { ZS_PASSWORD: wrong } })).toMatchObject({ code: 0 });
    expect(await connectedAs(overridden)).toBe("admin");
  });

  it("connect --api-key-stdin authenticates with the API key read from stdin", async () => {
    const zs = await fresh();
    const result = await zsRun(zs, ["connect", server.url, "--api-key-stdin"], { input: `${apiKey}\n` });
    expect(result).toEqual({ code: 0, stdout: `Connected to ${server.url} as 'admin'.\n`, stderr: "" });
    expect(await connectedAs(zs)).toBe("admin");
  });

  it("without a terminal a missing password is never asked for: exit 2 naming --password-stdin and ZS_PASSWORD, nothing saved", async () => {
    const zs = await fresh();
    const result = await zsRun(zs, ["connect", server.url, "--username", "admin"]);
    expectUsageError(result, "No password given and no terminal to ask for it on: pipe it in with --password-stdin, or set ZS_PASSWORD.");
    expect(await connectedAs(zs)).toBe("local");
  });

  it("on a terminal, with no password given (nor ZS_PASSWORD), connect asks for it hidden", async () => {
    const zs = await fresh();
    const session = spawnInPty([process.execPath, ZS_BIN, "connect", server.url, "--username", "admin"], { env: { ...zs.env, TERM: "xterm-256color" }, cwd: zs.workDir });
    try {
      await session.waitFor("Password of admin:");
      session.type(`${adminPassword}\r`);
      expect(await session.exit()).toBe(0);
      expect(session.text).toContain(`Connected to ${server.url} as 'admin'.`);
      expect(session.text.includes(adminPassword)).toBe(false);
    } finally {
      session.kill();
    }
    expect(await connectedAs(zs)).toBe("admin");
  });

  it.each([
    [["--username", "admin", "--password", "x", "--password-stdin"], "Give the password with --password or with --password-stdin, not both."],
    [["--username", "admin", "--password-stdin", "--api-key-stdin"], "Give --password-stdin or --api-key-stdin, not both: there is one standard input."],
    [["--api-key", "k", "--api-key-stdin"], "Give the API key with --api-key or with --api-key-stdin, not both."],
    [["--username", "admin", "--api-key-stdin"], "Give either --username or --api-key, not both."],
    [["--api-key-stdin", "--password-stdin"], "Give --password-stdin or --api-key-stdin, not both: there is one standard input."],
    [["--api-key", "k", "--password-stdin"], "A password goes with --username, not with an API key."],
    [["--password-stdin"], "Give --username (and a password) or --api-key (or --api-key-stdin)."],
  ])("connect %j is a usage error (exit 2) and connects nothing", async (options, message) => {
    const zs = await fresh();
    // What stdin holds would log in, were it read and used.
    const result = await zsRun(zs, ["connect", server.url, ...options], { input: `${adminPassword}\n` });
    expectUsageError(result, `Error: ${message}\n`);
    expect(await connectedAs(zs)).toBe("local");
  });

  it.each([
    ["--password-stdin", "", ["--username", "admin", "--password-stdin"]],
    ["--password-stdin", "\n", ["--username", "admin", "--password-stdin"]],
    ["--api-key-stdin", "", ["--api-key-stdin"]],
    ["--api-key-stdin", "\r\n", ["--api-key-stdin"]],
  ])("%s with stdin %j (nothing but a newline) is a usage error (exit 2), also with ZS_PASSWORD set, and connects nothing", async (flag, input, options) => {
    const zs = await fresh();
    const result = await zsRun(zs, ["connect", server.url, ...options], { input, env: { ZS_PASSWORD: adminPassword } });
    expectUsageError(result, `Error: ${flag} read nothing from standard input`);
    expect(await connectedAs(zs)).toBe("local");
  });

  it("user create NAME --password-stdin gives the user the password read from stdin", async () => {
    const name = distinctive("stdin-user").slice(0, 40);
    const password = distinctive("new-pw");
    given.add(password);
    expect(await zsRun(admin, ["user", "create", name, "--password-stdin"], { input: `${password}\n` })).toEqual({ code: 0, stdout: `User '${name}' created.\n`, stderr: "" });
    const zs = await fresh();
    expect((await zsRun(zs, ["connect", server.url, "--username", name, "--password-stdin"], { input: password })).code).toBe(0);
    expect(await connectedAs(zs)).toBe(name);
  });

  it("user create NAME never takes ZS_PASSWORD (the caller's own password): without another source it is a usage error, no user created", async () => {
    const name = distinctive("env-user").slice(0, 40);
    const result = await zsRun(admin, ["user", "create", name], { env: { ZS_PASSWORD: adminPassword } });
    expectUsageError(result, "Error: No password given and no terminal to ask for it on: pipe it in with --password-stdin.\n");
    const users = JSON.parse((await zsRun(admin, ["user", "list", "-o", "json"])).stdout) as { name: string }[];
    expect(users.map((user) => user.name)).not.toContain(name);
  });

  it("user create refuses without a password and without a terminal, and with --password and --password-stdin together (exit 2); no user is created", async () => {
    const name = distinctive("refused").slice(0, 40);
    expectUsageError(await zsRun(admin, ["user", "create", name]), "Error: No password given and no terminal to ask for it on: pipe it in with --password-stdin.\n");
    expectUsageError(await zsRun(admin, ["user", "create", name, "--password", "x", "--password-stdin"], { input: "y\n" }), "Error: Give the password with --password or with --password-stdin, not both.\n");
    expectUsageError(await zsRun(admin, ["user", "create", name, "--password-stdin"]), "Error: --password-stdin read nothing from standard input");
    const users = JSON.parse((await zsRun(admin, ["user", "list", "-o", "json"])).stdout) as { name: string }[];
    expect(users.map((user) => user.name)).not.toContain(name);
  });

  it("no password or API key given to these commands appears in their output", () => {
    expect(results.length).toBeGreaterThan(30);
    for (const { command, result } of results) {
      for (const value of given) {
        expect({ command, stdout: result.stdout.includes(value), stderr: result.stderr.includes(value) }).toEqual({ command, stdout: false, stderr: false });
      }
    }
  });
});
