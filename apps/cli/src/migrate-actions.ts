import type { MigrationReport } from "@zs/client";
import { copiesLeft, parseOptionAssignments } from "@zs/core";
import { reportCopy } from "./backup-actions.js";
import { withClient } from "./client-session.js";
import type { ReadFormat } from "./formats.js";
import { keyValueTable, serialize, type Io } from "./output.js";
import { withProgressBar } from "./progress-bar.js";
import { UsageError } from "./usage-error.js";

/** `zs secret migrate`'s flags. */
export interface MigrateFlags {
  to?: string;
  toOption: string[];
  resume?: boolean;
  abort?: boolean;
  status?: boolean;
  deleteSource?: boolean;
  rewrite?: boolean;
  concurrency?: string;
  output: ReadFormat;
}

/** `zs secret migrate`: moves every secret's values to another values store, or shows or abandons the migration. */
export async function migrateSecrets(io: Io, flags: MigrateFlags): Promise<void> {
  const moving = flags.to !== undefined || flags.resume || flags.deleteSource || flags.rewrite || flags.toOption.length > 0;
  if ((flags.abort || flags.status) && (moving || (flags.abort && flags.status))) {
    throw new UsageError("--abort and --status take no other flag.");
  }
  if (flags.status) return showMigration(io, await withClient({}, (client) => client.migrationStatus()), flags.output);
  if (flags.abort) {
    const aborted = await withClient({}, (client) => client.abortMigration());
    io.out(`Abandoned the migration to '${aborted.targetType}'; the '${aborted.sourceType}' store still holds every value. ${copiesLeft(aborted.done, aborted.targetType)}\n`);
    return;
  }
  if (!flags.to) throw new UsageError("Give --to TYPE (the store to move the values to), --status or --abort.");
  const concurrency = flags.concurrency === undefined ? undefined : Number(flags.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 64)) {
    throw new UsageError("--concurrency must be a whole number from 1 to 64.");
  }
  const options = parseOptionAssignments(flags.toOption, "--to-option");
  const report = await withProgressBar("Migrating", (onProgress) =>
    withClient({}, (client) =>
      client.migrate({ to: flags.to!, options, resume: flags.resume, deleteSource: flags.deleteSource, rewrite: flags.rewrite, concurrency, onProgress }),
    ),
  );
  if (report.error !== null) {
    throw new Error(`${report.error} The values stay in '${report.sourceType}'; run again with --resume, or --abort.`);
  }
  reportCopy(io, report);
  if (report.status !== "completed") throw new Error(`The migration stopped before the switch; the values stay in '${report.sourceType}'. Run again with --resume.`);
  io.out(`The values are now in the '${report.targetType}' store. Set ZS_SECRETS_STORE_TYPE=${report.targetType} and its options where zs is configured.\n`);
}

function showMigration(io: Io, report: MigrationReport | undefined, output: ReadFormat): Promise<void> | void {
  if (output === "json" || output === "yaml") return serialize(report ?? null, output).then((text) => io.out(text));
  if (!report) {
    io.out("No migration has run on this deployment.\n");
    return;
  }
  io.out(
    keyValueTable([
      ["Migration", report.id],
      ["From", report.sourceType],
      ["To", report.targetType],
      ["Status", report.active ? "running (copying now)" : report.status],
      ["Progress", `${report.done}/${report.total}`],
      ["Started", report.started],
      ["Finished", report.finished ?? "-"],
    ]),
  );
}
