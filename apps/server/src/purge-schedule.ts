import type { Logger } from "pino";
import type { SecretsService } from "@zs/core";

/** How often the server purges the deleted secrets whose recovery window ended (lifecycle.md). */
export const PURGE_INTERVAL_MS = 3_600_000;

/** A running purge schedule; `stop` waits for a sweep in progress. */
export interface PurgeSchedule {
  stop(): Promise<void>;
}

/**
 * Sweeps expired deleted secrets at once and then hourly, one sweep at a time. Several
 * instances may sweep together: each secret is purged by one of them (`purgeExpiredSecrets`).
 * The timer never keeps the process alive.
 */
export function schedulePurges(secrets: SecretsService, logger: Logger, intervalMs = PURGE_INTERVAL_MS): PurgeSchedule {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const sweep = async () => {
    try {
      const outcome = await secrets.purgeExpiredSecrets();
      if (outcome.purged > 0 || outcome.failed > 0) logger.info(outcome, "purged deleted secrets whose recovery window ended");
    } catch (error) {
      // The database gone: the next tick tries again.
      logger.warn({ error: error instanceof Error ? error.message : String(error) }, "purging deleted secrets failed");
    }
  };
  const pass = () => {
    running = running.then(() => (stopped ? undefined : sweep()));
  };
  pass();
  const timer = setInterval(pass, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
