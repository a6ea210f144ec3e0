import { createBuiltinStoreRegistry } from "@zs/builtin-stores";
import {
  KeyRing,
  SecretsService,
  loadEncryptionKeys,
  readConfig,
  silentLogger,
  type User,
  type ZsConfig,
} from "@zs/core";
import { KnexMetadataRepository, SqlDatabase, sqlStoreDefinition } from "@zs/store-sql";

/** The user local mode acts as: an admin, since the store is the person's own. */
export const LOCAL_USER = "default";

/** An opened local store: the service, who acts, and what it was opened from. */
export interface LocalStore {
  service: SecretsService;
  user: User;
  config: ZsConfig;
  database: SqlDatabase;
  /** The values store's type and capabilities. */
  store: { type: string; capabilities: Record<string, unknown> };
  close(): Promise<void>;
}

/**
 * Opens the embedded store in `home` (created on first use, with a generated 0600 key):
 * SQLite by default, or whatever the `ZS_*` settings in `env` name (values in a cloud store
 * or a custom one; the metadata stays in the database).
 */
export async function openLocalStore(home: string, env: Record<string, string | undefined>): Promise<LocalStore> {
  // ZS_HOME is local mode's data directory; ZS_DATA_DIR belongs to the server.
  const config = readConfig({ env: { ...env, ZS_DATA_DIR: undefined }, defaultDataDir: home });
  const database = await SqlDatabase.open(config.databaseUrl);
  try {
    // Built-in types (sql, the cloud stores) load on demand; anything else is a custom store's module.
    const registry = createBuiltinStoreRegistry({
      // The key is read (or generated) only when the sql store is the one configured.
      sql: async () => sqlStoreDefinition(database, new KeyRing(await loadEncryptionKeys(config.encryptionKeys, config.dataDir))),
    });
    const values = await registry.create(config.secretsStore.type, config.secretsStore.options, {
      deploymentId: database.deploymentId,
      logger: silentLogger,
      configDir: config.configDir,
    });
    const service = new SecretsService(new KnexMetadataRepository(database), values);
    const user = await service.ensureUser(LOCAL_USER, { isAdmin: true });
    return {
      service,
      user,
      config,
      database,
      store: { type: values.type, capabilities: { ...values.capabilities } },
      close: () => service.close(),
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
