import { Command, Option } from "commander";
import { collect, outputOption, workspaceOption } from "./common-options.js";
import type { MigrateFlags } from "./migrate-actions.js";
import { EXPORT_FORMATS, READ_FORMATS, SECRET_VALUE_FORMATS, type ReadFormat } from "./formats.js";
import { importCommand } from "./import-command.js";
import type { Io } from "./output.js";
import { UsageError } from "./usage-error.js";

const SCOPES = ["workspace", "user"];
// Not `.choices()`: commander would quote the refused value, which may be a secret meant for a
// key named like the option (`--scope=…`, `--output=…`).
const oneOf = (flags: string, allowed: readonly string[]) => (value: string) => {
  if (!allowed.includes(value)) throw new UsageError(`${/--[\w-]+/.exec(flags)![0]} must be ${allowed.slice(0, -1).join(", ")} or ${allowed.at(-1)}.`);
  return value;
};
// `.choices()` first, for help and completion; the parser after it replaces commander's check.
const scopeOption = (flags: string, description: string) => new Option(flags, description).choices(SCOPES).argParser(oneOf(flags, SCOPES));
/** `-s/--scope` of a command that acts on one secret: which one, when a user-scoped and a workspace secret share its name. */
const selectScopeOption = () => scopeOption("-s, --scope <scope>", "look only in this scope");
/** `-o` of `create`, `update`, `rename`: the resulting secret's metadata, never its values. */
const mutationOutputOption = () =>
  new Option("-o, --output <format>", "print the resulting secret's metadata (never its values) in this format")
    .choices(READ_FORMATS)
    .argParser(oneOf("--output", READ_FORMATS))
    .default("table");
const positiveInteger = (name: string) => (text: string) => {
  if (!/^\d+$/.test(text)) throw new UsageError(`--${name} must be a whole number, not '${text}'.`);
  return Number(text);
};
/** A version number: a whole number from `min` (1; a diff's `--from` may be 0, before creation). */
const versionNumber = (name: string, min = 1) => (text: string) => {
  if (!/^\d{1,15}$/.test(text) || Number(text) < min) throw new UsageError(`--${name} must be a version number (a whole number from ${min}), not '${text}'.`);
  return Number(text);
};
// The work is loaded only when a command runs, so parsing and `--help` stay light.
const actions = () => import("./secret-actions.js");
const historyActions = () => import("./history-actions.js");

/** `zs secret …`: create, get, list, update, rename, delete, history, rollback, diff, export, rotate-key, backup, restore, migrate, import. */
export function secretCommand(io: Io): Command {
  const secret = new Command("secret").description("create, read, list, change and delete secrets");

  secret
    .command("create")
    .description("create a secret: zs secret create NAME --KEY=VALUE ... (VALUE may be @file, or @- for stdin)")
    .argument("<name>", "the secret's name")
    .option("-v, --values <data>", "values as JSON, YAML or dotenv lines, or @file (@- reads stdin)")
    .option("-i, --interactive", "ask for keys and hidden values")
    .addOption(scopeOption("-s, --scope <scope>", "the scope to create it in (default workspace: shared; user: private)"))
    .addOption(mutationOutputOption())
    .addOption(workspaceOption())
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (_name: string, options, command: Command) => (await actions()).createSecret(io, options, command));

  secret
    .command("get")
    .description("show a secret with its values")
    .argument("<name-or-id>", "name, id or id prefix (8+ characters)")
    .addOption(selectScopeOption())
    .option("--version <n>", "show the values of this earlier version (zs secret history lists them)", versionNumber("version"))
    .option("-k, --key <key>", "print only this key's value (a newline follows only on a terminal)")
    .option("--newline", "with -k: always end the value with a newline")
    .addOption(outputOption(SECRET_VALUE_FORMATS))
    .addOption(workspaceOption())
    .action(async (nameOrId: string, options, command: Command) => {
      const { checkSecretValueOptions, printSecretValue } = await import("./secret-value-action.js");
      checkSecretValueOptions(options, command);
      if (options.key !== undefined) return printSecretValue(io, nameOrId, options);
      return options.version !== undefined ? (await historyActions()).showSecretVersion(io, nameOrId, options) : (await actions()).getSecret(io, nameOrId, options);
    });

  secret
    .command("list")
    .description("list secrets (never their values); filters take OP:VALUE, e.g. --name contains:db")
    .option("--name <filter>", "equals|notequals|contains|startswith|endswith:VALUE")
    .option("--scope <filter>", "workspace or user")
    .option("--user <filter>", "the owner's user name")
    .option("--id <filter>", "the secret id")
    .option("--created <filter>", "equals|gt|gte|lt|lte:DATE (ISO-8601 or 'YYYY-MM-DD HH:MM:SS', UTC)")
    .option("--updated <filter>", "as --created")
    .option("--sort-by <field>", "[asc:|desc:]name|created|updated|scope", "created")
    .addOption(new Option("--logical-operator <op>", "how filters combine").choices(["and", "or"]).default("and"))
    .option("--deleted", "list the deleted secrets (recoverable until PURGE AFTER) instead")
    .option("--page <n>", "page number", positiveInteger("page"))
    .option("--size <n>", "secrets per page (1-1000)", positiveInteger("size"))
    .addOption(outputOption(READ_FORMATS))
    .option("--workspace <name>", "list this workspace ('*': every workspace)")
    .action(async (options) => {
      const { output, ...query } = options;
      await (await actions()).listSecrets(io, query, output);
    });

  secret
    .command("update")
    .description("change a secret: --KEY=VALUE sets, -r KEY removes, other keys are kept")
    .argument("<name-or-id>", "name, id or id prefix")
    .option("-v, --values <data>", "values as JSON, YAML or dotenv lines, or @file (@- reads stdin)")
    .option("-i, --interactive", "ask for keys and hidden values")
    .option("-r, --remove-keys <key>", "remove this key (repeatable)", collect, [])
    .addOption(selectScopeOption())
    .addOption(scopeOption("--new-scope <scope>", "move the secret to this scope"))
    .addOption(mutationOutputOption())
    .addOption(workspaceOption())
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (_nameOrId: string, options, command: Command) => (await actions()).updateSecret(io, options, command));

  secret
    .command("rename")
    .description("give a secret a new name")
    .argument("<name-or-id>", "name, id or id prefix")
    .requiredOption("-n, --new-name <name>", "the new name")
    .option("--update-references", "also rewrite the references components hold to the old name (same transaction)")
    .addOption(selectScopeOption())
    .addOption(mutationOutputOption())
    .addOption(workspaceOption())
    .action(async (nameOrId: string, options) => (await actions()).renameSecret(io, nameOrId, options));

  secret
    .command("delete")
    .description("delete a secret: recoverable (zs secret recover) until the recovery window ends, unless --purge")
    .argument("<name-or-id>", "name, id or id prefix")
    .option("-y, --yes", "do not ask for confirmation")
    .option("--purge", "delete it and its values at once, beyond recovery")
    .addOption(selectScopeOption())
    .addOption(workspaceOption())
    .action(async (nameOrId: string, options) => (await actions()).deleteSecret(io, nameOrId, options));

  secret
    .command("recover")
    .description("bring a deleted secret back, values and all (zs secret list --deleted shows them)")
    .argument("<id>", "id, id prefix, or name of the deleted secret")
    .option("--as <name>", "recover it under this name (when its own is taken meanwhile)")
    .addOption(outputOption(READ_FORMATS))
    .addOption(workspaceOption())
    .action(async (nameOrId: string, options) => (await import("./secret-recovery-actions.js")).recoverSecret(io, nameOrId, options));

  secret
    .command("usages")
    .description("list the component attributes (and their stacks) that reference a secret")
    .argument("<name-or-id>", "name, id or id prefix")
    .addOption(outputOption(READ_FORMATS))
    .addOption(workspaceOption())
    .action(async (nameOrId: string, options) => (await import("./secret-recovery-actions.js")).secretUsages(io, nameOrId, options));

  secret
    .command("history")
    .description("list a secret's versions, newest first: who changed it, how, and which keys (never a value)")
    .argument("<name-or-id>", "name, id or id prefix")
    .addOption(selectScopeOption())
    .option("--page <n>", "page number", positiveInteger("page"))
    .option("--size <n>", "versions per page (1-1000)", positiveInteger("size"))
    .addOption(outputOption(READ_FORMATS))
    .addOption(workspaceOption())
    .action(async (nameOrId: string, options) => (await historyActions()).showHistory(io, nameOrId, options));

  secret
    .command("rollback")
    .description("make an earlier version's values the secret's values again, as a new version (name and scope unchanged)")
    .argument("<name-or-id>", "name, id or id prefix")
    .requiredOption("--to <n>", "the version whose values to restore", versionNumber("to"))
    .option("--if-version <n>", "only if the secret is still at this version (else VERSION_MISMATCH)", versionNumber("if-version"))
    .addOption(selectScopeOption())
    .addOption(new Option("-o, --output <format>", "print the secret's metadata in this format").choices(READ_FORMATS))
    .addOption(workspaceOption())
    .action(async (nameOrId: string, options) => (await historyActions()).rollbackSecret(io, nameOrId, options));

  secret
    .command("diff")
    .description("show which keys differ between two versions (default: the latest change); values only with --show-values")
    .argument("<name-or-id>", "name, id or id prefix")
    .option("--from <n>", "the older version (default: the one before --to; 0: before creation)", versionNumber("from", 0))
    .option("--to <n>", "the newer version (default: the current one)", versionNumber("to"))
    .option("--show-values", "also print both versions' values of the keys that differ")
    .addOption(selectScopeOption())
    .addOption(outputOption(READ_FORMATS))
    .addOption(workspaceOption())
    .action(async (nameOrId: string, options) => (await historyActions()).diffSecret(io, nameOrId, options));

  secret
    .command("export")
    .description("write a secret's values to a file that `create -v @FILE` reads back exactly")
    .argument("<name-or-id>", "name, id or id prefix")
    .option("-f, --filename <file>", "where to write (default: NAME.<format>; - for stdout)")
    .addOption(new Option("--format <format>", "file format").choices(EXPORT_FORMATS).default("yaml"))
    .addOption(selectScopeOption())
    .addOption(workspaceOption())
    .action(async (nameOrId: string, options) => (await actions()).exportSecret(io, nameOrId, options));

  secret
    .command("rotate-key")
    .description("re-encrypt every secret under a new key (local store); resumable")
    .action(async () => (await import("./rotate-key.js")).rotateWithProgress(io));

  secret
    .command("backup")
    .description("copy every secret's values to the backup store (ZS_BACKUP_SECRETS_STORE_TYPE), each read back and compared")
    .option("--status", "only show the backup store and how many secrets it still has to receive")
    .addOption(outputOption())
    .action(async (options: { status?: boolean; output: ReadFormat }) => {
      const backups = await import("./backup-actions.js");
      if (options.status) await backups.showBackupStatus(io, options);
      else await backups.backupSecrets(io);
    });

  secret
    .command("restore")
    .description("copy values from the backup store into the values store, where it lacks them")
    .option("--overwrite", "copy every secret's values, also where the values store has them")
    .action(async (options: { overwrite?: boolean }) => (await import("./backup-actions.js")).restoreSecrets(io, options));

  secret
    .command("migrate")
    .description(
      "move every secret's values to another values store, online: copy, read back and compare, record progress, then switch " +
        "the store the database says holds the values (admins). Interrupted: --resume; abandoned: --abort (the old store keeps everything)",
    )
    .option("--to <type>", "the store to move the values to: sql, aws, gcp, azure, vault or a custom store's module")
    .option("--to-option <name=value>", "an option of that store (repeatable), e.g. --to-option region=eu-west-1", collect, [])
    .option("--resume", "go on with the migration in progress")
    .option("--abort", "abandon the migration in progress")
    .option("--status", "only show the migration in progress, else the latest")
    .option("--delete-source", "after the switch, delete every secret's values from the old store")
    .option("--rewrite", "rewrite every object of the current store in the current format (--to its own type)")
    .option("--concurrency <n>", "secrets copied at once (default 8)")
    .addOption(outputOption())
    .action(async (flags: MigrateFlags) => (await import("./migrate-actions.js")).migrateSecrets(io, flags));

  secret.addCommand(importCommand(io));

  return secret;
}
