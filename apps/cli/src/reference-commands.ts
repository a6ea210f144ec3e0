import { Command, Option } from "commander";
import { collect, levelOption, workspaceOption } from "./common-options.js";
import { parsePrefix } from "./injected-variables.js";
import type { Io } from "./output.js";
import { RESOLVE_FORMATS } from "./resolve-format.js";

// The work is loaded only when a command runs, so parsing and `--help` stay light.
const actions = () => import("./reference-actions.js");

/** `zs run [--stack S] [--component C]... [--secret N]... [--env VAR=TEMPLATE]... -- CMD [ARGS...]`. */
export function runCommand(): Command {
  return new Command("run")
    .description("run a command with resolved references in its environment: <COMPONENT>_<ATTRIBUTE>, each secret's <KEY>, --env VAR=TEMPLATE")
    .usage("[options] -- CMD [ARGS...]")
    .argument("[command...]", "the command to run and its arguments (after --)")
    .option("--stack <name>", "every attribute of every component of this stack")
    .option("--component <name>", "every attribute of this component (repeatable)", collect, [])
    .option("--secret <name>", "every key of this secret (repeatable)", collect, [])
    .option("--env <VAR=TEMPLATE>", "a variable whose value is TEMPLATE with its references resolved (repeatable)", collect, [])
    .option(
      "--pass-zs-credentials",
      "also give the command zs's own credentials, which it never gets otherwise: ZS_URL, ZS_API_KEY, ZS_PASSWORD, ZS_ENCRYPTION_KEY, ZS_ENCRYPTION_KEYS, ZS_ADMIN_PASSWORD, ZS_DATABASE_URL, ZS_SECRETS_STORE_*, ZS_BACKUP_SECRETS_STORE_*",
    )
    .option("--prefix <P_>", "put P_ before every added variable's name (a secret key path becomes P_PATH)", parsePrefix)
    .option("--override", "let secret keys and component attributes replace variables already set (PATH, USER, …), which is refused otherwise")
    .addOption(levelOption())
    .addOption(workspaceOption())
    .passThroughOptions()
    .action(async (commandLine: string[], options) => (await actions()).runWithReferences(commandLine, options));
}

/** `zs resolve FILE [-o FILE]`. */
export function resolveCommand(io: Io): Command {
  return new Command("resolve")
    .description("print FILE (JSON, YAML, .env or any text; - for stdin) with every {{secret.key}} resolved, escaped for where it sits")
    .argument("<file>", "the file to resolve, or - for stdin")
    .option("-o, --output <file>", "write it to this file (0600) instead of stdout")
    .addOption(
      new Option("--format <format>", "escape each value for where it sits in a JSON, YAML or .env file, or none (text); default: from FILE's extension, text for stdin").choices(
        RESOLVE_FORMATS,
      ),
    )
    .addOption(workspaceOption())
    .action(async (file: string, options) => (await actions()).resolveFile(io, file, options));
}
