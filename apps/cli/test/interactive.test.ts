import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { availablePtyHosts, spawnInPty, type PtySession } from "./support/pty.js";

// The real binary, on a real pseudo-terminal (see support/pty.ts); jest's globalSetup built it.
const ZS = path.join(__dirname, "..", "dist", "zs.js");
const KEY_PROMPT = "Key (empty to finish):";
const BACKSPACE = "\u007f";
// The developer's own settings that would point zs elsewhere or change its colours.
const OWN_SETTINGS = /^(ZS_|XDG_|NO_COLOR$|FORCE_COLOR$)/;

let root: string;
let homes = 0;
const sessions = new Set<PtySession>();

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "zs-cli-interactive-"));
});
afterEach(() => {
  for (const session of sessions) session.kill();
  sessions.clear();
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** A fresh local store and settings directory, and the environment that points zs at them. */
function freshEnv(): NodeJS.ProcessEnv {
  const dir = path.join(root, String(++homes));
  const inherited = Object.entries(process.env).filter(([name]) => !OWN_SETTINGS.test(name));
  return { ...Object.fromEntries(inherited), HOME: dir, ZS_HOME: path.join(dir, "home"), XDG_CONFIG_HOME: path.join(dir, "config"), TERM: "xterm-256color" };
}

/** `zs ARGS` on a terminal. */
function zsOnTerminal(env: NodeJS.ProcessEnv, ...args: string[]): PtySession {
  const session = spawnInPty([process.execPath, ZS, ...args], { env });
  sessions.add(session);
  return session;
}

/** `zs ARGS` without a terminal (pipes), to set up and check what the terminal runs did. */
function zs(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [ZS, ...args], { env, timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
    child.stdin?.end();
  });
}

async function storedValues(env: NodeJS.ProcessEnv, name: string, workspace?: string): Promise<Record<string, string>> {
  const result = await zs(env, "secret", "get", name, "-o", "json", ...(workspace ? ["--workspace", workspace] : []));
  expect(result).toMatchObject({ code: 0, stderr: "" });
  return (JSON.parse(result.stdout) as { values: Record<string, string> }).values;
}

const secretName = () => `s${randomBytes(4).toString("hex")}`;
// Spaces, quotes and shell characters: typed byte for byte, stored byte for byte.
const secretValue = () => `v4lue ${randomBytes(6).toString("hex")} "q" 'q' $HOME !#`;

/** Answers one key/value round of `-i`: waits for each prompt before typing, as a person does. */
async function enterPair(session: PtySession, key: string, value: string): Promise<void> {
  await session.waitFor(KEY_PROMPT);
  session.type(`${key}\r`);
  await session.waitFor(`Value of ${key}:`);
  session.type(`${value}\r`);
}

async function finishKeys(session: PtySession): Promise<void> {
  await session.waitFor(KEY_PROMPT);
  session.type("\r");
}

describe.each(availablePtyHosts())("the pty host %s", (host) => {
  it("gives the program a terminal of the asked size on stdin, stdout and stderr, and passes its exit code back", async () => {
    const program = `
      const ttys = [process.stdin.isTTY, process.stdout.isTTY, process.stderr.isTTY].map(Boolean).join(",");
      process.stdout.write("tty=" + ttys + " size=" + process.stdout.columns + "x" + process.stdout.rows + "\\n");
      process.stdin.setRawMode(true);
      process.stdin.once("data", (typed) => { process.stdout.write("got=" + JSON.stringify(String(typed)) + "\\n"); process.exit(7); });
      process.stdout.write("ready\\n");`;
    const session = spawnInPty([process.execPath, "-e", program], { env: freshEnv(), host, cols: 91, rows: 33 });
    sessions.add(session);
    await session.waitFor("ready");
    session.type("hidden\r");
    expect(await session.exit()).toBe(7);
    expect(session.text).toContain("tty=true,true,true size=91x33");
    expect(session.text).toContain('got="hidden\\r"');
    // Raw mode: the terminal itself echoed nothing.
    expect(session.text).not.toMatch(/^hidden/m);
  });
});

describe("zs secret create -i on a terminal", () => {
  it("asks for keys and hidden values until an empty key, never echoes a value, and stores them", async () => {
    const env = freshEnv();
    const name = secretName();
    const apiKey = secretValue();
    const password = secretValue();
    const session = zsOnTerminal(env, "secret", "create", name, "-i");
    await enterPair(session, "API_KEY", apiKey);
    await enterPair(session, "db.password", password);
    await finishKeys(session);
    expect(await session.exit()).toBe(0);

    expect(session.text).toContain(`Secret '${name}' created.`);
    expect(session.text).toMatch(/API_KEY\s+\*\*\*/);
    for (const value of [apiKey, password]) {
      expect(session.output).not.toContain(value);
      expect(session.text).not.toContain(value);
      // Not even the random middle part, in case something echoed it piecewise.
      expect(session.text).not.toContain(value.split(" ")[1]);
    }
    expect(await storedValues(env, name)).toEqual({ API_KEY: apiKey, "db.password": password });
  });

  it("refuses an invalid key typed at the prompt and asks again", async () => {
    const env = freshEnv();
    const name = secretName();
    const value = secretValue();
    const session = zsOnTerminal(env, "secret", "create", name, "-i");
    await session.waitFor(KEY_PROMPT);
    session.type("9lives\r");
    await session.waitFor("Keys start with a letter or _");
    // The refused text stays on the line to be fixed; erase it and type a valid key.
    session.type(`${BACKSPACE.repeat("9lives".length)}lives\r`);
    await session.waitFor("Value of lives:");
    session.type(`${value}\r`);
    await finishKeys(session);
    expect(await session.exit()).toBe(0);

    expect(session.text).not.toContain("Value of 9lives");
    expect(session.text).not.toContain(value);
    expect(await storedValues(env, name)).toEqual({ lives: value });
  });

  it("with no key at all creates nothing and fails", async () => {
    const env = freshEnv();
    const name = secretName();
    const session = zsOnTerminal(env, "secret", "create", name, "-i");
    await finishKeys(session);
    expect(await session.exit()).toBe(1);
    expect(session.text).toContain("Error: No keys were entered.");
    expect((await zs(env, "secret", "get", name)).code).toBe(1);
  });

  it.each([
    ["--KEY=VALUE", ["--user=admin"]],
    ["--values", ["--values", '{"user":"admin"}']],
  ])("-i combined with %s is a usage error (exit 2), before any prompt", async (_label, extra) => {
    const env = freshEnv();
    const name = secretName();
    const session = zsOnTerminal(env, "secret", "create", name, "-i", ...extra);
    expect(await session.exit()).toBe(2);
    expect(session.text).toContain("Error: -i/--interactive cannot be combined with --KEY=VALUE or --values.");
    expect(session.text).not.toContain(KEY_PROMPT);
    expect((await zs(env, "secret", "get", name)).code).toBe(1);
  });
});

describe("zs secret update -i on a terminal", () => {
  it("adds the keys entered and keeps the others, without echoing a value", async () => {
    const env = freshEnv();
    const name = secretName();
    expect((await zs(env, "secret", "create", name, "--user=admin")).code).toBe(0);
    const token = secretValue();
    const session = zsOnTerminal(env, "secret", "update", name, "-i");
    await enterPair(session, "token", token);
    await finishKeys(session);
    expect(await session.exit()).toBe(0);

    expect(session.text).toContain(`Secret '${name}' updated.`);
    expect(session.text).not.toContain(token);
    expect(await storedValues(env, name)).toEqual({ user: "admin", token });
  });

  it("with --KEY=VALUE is a usage error (exit 2) and changes nothing", async () => {
    const env = freshEnv();
    const name = secretName();
    expect((await zs(env, "secret", "create", name, "--user=admin")).code).toBe(0);
    const session = zsOnTerminal(env, "secret", "update", name, "-i", "--user=root");
    expect(await session.exit()).toBe(2);
    expect(session.text).toContain("cannot be combined");
    expect(await storedValues(env, name)).toEqual({ user: "admin" });
  });
});

describe("zs secret delete on a terminal asks for confirmation", () => {
  it("answering no keeps the secret", async () => {
    const env = freshEnv();
    const name = secretName();
    expect((await zs(env, "secret", "create", name, "--user=admin")).code).toBe(0);
    const session = zsOnTerminal(env, "secret", "delete", name);
    await session.waitFor(`Delete secret '${name}'`);
    session.type("n\r");
    expect(await session.exit()).toBe(1);
    expect(session.text).toContain("Not deleted.");
    expect(session.text).not.toContain(`Secret '${name}' deleted.`);
    expect(await storedValues(env, name)).toEqual({ user: "admin" });
  });

  it("just Enter means no (the default)", async () => {
    const env = freshEnv();
    const name = secretName();
    expect((await zs(env, "secret", "create", name, "--user=admin")).code).toBe(0);
    const session = zsOnTerminal(env, "secret", "delete", name);
    await session.waitFor(`Delete secret '${name}'`);
    expect(session.text).toContain("(y/N)");
    session.type("\r");
    expect(await session.exit()).toBe(1);
    expect(await storedValues(env, name)).toEqual({ user: "admin" });
  });

  it("Ctrl-C at the question deletes nothing", async () => {
    const env = freshEnv();
    const name = secretName();
    expect((await zs(env, "secret", "create", name, "--user=admin")).code).toBe(0);
    const session = zsOnTerminal(env, "secret", "delete", name);
    await session.waitFor(`Delete secret '${name}'`);
    session.type("\u0003");
    expect(await session.exit()).toBe(130);
    expect(session.text).toContain("Cancelled.");
    expect(session.text).not.toContain(`Secret '${name}' deleted.`);
    expect(await storedValues(env, name)).toEqual({ user: "admin" });
  });

  it("answering yes deletes it", async () => {
    const env = freshEnv();
    const name = secretName();
    expect((await zs(env, "secret", "create", name, "--user=admin")).code).toBe(0);
    const session = zsOnTerminal(env, "secret", "delete", name);
    await session.waitFor(`Delete secret '${name}'`);
    session.type("y\r");
    expect(await session.exit()).toBe(0);
    expect(session.text).toContain(`Secret '${name}' deleted.`);
    const after = await zs(env, "secret", "get", name);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain(`No secret with name, id or id prefix '${name}'`);
  });
});

describe("deleting or renaming a referenced secret on a terminal asks again, showing the references", () => {
  async function referencedSecret(env: NodeJS.ProcessEnv): Promise<{ name: string; component: string }> {
    const name = secretName();
    const component = `app_${randomBytes(3).toString("hex")}`;
    expect((await zs(env, "secret", "create", name, "--password=pw")).code).toBe(0);
    expect((await zs(env, "component", "register", component, "--type", "t", "--flavor", "f", `--url={{${name}.password}}`)).code).toBe(0);
    return { name, component };
  }

  it("delete: yes to the first question, no to the second keeps the secret", async () => {
    const env = freshEnv();
    const { name, component } = await referencedSecret(env);
    const session = zsOnTerminal(env, "secret", "delete", name);
    await session.waitFor(`Delete secret '${name}'`);
    session.type("y\r");
    await session.waitFor("anyway, breaking these references?");
    expect(session.text).toContain(component);
    session.type("n\r");
    expect(await session.exit()).toBe(1);
    expect(session.text).toContain("Not deleted.");
    expect(await storedValues(env, name)).toEqual({ password: "pw" });
  });

  it("delete: yes twice deletes it", async () => {
    const env = freshEnv();
    const { name } = await referencedSecret(env);
    const session = zsOnTerminal(env, "secret", "delete", name);
    await session.waitFor(`Delete secret '${name}'`);
    session.type("y\r");
    await session.waitFor("anyway, breaking these references?");
    session.type("y\r");
    expect(await session.exit()).toBe(0);
    expect(session.text).toContain(`Secret '${name}' deleted.`);
  });

  it("rename: declining keeps the name; --update-references asks nothing and rewrites them", async () => {
    const env = freshEnv();
    const { name, component } = await referencedSecret(env);
    const declined = zsOnTerminal(env, "secret", "rename", name, "-n", `${name}_2`);
    await declined.waitFor("leaving these references to the old name");
    declined.type("n\r");
    expect(await declined.exit()).toBe(1);
    expect(declined.text).toContain("Not renamed.");
    expect(await storedValues(env, name)).toEqual({ password: "pw" });

    const rewriting = zsOnTerminal(env, "secret", "rename", name, "-n", `${name}_2`, "--update-references");
    expect(await rewriting.exit()).toBe(0);
    expect(rewriting.text).toContain("1 component reference now names it.");
    const described = await zs(env, "component", "describe", component, "-o", "json");
    expect(JSON.parse(described.stdout).configuration.url).toBe(`{{${name}_2.password}}`);
  });
});

describe("zs workspace delete on a terminal asks for confirmation", () => {
  async function workspaceNames(env: NodeJS.ProcessEnv): Promise<string[]> {
    const result = await zs(env, "workspace", "list", "-o", "json");
    expect(result.code).toBe(0);
    return (JSON.parse(result.stdout) as { name: string }[]).map((w) => w.name);
  }

  it("answering no keeps the workspace and its secrets; yes deletes both", async () => {
    const env = freshEnv();
    const workspace = `w${randomBytes(4).toString("hex")}`;
    const name = secretName();
    expect((await zs(env, "workspace", "create", workspace)).code).toBe(0);
    expect((await zs(env, "secret", "create", name, "--user=admin", "--workspace", workspace)).code).toBe(0);

    const declined = zsOnTerminal(env, "workspace", "delete", workspace);
    await declined.waitFor(`Delete workspace '${workspace}' and every secret in it?`);
    declined.type("n\r");
    expect(await declined.exit()).toBe(1);
    expect(declined.text).toContain("Not deleted.");
    expect(await workspaceNames(env)).toContain(workspace);
    expect(await storedValues(env, name, workspace)).toEqual({ user: "admin" });

    const confirmed = zsOnTerminal(env, "workspace", "delete", workspace);
    await confirmed.waitFor(`Delete workspace '${workspace}' and every secret in it?`);
    confirmed.type("y\r");
    expect(await confirmed.exit()).toBe(0);
    expect(confirmed.text).toContain(`Workspace '${workspace}' deleted.`);
    expect(await workspaceNames(env)).not.toContain(workspace);
    expect((await zs(env, "secret", "get", name, "--workspace", workspace)).code).toBe(1);
  }, 60_000);
});
