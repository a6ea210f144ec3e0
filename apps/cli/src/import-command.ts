import { Command } from "commander";
import { collect, workspaceOption } from "./common-options.js";
import type { Io } from "./output.js";

/** `zs secret import`: secrets zs did not create, from a cloud secret manager or a file, into the workspace. */
export function importCommand(io: Io): Command {
  return new Command("import")
    .description("import secrets zs did not create: --from aws|gcp|azure|vault, or -f FILE (.env, .json, .yaml)")
    .option("--from <type>", "read a secret manager: aws, gcp, azure or vault")
    .option("-f, --file <file>", "read a file: .env (one secret, --name), .json or .yaml (a map per secret, or one flat map with --name)")
    .option("--prefix <prefix>", "only the secrets whose names start with it; it is taken off their names")
    .option("--option <name=value>", "an option of the --from source, named as its store's (repeatable; VALUE may be @file)", collect, [])
    .option("--name <name>", "the secret's name, for a .env file or a flat map")
    .option("--rename-prefix <prefix>", "import a secret whose name is taken as PREFIX+name instead of skipping it")
    .option("--dry-run", "print what would be done for each secret; change nothing")
    .addOption(workspaceOption())
    .action(async (options) => (await import("./import-actions.js")).importSecrets(io, options));
}
