import type { BackupService } from "@zs/core";
import { runRepeatedly, type RepeatingTask } from "./repeating-task.js";

/**
 * Runs the backup repair pass at once and then every `intervalMs` (`ZS_BACKUP_REPAIR_INTERVAL`),
 * one pass at a time.
 */
export function scheduleBackupRepair(backups: BackupService, intervalMs: number): RepeatingTask {
  // The pass logs its own failures; one that throws (the database gone) waits for the next tick.
  return runRepeatedly(() => backups.repair().catch(() => undefined), intervalMs);
}
