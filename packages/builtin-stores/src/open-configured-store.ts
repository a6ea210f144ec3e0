import path from "node:path";
import {
  BackupService,
  ComponentsService,
  KeyRing,
  SecretsService,
  ValuesMigrationService,
  ZsError,
  assertHoldsValues,
  keyFileRing,
  parseValuesStoreRecord,
  serializeValuesStoreRecord,
  tightenToOwnerOnly,
  valuesStoreRecordOf,
  type Logger,
  type SecretValuesStore,
  type StoreSetting,
  type ZsConfig,
} from "@zs/core";
import {
  KnexComponentRepository,
  KnexMetadataRepository,
  KnexMigrationRepository,
  SqlDatabase,
  sqlStoreDefinition,
  type SqlDatabaseOptions,
} from "@zs/store-sql";
import { openMigrationTarget, type MigrationTarget } from "./migration-target.js";
import { createBuiltinStoreRegistry } from "./builtin-stores.js";

/** The configured store, opened: its database, its values store and the services over both. */
export interface ConfiguredStore {
  database: SqlDatabase;
  values: SecretValuesStore;
  /** The backup store, when `ZS_BACKUP_SECRETS_STORE_TYPE` names one. */
  backup: SecretValuesStore | undefined;
  service: SecretsService;
  /** Backup status, backup, restore and the repair pass. */
  backups: BackupService;
  /** Migrations of the values to another store. */
  migrations: ValuesMigrationService;
  /** Creates and checks a migration's target store; `settingPrefix` names its options in messages. */
  openMigrationTarget(requested: StoreSetting, settingPrefix: string): Promise<MigrationTarget>;
  /** Components, stacks and references, over the same database and `service`. */
  components: ComponentsService;
}

/**
 * Opens what a configuration names (stores.md): the metadata database (migrated), the values
 * store of `ZS_SECRETS_STORE_TYPE` — built-in types load on demand, anything else is a custom
 * store's module — and the `SecretsService` over both, with the `ComponentsService` beside it. The CLI's local mode and the server
 * both start here.
 */
export async function openConfiguredStore(config: ZsConfig, logger: Logger, databaseOptions: SqlDatabaseOptions = {}): Promise<ConfiguredStore> {
  // An older zs left it as the umask made it (0755); new ones are created 0700.
  if (holdsDatabaseOrKeyFile(config)) await tightenToOwnerOnly(config.dataDir);
  const database = await SqlDatabase.open(config.databaseUrl, databaseOptions);
  try {
    const registry = createBuiltinStoreRegistry({
      // Configured keys are fixed; the key file (read, or generated, only when the sql store is
      // the one configured) is followed through rotations.
      sql: async () => sqlStoreDefinition(database, config.encryptionKeys ? new KeyRing(config.encryptionKeys) : keyFileRing(config.dataDir)),
    });
    const context = { deploymentId: database.deploymentId, logger, configDir: config.configDir };
    const migrationRepository = new KnexMigrationRepository(database);
    const values = await registry.create(config.secretsStore.type, config.secretsStore.options, context);
    let backup: SecretValuesStore | undefined;
    let valuesStoreRecord: string | undefined;
    try {
      valuesStoreRecord = await holdingRecord(migrationRepository, config.secretsStore, values);
      if (config.backupStore) {
        assertDistinctBackup(config.secretsStore, config.backupStore);
        backup = await registry.create(config.backupStore.type, config.backupStore.options, context, "ZS_BACKUP_SECRETS_STORE_");
      }
    } catch (error) {
      await values.close?.();
      throw error;
    }
    const service = new SecretsService(new KnexMetadataRepository(database), values, {
      backup,
      logger,
      valuesStoreRecord,
      recoveryWindowDays: config.recoveryWindowDays,
      historyMaxVersions: config.historyMaxVersions,
    });
    const migrations = new ValuesMigrationService(service.placement, migrationRepository, config.secretsStore, logger, config.historyMaxVersions);
    return {
      database,
      values,
      backup,
      service,
      backups: new BackupService(service.placement, migrationRepository, logger, config.historyMaxVersions),
      migrations,
      openMigrationTarget: (requested, settingPrefix) =>
        openMigrationTarget((setting, prefix) => registry.create(setting.type, setting.options, context, prefix), migrations.currentSetting, requested, settingPrefix),
      components: new ComponentsService(new KnexComponentRepository(database), service),
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/**
 * The database's record of which store holds the values, checked against the configured one
 * (stores.md): a database without one adopts the configured store. A database without a
 * secret has no values to lose, so it follows the configuration; `none` holds no values and
 * is never recorded.
 */
async function holdingRecord(repository: KnexMigrationRepository, configured: StoreSetting, values: SecretValuesStore): Promise<string | undefined> {
  if (values.type === "none") return undefined;
  const wanted = serializeValuesStoreRecord(valuesStoreRecordOf(configured, values));
  const recorded = (await repository.readValuesStoreRecord()) ?? (await repository.adoptValuesStoreRecord(wanted));
  const record = parseValuesStoreRecord(recorded);
  if (record.store === values.type) return recorded;
  if ((await repository.secretVersions(undefined, 1)).length === 0 && !(await repository.runningMigration())) {
    await repository.replaceValuesStoreRecord(wanted);
    return wanted;
  }
  assertHoldsValues(record, values);
  return recorded;
}

/** A backup in the very place the values already are would lose them with them (sql: the same table). */
function assertDistinctBackup(primary: StoreSetting, backup: StoreSetting): void {
  const sameOptions = JSON.stringify(Object.entries(primary.options).sort()) === JSON.stringify(Object.entries(backup.options).sort());
  if (primary.type === backup.type && (primary.type === "sql" || sameOptions)) {
    throw new ZsError(
      "CONFIGURATION_ERROR",
      `ZS_BACKUP_SECRETS_STORE_TYPE names the values store itself ('${backup.type}'${primary.type === "sql" ? "" : " with the same options"}); ` +
        "a backup must be a different store.",
    );
  }
}

/**
 * True when the data directory holds the SQLite database or the generated key file: then it
 * is zs's own, and owner-only (security.md). A data directory the configuration does not use
 * is left alone.
 */
function holdsDatabaseOrKeyFile(config: ZsConfig): boolean {
  const usesKeyFile = config.secretsStore.type === "sql" && config.encryptionKeys === undefined;
  const sqliteFile = config.databaseUrl.startsWith("sqlite:") ? config.databaseUrl.slice("sqlite:".length) : ":memory:";
  return usesKeyFile || (sqliteFile !== ":memory:" && path.dirname(path.resolve(sqliteFile)) === path.resolve(config.dataDir));
}
