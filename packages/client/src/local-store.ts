import { openConfiguredStore, type ConfiguredStore } from "@zs/builtin-stores";
import {
  AuditLog,
  AuditRecorder,
  JsonLinesAuditSink,
  purgeEvents,
  readConfig,
  silentLogger,
  type BackupService,
  type ComponentsService,
  type SecretsService,
  type User,
  type ZsConfig,
} from "@zs/core";
import { KnexAuditLogRepository, type SqlDatabase } from "@zs/store-sql";
import { localAuditor, type LocalAuditor } from "./local-audit.js";
import { LOCAL_USER } from "./local-user.js";

/** An opened local store: the service, who acts, and what it was opened from. */
export interface LocalStore {
  service: SecretsService;
  components: ComponentsService;
  /** The backup store's status, backup and restore. */
  backups: BackupService;
  /** Migrations of the values to another store, and how their target is opened. */
  migrations: ConfiguredStore["migrations"];
  openMigrationTarget: ConfiguredStore["openMigrationTarget"];
  user: User;
  config: ZsConfig;
  database: SqlDatabase;
  /** The values store's type and capabilities. */
  store: { type: string; capabilities: Record<string, unknown> };
  /** Runs a security-relevant call and records its event (actor `local`), as `ZS_AUDIT` says. */
  audit: LocalAuditor;
  /** The local audit log, for listing and verifying. */
  auditLog: AuditLog;
  close(): Promise<void>;
}

/** Local mode has no background: at most once a day, a command prunes events past `ZS_AUDIT_RETENTION_DAYS`. */
const LOCAL_PRUNE_INTERVAL_MS = 86_400_000;

async function pruneLocalAuditLog(database: SqlDatabase, log: AuditLog, config: ZsConfig): Promise<void> {
  if (config.audit.mode === "off" || config.audit.retentionDays === 0) return;
  const last = Number((await database.getMeta("audit_pruned_at")) ?? 0);
  if (Date.now() - last < LOCAL_PRUNE_INTERVAL_MS) return;
  await log.prune(config.audit.retentionDays);
  await database.setMeta("audit_pruned_at", String(Date.now()));
}

/**
 * Opens the embedded store in `home` (created on first use, with a generated 0600 key):
 * SQLite by default, or whatever the `ZS_*` settings in `env` name (values in a cloud store
 * or a custom one; the metadata stays in the database).
 */
export async function openLocalStore(home: string, env: Record<string, string | undefined>): Promise<LocalStore> {
  // ZS_HOME is local mode's data directory; ZS_DATA_DIR belongs to the server.
  const config = readConfig({ env: { ...env, ZS_DATA_DIR: undefined }, defaultDataDir: home });
  const { database, values, backup, backups, migrations, openMigrationTarget, service, components } = await openConfiguredStore(config, silentLogger);
  const chain = new KnexAuditLogRepository(database);
  const recorder = new AuditRecorder({
    mode: config.audit.mode,
    flushMs: config.audit.flushMs,
    chain,
    sinks: config.audit.file ? [new JsonLinesAuditSink(config.audit.file)] : [],
  });
  try {
    const user = await service.ensureUser(LOCAL_USER, { isAdmin: true });
    await pruneLocalAuditLog(database, new AuditLog(chain), config);
    // Local mode has no background: each command first retries what the backup missed (one
    // indexed query when nothing did; a backup still down stops the pass at its first failure).
    if (backup) await backups.repair();
    // …and purges the deleted secrets whose recovery window ended (one indexed query when none
    // did). A values store that fails leaves them for the next command; the command goes on.
    const purged = await service.purgeExpiredSecrets().catch(() => undefined);
    const actor = { user_id: user.id, user_name: user.name, via: "local" as const };
    await Promise.all((purged ? purgeEvents(purged, actor, null) : []).map((event) => recorder.record(event).catch(() => undefined)));
    return {
      service,
      components,
      backups,
      migrations,
      openMigrationTarget,
      user,
      config,
      database,
      store: { type: values.type, capabilities: { ...values.capabilities } },
      audit: localAuditor(recorder),
      auditLog: new AuditLog(chain),
      close: async () => {
        // Every audited call awaited its event already (or lost it in best-effort mode); this writes what waits.
        await recorder.close().catch(() => undefined);
        await service.close();
      },
    };
  } catch (error) {
    await recorder.close().catch(() => undefined);
    await service.close();
    throw error;
  }
}
