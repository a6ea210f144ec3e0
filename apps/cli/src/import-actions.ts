import {
  LIMITS,
  ZsError,
  describeImportSummary,
  importSecrets as runImport,
  isValidName,
  parseOptionAssignments,
  planImport,
  silentLogger,
  type ImportSource,
  type ImportSummary,
  type PlannedImport,
} from "@zs/core";
import type { Client } from "@zs/client";
import { withClient, type CommonOptions } from "./client-session.js";
import type { Io } from "./output.js";
import { withProgressBar } from "./progress-bar.js";
import { reportSummary } from "./summary-report.js";
import { UsageError } from "./usage-error.js";
import { resolveValue } from "./values-input.js";

/** The options of `zs secret import`. */
export interface ImportOptions extends CommonOptions {
  from?: string;
  file?: string;
  prefix?: string;
  /** `--option KEY=VALUE`s as given. */
  option: string[];
  name?: string;
  renamePrefix?: string;
  dryRun?: boolean;
}

/**
 * `zs secret import`: lists the source, plans (names mapped, clashes with the workspace's
 * secrets found), then reads and creates each secret through the client, locally or on a
 * server alike; `--dry-run` prints the plan and stops. Nothing is created before the source
 * has been listed and the workspace's names read.
 */
export async function importSecrets(io: Io, options: ImportOptions): Promise<void> {
  checkFlags(options);
  const source = await openSource(options);
  try {
    await withClient(options, async (client) => {
      const workspace = await existingWorkspace(client);
      const [entries, existingNames] = await Promise.all([source.list(options.prefix ?? ""), visibleSecretNames(client)]);
      const plan = planImport(entries, { prefix: options.prefix, renamePrefix: options.renamePrefix, existingNames, workspace });
      if (options.dryRun) {
        printPlan(io, plan);
        return;
      }
      const summary = await withProgressBar("Importing", (onProgress) =>
        runImport(plan, {
          read: (externalName) => source.read(externalName),
          create: async (name, values) => {
            await client.createSecret(name, values);
          },
          onProgress,
        }),
      );
      reportImport(io, summary);
    });
  } finally {
    await source.close();
  }
}

function checkFlags(options: ImportOptions): void {
  if (options.from !== undefined && options.file !== undefined) throw new UsageError("Give --from or -f/--file, not both.");
  if (options.from === undefined && options.file === undefined) throw new UsageError("Give --from TYPE (aws, gcp, azure or vault) or -f FILE.");
  if (options.file === undefined && options.name !== undefined) throw new UsageError("--name names the secret of a .env file or a flat map: it goes with -f.");
  if (options.file !== undefined && options.option.length > 0) throw new UsageError("--option configures a --from source; a file takes none.");
  if (options.renamePrefix !== undefined && !isValidName(options.renamePrefix)) {
    throw new UsageError(`--rename-prefix starts secret names: 1-${LIMITS.maxNameLength} characters of A-Z a-z 0-9 _ -.`);
  }
}

async function openSource(options: ImportOptions): Promise<ImportSource> {
  if (options.file !== undefined) return (await import("./import-file.js")).openFileSource(options.file, options.name);
  const { IMPORT_SOURCE_TYPES, openBuiltinImportSource } = await import("@zs/builtin-stores");
  const type = options.from ?? "";
  if (!IMPORT_SOURCE_TYPES.includes(type)) throw new UsageError(`--from must be ${IMPORT_SOURCE_TYPES.join(", ")}; not '${type}'.`);
  return openBuiltinImportSource(type, await sourceOptions(options.option), { logger: silentLogger, configDir: process.cwd() });
}

/** `--option NAME=VALUE`s as options (as `--to-option`'s), a VALUE `@file` being the file's contents. */
async function sourceOptions(assignments: readonly string[]): Promise<Record<string, string>> {
  const options = parseOptionAssignments(assignments, "--option");
  for (const [name, value] of Object.entries(options)) options[name] = await resolveValue(value);
  return options;
}

/** The workspace the import goes to, which must exist (listing an unknown one finds nothing rather than failing). */
async function existingWorkspace(client: Client): Promise<string> {
  const workspace = await client.activeWorkspace();
  const workspaces = await client.listWorkspaces();
  if (!workspaces.some((w) => w.name === workspace)) throw new ZsError("WORKSPACE_NOT_FOUND", `No workspace named '${workspace}'.`);
  return workspace;
}

/** The names of every secret the caller sees in the workspace: an import never takes one of them. */
async function visibleSecretNames(client: Client): Promise<Set<string>> {
  const names = new Set<string>();
  for (let page = 1, pages = 1; page <= pages; page++) {
    const listed = await client.listSecrets({ page, size: LIMITS.maxPageSize });
    for (const secret of listed.items) names.add(secret.name);
    pages = listed.totalPages;
  }
  return names;
}

/** Control characters (a Vault path may hold any) shown as `\uXXXX`, so no name can drive the terminal. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

const quoted = (externalName: string) => `'${printable(externalName)}'`;
const renamed = (from: string | undefined) => (from === undefined ? "" : ` (renamed: '${from}' is taken)`);

/** `--dry-run`: what each secret would become, then the counts. */
function printPlan(io: Io, plan: readonly PlannedImport[]): void {
  const counts = { import: 0, skip: 0, fail: 0 };
  for (const item of plan) {
    counts[item.action]++;
    const line =
      item.action === "import" ? `import ${quoted(item.externalName)} as '${item.name}'${renamed(item.renamedFrom)}` : `${item.action}: ${quoted(item.externalName)}: ${printable(item.reason)}`;
    io.out(`${line}\n`);
  }
  io.out(`Dry run: ${counts.import} to import, ${counts.skip} to skip, ${counts.fail} to fail; nothing was changed.\n`);
}

/** Each import on stdout, each skip and failure on stderr, then the summary line; exit 1 when any failed. */
function reportImport(io: Io, summary: ImportSummary): void {
  const failures = [];
  for (const outcome of summary.outcomes) {
    if (outcome.status === "imported") io.out(`imported ${quoted(outcome.externalName)} as '${outcome.name}'${renamed(outcome.renamedFrom)}\n`);
    else if (outcome.status === "skipped") io.err(`skipped: ${quoted(outcome.externalName)}: ${printable(outcome.reason)}\n`);
    else failures.push({ subject: quoted(outcome.externalName), reason: printable(outcome.reason) });
  }
  reportSummary(io, describeImportSummary(summary), failures, summary.failed);
}
