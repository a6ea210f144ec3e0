import { Command } from "commander";
import { collect, levelOption, outputOption, workspaceOption } from "./common-options.js";
import type { Io } from "./output.js";

// The work is loaded only when a command runs, so parsing and `--help` stay light.
const actions = () => import("./stack-actions.js");

/** `zs stack register|list|describe|delete|validate|register-secrets`. */
export function stackCommand(io: Io): Command {
  const stack = new Command("stack").description("register, list, describe, validate and delete stacks (named sets of components)");

  stack
    .command("register")
    .description("register a stack of existing components: zs stack register NAME -c COMPONENT [-c COMPONENT ...]")
    .argument("<name>", "the stack's name")
    .option("-c, --component <name>", "a component of the stack (repeatable; kept in order)", collect, [])
    .addOption(workspaceOption())
    .action(async (name: string, options) => (await actions()).registerStack(io, name, options));

  stack
    .command("list")
    .description("list stacks and their components")
    .addOption(outputOption())
    .addOption(workspaceOption())
    .action(async (options) => (await actions()).listStacks(io, options));

  stack
    .command("describe")
    .description("show a stack and its components (references are never resolved)")
    .argument("<name>", "the stack's name")
    .addOption(outputOption())
    .addOption(workspaceOption())
    .action(async (name: string, options) => (await actions()).describeStack(io, name, options));

  stack
    .command("delete")
    .description("delete a stack (its components stay)")
    .argument("<name>", "the stack's name")
    .addOption(workspaceOption())
    .action(async (name: string, options) => (await actions()).deleteStack(io, name, options));

  stack
    .command("validate")
    .description("check that every secret and key the stack references exists (reads no value); exit 1 when not")
    .argument("<name>", "the stack's name")
    .addOption(levelOption())
    .addOption(outputOption())
    .addOption(workspaceOption())
    .action(async (name: string, options) => (await actions()).validateStack(io, name, options));

  stack
    .command("register-secrets")
    .description("ask (hidden; @file allowed) for the value of every secret key the stack references, creating missing secrets and keys")
    .argument("[name]", "the stack's name (default: the workspace's only stack)")
    .option("--skip-existing", "ask only for missing secrets and keys; leave existing ones untouched")
    .addOption(workspaceOption())
    .action(async (name: string | undefined, options) => (await import("./register-secrets.js")).registerSecrets(io, name, options));

  return stack;
}
