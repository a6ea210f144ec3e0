import type { Logger } from "pino";
import { purgeEvents, type AuditEventInput, type SecretsService } from "@zs/core";
import { runRepeatedly, type RepeatingTask } from "./repeating-task.js";

/** How often the server purges the deleted secrets whose recovery window ended (lifecycle.md). */
export const PURGE_INTERVAL_MS = 3_600_000;

/**
 * Sweeps expired deleted secrets at once and then hourly, one sweep at a time. Several
 * instances may sweep together: each secret is purged by one of them (`purgeExpiredSecrets`).
 * Every purge (and failed purge) is audited, by nobody: the server itself did it.
 */
export function schedulePurges(
  secrets: SecretsService,
  audit: (event: AuditEventInput) => Promise<void>,
  logger: Logger,
  intervalMs = PURGE_INTERVAL_MS,
): RepeatingTask {
  const sweep = async () => {
    try {
      const outcome = await secrets.purgeExpiredSecrets();
      const events = purgeEvents(outcome, { user_id: null, user_name: null, via: null }, "zs-server");
      if (events.length === 0) return;
      logger.info({ purged: outcome.purged.length, failed: outcome.failed.length }, "purged deleted secrets whose recovery window ended");
      // The purges are done: an event that cannot be written is counted and logged by the recorder.
      await Promise.all(events.map((event) => audit(event).catch(() => undefined)));
    } catch (error) {
      // The database gone: the next tick tries again.
      logger.warn({ error: error instanceof Error ? error.message : String(error) }, "purging deleted secrets failed");
    }
  };
  return runRepeatedly(sweep, intervalMs);
}
