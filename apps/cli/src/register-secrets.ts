import type { Client } from "@zs/client";
import { findReferences, isZsError } from "@zs/core";
import { withClient, type CommonOptions } from "./client-session.js";
import type { Io } from "./output.js";
import { UsageError } from "./usage-error.js";
import { resolveValue } from "./values-input.js";

/** A secret key a stack references, and whether it is there now. */
interface WantedKey {
  secret: string;
  key: string;
  state: "secret_missing" | "key_missing" | "exists";
}

const PROMPT_NOTE: Record<WantedKey["state"], string> = {
  secret_missing: "new secret",
  key_missing: "new key",
  exists: "exists; Enter keeps it",
};

/** The stack named, or without a name the workspace's only one (several: name one). */
async function chooseStack(client: Client, name: string | undefined): Promise<string> {
  if (name !== undefined) return name;
  const stacks = await client.listStacks();
  const workspace = await client.activeWorkspace();
  if (stacks.length === 1) return stacks[0]!.name;
  if (stacks.length === 0) throw new Error(`Workspace '${workspace}' has no stack; register one with: zs stack register NAME -c COMPONENT.`);
  throw new UsageError(`Name the stack: workspace '${workspace}' has ${stacks.length} stacks (${stacks.map((s) => s.name).join(", ")}).`);
}

/**
 * Every secret key the stack's components reference, grouped by secret in order of first
 * appearance, with what exists now: validation at SECRET_AND_KEY_EXISTS, which reads no value.
 */
async function wantedKeys(client: Client, stackName: string): Promise<WantedKey[]> {
  const stack = await client.getStack(stackName);
  const components = await client.listComponents();
  const missing = new Map((await client.validateStack(stackName, "SECRET_AND_KEY_EXISTS")).missing.map((m) => [`${m.secret}.${m.key}`, m.problem]));
  const bySecret = new Map<string, Map<string, WantedKey>>();
  for (const component of stack.components.flatMap((name) => components.filter((c) => c.name === name))) {
    for (const attribute of Object.keys(component.configuration).sort()) {
      for (const { name: secret, key } of findReferences(component.configuration[attribute]!)) {
        const keys = bySecret.get(secret) ?? new Map<string, WantedKey>();
        bySecret.set(secret, keys);
        if (!keys.has(key)) keys.set(key, { secret, key, state: missing.get(`${secret}.${key}`) ?? "exists" });
      }
    }
  }
  return [...bySecret.values()].flatMap((keys) => [...keys.values()]);
}

/**
 * Asks for one value, hidden: `@path` reads a file (asked again when it cannot be read), `@@x`
 * is `@x`. An existing key is kept on an empty answer (`undefined`); a missing one needs a value.
 */
async function askValue(io: Io, wanted: WantedKey): Promise<string | undefined> {
  const { password } = await import("@inquirer/prompts");
  for (;;) {
    const answer = await password({
      message: `Value of ${wanted.secret}.${wanted.key} (${PROMPT_NOTE[wanted.state]}):`,
      validate: (text) => text !== "" || wanted.state === "exists" || "A value is needed (or @path to read it from a file).",
    });
    if (answer === "") return undefined;
    try {
      return await resolveValue(answer);
    } catch (error) {
      if (!isZsError(error)) throw error;
      io.err(`${error.message}\n`);
    }
  }
}

/**
 * `zs stack register-secrets [NAME] [--skip-existing]`: asks for every secret key the stack
 * references (only the missing ones with `--skip-existing`), then creates the missing secrets
 * and sets the keys. Nothing is written until every answer is in, so Ctrl-C changes nothing.
 */
export async function registerSecrets(io: Io, name: string | undefined, options: CommonOptions & { skipExisting?: boolean }): Promise<void> {
  await withClient(options, async (client) => {
    const stack = await chooseStack(client, name);
    const wanted = (await wantedKeys(client, stack)).filter((w) => w.state !== "exists" || !options.skipExisting);
    if (wanted.length === 0) {
      io.out(`Nothing to register: every secret and key stack '${stack}' references exists.\n`);
      return;
    }
    if (!process.stdin.isTTY || !process.stdout.isTTY) {
      throw new UsageError(`register-secrets asks for ${wanted.length} value${wanted.length === 1 ? "" : "s"} and needs a terminal to ask on.`);
    }
    io.out(`Values for stack '${stack}' (hidden; @path reads a file, @@ starts a literal @):\n`);
    const answers = new Map<string, Record<string, string>>();
    for (const w of wanted) {
      const value = await askValue(io, w);
      const values = answers.get(w.secret) ?? {};
      answers.set(w.secret, values);
      if (value !== undefined) values[w.key] = value;
    }
    let changed = 0;
    for (const [secret, values] of answers) {
      const keys = Object.keys(values);
      if (keys.length === 0) continue;
      changed += 1;
      const listed = `key${keys.length === 1 ? "" : "s"} ${keys.join(", ")}`;
      if (wanted.find((w) => w.secret === secret)!.state === "secret_missing") {
        await client.createSecret(secret, values);
        io.out(`Secret '${secret}' created with ${listed}.\n`);
      } else {
        await client.updateSecret(secret, { values });
        io.out(`Secret '${secret}' updated: set ${listed}.\n`);
      }
    }
    if (changed === 0) io.out("Nothing changed.\n");
  });
}
