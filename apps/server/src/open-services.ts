import {
  KeyRing,
  SecretsService,
  StoreRegistry,
  loadEncryptionKeys,
  type ZsConfig,
} from "@zs/core";
import { KnexCredentialRepository, KnexMetadataRepository, SqlDatabase, sqlStoreDefinition } from "@zs/store-sql";
import type { Logger } from "pino";
import { AuthService } from "./auth/auth-service.js";
import { LoginThrottle, type LoginThrottleLimits } from "./auth/login-throttle.js";
import type { ServerServices } from "./server-services.js";

/** The server's services over the configured database and values store, and how to close them. */
export interface OpenedServices extends ServerServices {
  close(): Promise<void>;
}

/** Opens the database (migrating it), the values store and the services on top. */
export async function openServices(config: ZsConfig, logger: Logger, options: { version: string; loginLimits?: LoginThrottleLimits }): Promise<OpenedServices> {
  const database = await SqlDatabase.open(config.databaseUrl);
  try {
    const registry = new StoreRegistry({
      // The key is read (or generated) only when the sql store is the one configured.
      sql: async () => sqlStoreDefinition(database, new KeyRing(await loadEncryptionKeys(config.encryptionKeys, config.dataDir))),
    });
    const values = await registry.create(config.secretsStore.type, config.secretsStore.options, {
      deploymentId: database.deploymentId,
      logger: logger.child({ component: "values-store" }),
      configDir: config.configDir,
    });
    const secrets = new SecretsService(new KnexMetadataRepository(database), values);
    return {
      secrets,
      auth: new AuthService(new KnexCredentialRepository(database), secrets),
      loginThrottle: new LoginThrottle(options.loginLimits),
      version: options.version,
      async checkHealth() {
        await database.knex.raw("select 1");
        await values.check?.();
      },
      close: () => secrets.close(),
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
