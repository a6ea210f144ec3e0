import { openConfiguredStore } from "@zs/builtin-stores";
import type { ZsConfig } from "@zs/core";
import { KnexAuthRevocationRepository, KnexCredentialRepository, KnexLoginCounterRepository, type PoolStats, type SqlDatabase } from "@zs/store-sql";
import type { Logger } from "pino";
import { openServerAudit } from "./audit/server-audit.js";
import { AuthCache } from "./auth/auth-cache.js";
import { AuthService } from "./auth/auth-service.js";
import { LoginThrottle, type LoginThrottleLimits } from "./auth/login-throttle.js";
import { PasswordHashingQueue, type PasswordHashingLimits } from "./auth/password-hashing-queue.js";
import type { ScryptCost } from "./auth/passwords.js";
import { watchRevocationEpoch } from "./auth/revocation-epoch-watch.js";
import { listenForRevocations } from "./auth/revocation-listener.js";
import { scheduleBackupRepair } from "./backup-repair-schedule.js";
import { MigrationJobs } from "./migration-jobs.js";
import { Readiness } from "./ops/readiness.js";
import { schedulePurges } from "./purge-schedule.js";
import type { ServerServices } from "./server-services.js";

/** The server's services over the configured database and values store, and how to close them. */
export interface OpenedServices extends ServerServices {
  /** The metadata database, for tests and benchmarks that count its statements. */
  database: SqlDatabase;
  /** Verified tokens (its `stats` are the counters a metrics module reads); off in one-job commands. */
  authCache: AuthCache;
  /** The metadata database's connection pool now (for metrics). */
  databasePool(): PoolStats;
  close(): Promise<void>;
}

/** What tests and benchmarks may set besides the configuration. */
export interface ServiceOptions {
  version: string;
  loginLimits?: LoginThrottleLimits;
  hashingLimits?: Partial<PasswordHashingLimits>;
  passwordCost?: ScryptCost;
  /** Purge expired deleted secrets at start and hourly; commands that open the services for one job turn it off. @default true */
  sweep?: boolean;
  /**
   * Cache verified tokens (`ZS_AUTH_CACHE_*`) and follow revocations made elsewhere; commands
   * that open the services for one job turn it off. @default true
   */
  authCache?: boolean;
}

/** Opens the database (migrating it), the values store and the services on top. */
export async function openServices(config: ZsConfig, logger: Logger, options: ServiceOptions): Promise<OpenedServices> {
  const { database, backup, backups, migrations, openMigrationTarget, service: secrets, components } = await openConfiguredStore(
    config,
    logger.child({ component: "values-store" }),
    { readConnection: true },
  );
  const repairs = backup ? scheduleBackupRepair(backups, config.backupRepairIntervalMs) : undefined;
  const migrationJobs = new MigrationJobs(migrations, openMigrationTarget);
  const audit = openServerAudit(config.audit, database, logger.child({ component: "audit" }));
  const purges = options.sweep === false ? undefined : schedulePurges(secrets, audit.record, logger.child({ component: "purge" }));
  const authCache = new AuthCache(options.authCache === false ? { ttlMs: 0, size: 1 } : config.authCache);
  const authLogger = logger.child({ component: "auth-cache" });
  const revocations = !authCache.enabled
    ? undefined
    : database.dialect === "postgres"
      ? listenForRevocations({ databaseUrl: config.databaseUrl, cache: authCache, logger: authLogger })
      : await watchRevocationEpoch(new KnexAuthRevocationRepository(database), authCache, authLogger).then((watch) => ({ close: () => watch.stop() }));
  const readiness = new Readiness({
    checks: {
      database: async () => void (await database.knex.raw("select 1")),
      values_store: async () => await secrets.placement.primary.check?.(),
      // The database chain is the database's check; this covers a failed batch and the file sink.
      audit: () => audit.recorder.check(),
    },
  });
  return {
    readiness,
    database,
    authCache,
    audit,
    secrets,
    components,
    secretValidationLevel: config.secretValidationLevel,
    dashboardIdleMinutes: config.dashboard.idleMinutes,
    auth: new AuthService(new KnexCredentialRepository(database), secrets, {
      throttle: new LoginThrottle(new KnexLoginCounterRepository(database), options.loginLimits),
      hashing: new PasswordHashingQueue(options.hashingLimits),
      passwordCost: options.passwordCost,
      cache: authCache,
    }),
    backups,
    migrations: migrationJobs,
    version: options.version,
    get store() {
      const values = secrets.placement.primary;
      return { type: values.type, capabilities: { ...values.capabilities } };
    },
    databasePool: () => database.poolStats(),
    async checkHealth() {
      await database.knex.raw("select 1");
      await secrets.placement.primary.check?.();
    },
    async close() {
      await revocations?.close();
      await migrationJobs.stop();
      await repairs?.stop();
      await purges?.stop();
      // In-flight requests have finished: their events are flushed before the database closes.
      await audit.close();
      await secrets.close();
    },
  };
}
