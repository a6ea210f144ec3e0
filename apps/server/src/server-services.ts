import type { BackupService, ComponentsService, SecretsService, ValidationLevel } from "@zs/core";
import type { ServerAudit } from "./audit/server-audit.js";
import type { AuthService } from "./auth/auth-service.js";
import type { MigrationJobs } from "./migration-jobs.js";
import type { Readiness } from "./ops/readiness.js";

/** What the routes work with. */
export interface ServerServices {
  secrets: SecretsService;
  /** Components, stacks and references, over `secrets`. */
  components: ComponentsService;
  /** `ZS_SECRET_VALIDATION_LEVEL`: the level a stack validation without `level` uses. */
  secretValidationLevel: ValidationLevel;
  /** `ZS_DASHBOARD_IDLE_MINUTES`: after this long without activity, the dashboard locks its session. */
  dashboardIdleMinutes: number;
  auth: AuthService;
  /** The audit log: every request's event, reading and verifying it. */
  audit: ServerAudit;
  /** The backup store's status, backup and restore. */
  backups: BackupService;
  /** Migrations of the values to another store, run in this server's background. */
  migrations: MigrationJobs;
  /** Throws when the database or the values store cannot be reached. */
  checkHealth(): Promise<void>;
  /** `GET /health/ready`: the server's phase and its parts' checks. */
  readiness: Readiness;
  version: string;
  /** The values store's type and declared capabilities (a migration may change them). */
  store: { type: string; capabilities: Record<string, unknown> };
}
