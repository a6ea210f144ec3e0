import type { CopySummary } from "@zs/client";
import { describeCopySummary } from "@zs/core";
import { withClient } from "./client-session.js";
import type { ReadFormat } from "./formats.js";
import { keyValueTable, serialize, type Io } from "./output.js";
import { withProgressBar } from "./progress-bar.js";
import { reportSummary } from "./summary-report.js";

/** `zs secret backup --status`: the backup store and how many secrets it still owes. */
export async function showBackupStatus(io: Io, options: { output: ReadFormat }): Promise<void> {
  const status = await withClient({}, (client) => client.backupStatus());
  if (options.output === "json" || options.output === "yaml") {
    io.out(await serialize(status, options.output));
    return;
  }
  io.out(keyValueTable([["Backup store", status.type ?? "none configured (ZS_BACKUP_SECRETS_STORE_TYPE)"], ["Pending", String(status.pending)]]));
}

/** `zs secret backup`: every secret's values to the backup store, verified. */
export async function backupSecrets(io: Io): Promise<void> {
  const summary = await withProgressBar("Backing up", (onProgress) => withClient({}, (client) => client.backup({ onProgress })));
  reportCopy(io, summary);
}

/** `zs secret restore [--overwrite]`: values from the backup store back into the values store. */
export async function restoreSecrets(io: Io, options: { overwrite?: boolean }): Promise<void> {
  const summary = await withProgressBar("Restoring", (onProgress) =>
    withClient({}, (client) => client.restore({ overwrite: options.overwrite ?? false, onProgress })),
  );
  reportCopy(io, summary);
}

/** Each failure on stderr, the summary line on stdout; exit 1 when any secret failed. */
export function reportCopy(io: Io, summary: CopySummary): void {
  const failures = summary.failures.map((failure) => ({ subject: `secret ${failure.secretId}`, reason: failure.reason }));
  reportSummary(io, describeCopySummary(summary), failures, summary.failed);
}
