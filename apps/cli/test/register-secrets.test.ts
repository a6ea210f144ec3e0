import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "@jest/globals";
import { spawnInPty, type PtySession } from "./support/pty.js";
import { HARNESS_FACTORIES, ZS_BIN, expectError, expectUsageError, uniqueName, useZsHarness, type WireSecret } from "./support/zs-process.js";

// A value typed at a hidden prompt: spaces, quotes and shell characters, stored byte for byte.
const typedValue = () => `v4lue ${randomBytes(6).toString("hex")} "q" 'q' $HOME !#`;

describe.each(HARNESS_FACTORIES)("zs stack register-secrets ($mode)", (factory) => {
  const zs = useZsHarness(factory);
  const sessions = new Set<PtySession>();
  afterEach(() => {
    for (const session of sessions) session.kill();
    sessions.clear();
  });

  /** `zs ARGS` on a pseudo-terminal, with the harness's store. */
  function onTerminal(...args: string[]): PtySession {
    const session = spawnInPty([process.execPath, ZS_BIN, ...args], { env: { ...zs.env, TERM: "xterm-256color" }, cwd: zs.workDir });
    sessions.add(session);
    return session;
  }

  /** Waits for the prompt of `reference` and types `answer` and Enter. */
  async function answer(session: PtySession, prompt: string, typed: string): Promise<void> {
    await session.waitFor(prompt);
    session.type(`${typed}\r`);
  }

  /**
   * A stack in a fresh workspace whose components reference: a secret `fresh` that does not
   * exist (user, password), a secret `partial` that lacks one key (token; it has `present`),
   * and a key that exists (`partial.present`, `full.k`).
   */
  async function stackWithGaps(): Promise<{ workspace: string; stack: string; partial: WireSecret; full: WireSecret }> {
    const workspace = uniqueName("w");
    const inWorkspace = ["--workspace", workspace];
    await zs.ok(["workspace", "create", workspace]);
    await zs.ok(["secret", "create", "partial", "--present=kept-partial", ...inWorkspace]);
    await zs.ok(["secret", "create", "full", "--k=kept-full", ...inWorkspace]);
    await zs.ok(["component", "register", "db", "--type", "t", "--flavor", "f", "--url=x://{{fresh.user}}:{{fresh.password}}@{{partial.present}}", ...inWorkspace]);
    await zs.ok(["component", "register", "api", "--type", "t", "--flavor", "f", "--b={{full.k}}", "--a={{partial.token}}", "--c={{ fresh.password }}", ...inWorkspace]);
    await zs.ok(["stack", "register", "app", "-c", "db", "-c", "api", ...inWorkspace]);
    const get = (name: string) => zs.json<WireSecret>(["secret", "get", name, ...inWorkspace]);
    return { workspace, stack: "app", partial: await get("partial"), full: await get("full") };
  }

  it("asks hidden for every referenced key (by secret, in order), creates the missing secret, adds the missing key, and Enter keeps an existing one", async () => {
    const { workspace, stack, full } = await stackWithGaps();
    const [user, password, token] = [typedValue(), typedValue(), typedValue()];
    const session = onTerminal("stack", "register-secrets", stack, "--workspace", workspace);
    await session.waitFor(`Values for stack '${stack}'`);
    await answer(session, "Value of fresh.user (new secret):", user);
    await answer(session, "Value of fresh.password (new secret):", password);
    await answer(session, "Value of partial.present (exists; Enter keeps it):", "");
    await answer(session, "Value of partial.token (new key):", token);
    await answer(session, "Value of full.k (exists; Enter keeps it):", "");
    expect(await session.exit()).toBe(0);

    expect(session.text).toContain("Secret 'fresh' created with keys user, password.");
    expect(session.text).toContain("Secret 'partial' updated: set key token.");
    expect(session.text).not.toContain("Secret 'full'");
    for (const value of [user, password, token]) {
      expect(session.output.includes(value) || session.text.includes(value.split(" ")[1]!)).toBe(false);
    }
    const inWorkspace = ["--workspace", workspace];
    expect(await zs.values("fresh", ...inWorkspace)).toEqual({ user, password });
    expect(await zs.values("partial", ...inWorkspace)).toEqual({ present: "kept-partial", token });
    expect(await zs.json<WireSecret>(["secret", "get", "full", ...inWorkspace])).toEqual(full);
    expect(await zs.json(["stack", "validate", stack, ...inWorkspace])).toEqual({ level: "SECRET_AND_KEY_EXISTS", valid: true, missing: [] });
  });

  it("without --skip-existing, a value typed for an existing key replaces it", async () => {
    const { workspace, stack } = await stackWithGaps();
    const replaced = typedValue();
    const session = onTerminal("stack", "register-secrets", stack, "--workspace", workspace);
    await answer(session, "Value of fresh.user (new secret):", "u");
    await answer(session, "Value of fresh.password (new secret):", "p");
    await answer(session, "Value of partial.present (exists; Enter keeps it):", "");
    await answer(session, "Value of partial.token (new key):", "t");
    await answer(session, "Value of full.k (exists; Enter keeps it):", replaced);
    expect(await session.exit()).toBe(0);
    expect(session.text).toContain("Secret 'full' updated: set key k.");
    expect(await zs.values("full", "--workspace", workspace)).toEqual({ k: replaced });
  });

  it("--skip-existing asks only for the missing secrets and keys and leaves the existing ones untouched", async () => {
    const { workspace, stack, partial, full } = await stackWithGaps();
    const session = onTerminal("stack", "register-secrets", stack, "--skip-existing", "--workspace", workspace);
    await answer(session, "Value of fresh.user (new secret):", "u");
    await answer(session, "Value of fresh.password (new secret):", "p");
    await answer(session, "Value of partial.token (new key):", "t");
    expect(await session.exit()).toBe(0);
    expect(session.text).not.toContain("Enter keeps it");
    const inWorkspace = ["--workspace", workspace];
    expect(await zs.json<WireSecret>(["secret", "get", "full", ...inWorkspace])).toEqual(full);
    const after = await zs.json<WireSecret>(["secret", "get", "partial", ...inWorkspace]);
    expect(after).toMatchObject({ id: partial.id, version: partial.version + 1, values: { present: "kept-partial", token: "t" } });

    // Nothing left to ask: it says so, and needs no terminal.
    expect(await zs.run(["stack", "register-secrets", stack, "--skip-existing", ...inWorkspace])).toEqual({
      code: 0,
      stdout: `Nothing to register: every secret and key stack '${stack}' references exists.\n`,
      stderr: "",
    });
  });

  it("@path reads the value from a file (asked again when it cannot be read), @@ is a literal @, and an empty answer for a missing key is refused", async () => {
    const { workspace, stack } = await stackWithGaps();
    const fromFile = `-----BEGIN KEY-----\n${randomBytes(16).toString("hex")}\n-----END KEY-----\n`;
    await zs.writeFile("user.pem", fromFile);
    const session = onTerminal("stack", "register-secrets", stack, "--skip-existing", "--workspace", workspace);
    await answer(session, "Value of fresh.user (new secret):", "@no-such-file.pem");
    await session.waitFor("Cannot read 'no-such-file.pem': no such file.");
    await answer(session, "Value of fresh.user (new secret):", "@user.pem");
    await session.waitFor("Value of fresh.password (new secret):");
    session.type("\r");
    await session.waitFor("A value is needed (or @path to read it from a file).");
    session.type("@@literal\r");
    await answer(session, "Value of partial.token (new key):", "t");
    expect(await session.exit()).toBe(0);
    expect(await zs.values("fresh", "--workspace", workspace)).toEqual({ user: fromFile, password: "@literal" });
    expect(session.text).not.toContain(fromFile.split("\n")[1]);
  });

  it("Ctrl-C at a prompt writes nothing, even for the keys already answered (exit 130)", async () => {
    const { workspace, stack, partial } = await stackWithGaps();
    const session = onTerminal("stack", "register-secrets", stack, "--skip-existing", "--workspace", workspace);
    await answer(session, "Value of fresh.user (new secret):", "u");
    await answer(session, "Value of fresh.password (new secret):", "p");
    await session.waitFor("Value of partial.token (new key):");
    session.type("\u0003");
    expect(await session.exit()).toBe(130);
    expect(session.text).toContain("Cancelled.");
    expectError(await zs.run(["secret", "get", "fresh", "--workspace", workspace]), `No secret with name, id or id prefix 'fresh' in workspace '${workspace}'.`);
    expect(await zs.json<WireSecret>(["secret", "get", "partial", "--workspace", workspace])).toEqual(partial);
  });

  it("without NAME: the workspace's only stack; with several, a usage error naming them; with none, an error", async () => {
    const { workspace, stack } = await stackWithGaps();
    const inWorkspace = ["--workspace", workspace];
    const session = onTerminal("stack", "register-secrets", "--skip-existing", ...inWorkspace);
    await session.waitFor(`Values for stack '${stack}'`);
    await answer(session, "Value of fresh.user (new secret):", "u");
    await answer(session, "Value of fresh.password (new secret):", "p");
    await answer(session, "Value of partial.token (new key):", "t");
    expect(await session.exit()).toBe(0);

    await zs.ok(["stack", "register", "other", "-c", "db", ...inWorkspace]);
    expectUsageError(await zs.run(["stack", "register-secrets", ...inWorkspace]), `Error: Name the stack: workspace '${workspace}' has 2 stacks (app, other).`);
    const empty = uniqueName("w");
    await zs.ok(["workspace", "create", empty]);
    expectError(
      await zs.run(["stack", "register-secrets", "--workspace", empty]),
      `Workspace '${empty}' has no stack; register one with: zs stack register NAME -c COMPONENT.`,
    );
  });

  it("without a terminal, a usage error (exit 2) when there is something to ask; nothing is written; an unknown stack fails", async () => {
    const { workspace, stack, partial } = await stackWithGaps();
    expectUsageError(await zs.run(["stack", "register-secrets", stack, "--workspace", workspace], { input: "u\np\nt\n" }), "Error: register-secrets asks for 5 values and needs a terminal to ask on.");
    expectUsageError(await zs.run(["stack", "register-secrets", stack, "--skip-existing", "--workspace", workspace]), "asks for 3 values and needs a terminal");
    expect(await zs.json<WireSecret>(["secret", "get", "partial", "--workspace", workspace])).toEqual(partial);
    expectError(await zs.run(["stack", "register-secrets", "nope", "--workspace", workspace]), `No stack named 'nope' in workspace '${workspace}'.`);
  });
});
