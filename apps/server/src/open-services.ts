import { openConfiguredStore } from "@zs/builtin-stores";
import type { ZsConfig } from "@zs/core";
import { KnexCredentialRepository, KnexLoginCounterRepository } from "@zs/store-sql";
import type { Logger } from "pino";
import { AuthService } from "./auth/auth-service.js";
import { LoginThrottle, type LoginThrottleLimits } from "./auth/login-throttle.js";
import { PasswordHashingQueue, type PasswordHashingLimits } from "./auth/password-hashing-queue.js";
import type { ScryptCost } from "./auth/passwords.js";
import { scheduleBackupRepair } from "./backup-repair-schedule.js";
import type { ServerServices } from "./server-services.js";

/** The server's services over the configured database and values store, and how to close them. */
export interface OpenedServices extends ServerServices {
  close(): Promise<void>;
}

/** What tests and benchmarks may set besides the configuration. */
export interface ServiceOptions {
  version: string;
  loginLimits?: LoginThrottleLimits;
  hashingLimits?: Partial<PasswordHashingLimits>;
  passwordCost?: ScryptCost;
}

/** Opens the database (migrating it), the values store and the services on top. */
export async function openServices(config: ZsConfig, logger: Logger, options: ServiceOptions): Promise<OpenedServices> {
  const { database, values, backup, backups, service: secrets, components } = await openConfiguredStore(
    config,
    logger.child({ component: "values-store" }),
    { readConnection: true },
  );
  const repairs = backup ? scheduleBackupRepair(backups, config.backupRepairIntervalMs) : undefined;
  return {
    secrets,
    components,
    secretValidationLevel: config.secretValidationLevel,
    auth: new AuthService(new KnexCredentialRepository(database), secrets, {
      throttle: new LoginThrottle(new KnexLoginCounterRepository(database), options.loginLimits),
      hashing: new PasswordHashingQueue(options.hashingLimits),
      passwordCost: options.passwordCost,
    }),
    backups,
    version: options.version,
    store: { type: values.type, capabilities: { ...values.capabilities } },
    async checkHealth() {
      await database.knex.raw("select 1");
      await values.check?.();
    },
    async close() {
      await repairs?.stop();
      await secrets.close();
    },
  };
}
