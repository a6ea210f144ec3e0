import type { BackupService } from "@zs/core";

/** A running repair schedule; `stop` waits for a pass in progress. */
export interface BackupRepairSchedule {
  stop(): Promise<void>;
}

/**
 * Runs the backup repair pass at once and then every `intervalMs` (`ZS_BACKUP_REPAIR_INTERVAL`),
 * one pass at a time. The timer never keeps the process alive.
 */
export function scheduleBackupRepair(backups: BackupService, intervalMs: number): BackupRepairSchedule {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const pass = () => {
    // The pass logs its own failures; one that throws (the database gone) waits for the next tick.
    running = running.then(() => (stopped ? undefined : backups.repair().catch(() => undefined)));
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
