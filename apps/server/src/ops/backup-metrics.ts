import type { BackupService } from "@zs/core";
import { Gauge, type Registry } from "prom-client";

/**
 * `zs_backup_pending_secrets`: secrets whose values the backup store still has to receive (or
 * to lose), what `zs secret backup --status` shows; one SQL statement per scrape. NaN when the
 * database could not answer, so the rest of the scrape still arrives.
 */
export function backupMetrics(registry: Registry, backups: BackupService): void {
  new Gauge({
    name: "zs_backup_pending_secrets",
    help: "Secrets whose values the backup store has yet to receive or delete (NaN: the database did not answer).",
    registers: [registry],
    async collect() {
      this.set(await backups.pendingCount().catch(() => Number.NaN));
    },
  });
}
