import type { BackupService, ComponentsService, SecretsService, ValidationLevel } from "@zs/core";
import type { AuthService } from "./auth/auth-service.js";

/** What the routes work with. */
export interface ServerServices {
  secrets: SecretsService;
  /** Components, stacks and references, over `secrets`. */
  components: ComponentsService;
  /** `ZS_SECRET_VALIDATION_LEVEL`: the level a stack validation without `level` uses. */
  secretValidationLevel: ValidationLevel;
  auth: AuthService;
  /** The backup store's status, backup and restore. */
  backups: BackupService;
  /** Throws when the database or the values store cannot be reached. */
  checkHealth(): Promise<void>;
  version: string;
  /** The values store's type and declared capabilities. */
  store: { type: string; capabilities: Record<string, unknown> };
}
