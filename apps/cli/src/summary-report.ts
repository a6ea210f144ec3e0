import type { Io } from "./output.js";

/** One secret a bulk operation failed on: what it is, and why (never a value). */
export interface ReportedFailure {
  subject: string;
  reason: string;
}

/**
 * The end of a bulk operation (backup, restore, import): each failure on stderr as
 * `failed: SUBJECT: REASON`, then the summary line on stdout; exit 1 when any failed. `failed`
 * may exceed the failures listed (a capped list): the rest are counted.
 */
export function reportSummary(io: Io, summaryLine: string, failures: readonly ReportedFailure[], failed: number): void {
  for (const failure of failures) io.err(`failed: ${failure.subject}: ${failure.reason}\n`);
  if (failed > failures.length) io.err(`… and ${failed - failures.length} more failures\n`);
  io.out(`${summaryLine}\n`);
  if (failed > 0) throw new Error(`${failed} secret${failed === 1 ? "" : "s"} failed; nothing else was changed for them.`);
}
