import type { Command } from "commander";
import { STRING_OPERATORS, isZsError, type Lookup, type Scope, type Secret, type SecretQuery } from "@zs/core";
import { withClient, type CommonOptions } from "./client-session.js";
import { formatEnv } from "./env-format.js";
import type { ExportFormat, ReadFormat, SecretValueFormat } from "./formats.js";
import { askForValues, confirmDeletion } from "./interactive.js";
import { renderSecret, renderSecretList, secretTable, serialize, type Io } from "./output.js";
import { writePrivateFile } from "./private-file.js";
import { collectValues, splitOperands } from "./secret-input.js";
import { UsageError } from "./usage-error.js";

const lookupFrom = (options: { scope?: Scope }): Lookup => (options.scope ? { scope: options.scope } : {});

/** Prints what a mutation made: a masked table and `message`, or with `-o json|yaml` the secret's metadata alone (never values). */
async function printChanged(io: Io, secret: Secret, output: ReadFormat, message: string): Promise<void> {
  if (output === "table") {
    io.out(`${secretTable(io, secret, false)}\n${message}\n`);
    return;
  }
  const { values: _values, ...metadata } = secret;
  io.out(await serialize(metadata, output));
}

/** True when a list's `--workspace` (`*`, or a filter other than equals) may match more than one workspace. */
function listsSeveralWorkspaces(workspace: string | undefined): boolean {
  if (workspace === undefined) return false;
  const operator = /^([a-z]+):/.exec(workspace)?.[1];
  return workspace === "*" || (operator !== undefined && operator !== "equals" && (STRING_OPERATORS as readonly string[]).includes(operator));
}

/** Options of `secret create` and `secret update` that give values. */
interface ValueOptions {
  values?: string;
  interactive?: boolean;
}

export async function createSecret(io: Io, options: CommonOptions & ValueOptions & { scope?: Scope; output: ReadFormat }, command: Command): Promise<void> {
  const { nameOrId: name, pairs } = splitOperands(command);
  const values = await collectValues({ pairs, values: options.values, interactive: options.interactive }, askForValues);
  if (Object.keys(values).length === 0) throw new UsageError("Give at least one --KEY=VALUE (or --values, or -i).");
  const created = await withClient(options, (client) => client.createSecret(name, values, options.scope ? { scope: options.scope } : {}));
  await printChanged(io, created, options.output, `Secret '${created.name}' created.`);
}

export async function getSecret(io: Io, nameOrId: string, options: CommonOptions & { scope?: Scope; output: SecretValueFormat }): Promise<void> {
  const found = await withClient(options, (client) => client.getSecret(nameOrId, lookupFrom(options)));
  io.out(await renderSecret(io, found, options.output));
}

export async function listSecrets(io: Io, query: SecretQuery, output: ReadFormat): Promise<void> {
  const { misspeltOperatorHints } = await import("./filter-hints.js");
  for (const hint of misspeltOperatorHints(query)) io.err(hint);
  if (query.deleted) {
    const { listDeletedSecrets } = await import("./secret-recovery-actions.js");
    return listDeletedSecrets(io, query, output);
  }
  // `--workspace` is the list's own filter here (`*` allowed), not the active workspace.
  const page = await withClient({}, (client) => client.listSecrets(query));
  io.out(await renderSecretList(io, page, output, listsSeveralWorkspaces(query.workspace)));
}

export async function updateSecret(
  io: Io,
  options: CommonOptions & ValueOptions & { removeKeys: string[]; scope?: Scope; newScope?: Scope; output: ReadFormat },
  command: Command,
): Promise<void> {
  const { nameOrId, pairs } = splitOperands(command);
  const values = await collectValues({ pairs, values: options.values, interactive: options.interactive }, askForValues);
  if (Object.keys(values).length === 0 && options.removeKeys.length === 0 && !options.newScope) {
    // `-s` alone is what moving a secret looked like before `--new-scope`: say so.
    const moving = options.scope ? " (-s/--scope only chooses which secret; --new-scope SCOPE moves it)" : "";
    throw new UsageError(`Nothing to update: give --KEY=VALUE, --values, -i, -r KEY or --new-scope${moving}.`);
  }
  const updated = await withClient(options, (client) =>
    client.updateSecret(
      nameOrId,
      {
        ...(Object.keys(values).length > 0 && { values }),
        ...(options.removeKeys.length > 0 && { removeKeys: options.removeKeys }),
        ...(options.newScope && { scope: options.newScope }),
      },
      lookupFrom(options),
    ),
  ).catch((error: unknown) => {
    if (options.scope && isZsError(error) && error.code === "SECRET_NOT_FOUND") io.err("Hint: -s/--scope chooses which secret to update; to move a secret to another scope, use --new-scope.\n");
    throw error;
  });
  await printChanged(io, updated, options.output, `Secret '${updated.name}' updated.`);
}

export async function renameSecret(
  io: Io,
  nameOrId: string,
  options: CommonOptions & { newName: string; updateReferences?: boolean; scope?: Scope; output: ReadFormat },
): Promise<void> {
  const { confirmDespiteUsages, printWarnings } = await import("./secret-recovery-actions.js");
  const { previous, rewritten, renamed } = await withClient(options, async (client) => {
    const before = await client.findSecret(nameOrId, lookupFrom(options));
    const usages = await client.secretUsages(before.id);
    const shown =
      !options.updateReferences &&
      (await confirmDespiteUsages(
        io,
        before,
        usages,
        `Rename '${before.name}' anyway, leaving these references to the old name (--update-references rewrites them)?`,
        "Not renamed.",
        false,
      ));
    const renamed = await client.renameSecret(before.id, options.newName, { updateReferences: options.updateReferences === true });
    printWarnings(io, renamed.warnings, shown);
    return { previous: before.name, rewritten: options.updateReferences && !renamed.warnings ? usages.length : 0, renamed };
  });
  if (options.output !== "table") {
    const { values: _values, warnings: _warnings, ...metadata } = renamed;
    io.out(await serialize(metadata, options.output));
    return;
  }
  const references = rewritten > 0 ? ` ${rewritten} component reference${rewritten === 1 ? " now names" : "s now name"} it.` : "";
  io.out(`Secret '${previous}' renamed to '${options.newName}'.${references}\n`);
}

export async function deleteSecret(io: Io, nameOrId: string, options: CommonOptions & { yes?: boolean; purge?: boolean; scope?: Scope }): Promise<void> {
  const { confirmDespiteUsages, printWarnings } = await import("./secret-recovery-actions.js");
  await withClient(options, async (client) => {
    const target = await client.findSecret(nameOrId, lookupFrom(options));
    await confirmDeletion(`Delete secret '${target.name}' (${target.id})${options.purge ? " and its values, for good" : ""}?`, options.yes);
    const usages = await client.secretUsages(target.id);
    const shown = await confirmDespiteUsages(io, target, usages, `Delete '${target.name}' anyway, breaking these references?`, "Not deleted.", options.yes);
    const deletion = await client.deleteSecret(target.id, {}, { purge: options.purge === true });
    printWarnings(io, deletion.warnings, shown);
    const recovery = deletion.purgeAfter ? `It can be recovered until ${deletion.purgeAfter}: zs secret recover ${deletion.id}\n` : "";
    io.out(`Secret '${target.name}' deleted.\n${recovery}`);
  });
}

export async function exportSecret(io: Io, nameOrId: string, options: CommonOptions & { filename?: string; format: ExportFormat; scope?: Scope }): Promise<void> {
  const found = await withClient(options, (client) => client.getSecret(nameOrId, lookupFrom(options)));
  const text = options.format === "env" ? formatEnv(found.values, "--format json or --format yaml") : await serialize(found.values, options.format);
  // `-f -` is stdout, which then carries the file alone: no confirmation line after it.
  if (options.filename === "-") {
    io.out(text);
    return;
  }
  const file = options.filename ?? `${found.name}.${options.format}`;
  await writePrivateFile(file, text);
  io.out(`Secret '${found.name}' exported to ${file}.\n`);
}
