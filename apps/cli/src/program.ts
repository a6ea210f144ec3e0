import { Command, CommanderError } from "commander";
import { EXIT, exitCodeFor, isChildExit, isPromptInterrupt } from "./exit-codes.js";
import type { Io } from "./output.js";
import { apiKeyCommand, userCommand } from "./account-commands.js";
import { auditCommand } from "./audit-commands.js";
import { completionCommands } from "./completion-commands.js";
import { componentCommand } from "./component-commands.js";
import { connectionCommands } from "./connection-commands.js";
import { resolveCommand, runCommand } from "./reference-commands.js";
import { secretCommand } from "./secret-commands.js";
import { stackCommand } from "./stack-commands.js";
import { statusCommand } from "./status-command.js";
import { workspaceCommand } from "./workspace-commands.js";

declare const ZS_VERSION: string | undefined;

/** The `zs` program: every command, writing to `io`. */
export function buildProgram(io: Io, version: string): Command {
  const program = new Command("zs")
    .description("zs — a secrets store: named groups of key/value pairs, kept encrypted")
    .version(version, "-V, --version")
    .showHelpAfterError()
    // `zs run … CMD --flag` passes `--flag` to CMD: options after a command's operands are its own.
    .enablePositionalOptions()
    .configureOutput({ writeOut: io.out, writeErr: io.err, outputError: (text) => io.err(text) });
  program.addCommand(secretCommand(io));
  program.addCommand(componentCommand(io));
  program.addCommand(stackCommand(io));
  program.addCommand(runCommand());
  program.addCommand(resolveCommand(io));
  program.addCommand(workspaceCommand(io));
  program.addCommand(statusCommand(io));
  for (const command of connectionCommands(io)) program.addCommand(command);
  program.addCommand(userCommand(io));
  program.addCommand(apiKeyCommand(io));
  program.addCommand(auditCommand(io));
  const [completion, complete] = completionCommands(io, () => program);
  program.addCommand(completion!);
  program.addCommand(complete!, { hidden: true });
  // Every command reports usage errors by throwing, so they get exit code 2 in one place.
  const exitOverride = (command: Command) => {
    command.exitOverride();
    command.commands.forEach(exitOverride);
  };
  exitOverride(program);
  return program;
}

/** Runs `zs` with `argv` (without node and the script); resolves to the exit code. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  const program = buildProgram(io, typeof ZS_VERSION === "string" ? ZS_VERSION : "0.0.0");
  try {
    await program.parseAsync(argv, { from: "user" });
    return EXIT.ok;
  } catch (error) {
    // Commander has already printed its own usage errors (and help and version).
    if (isPromptInterrupt(error)) io.err("Cancelled.\n");
    else if (!(error instanceof CommanderError) && !isChildExit(error)) io.err(`Error: ${(error as Error).message}\n`);
    return exitCodeFor(error);
  }
}
