import { openConfiguredStore } from "@zs/builtin-stores";
import type { ZsConfig } from "@zs/core";
import { KnexCredentialRepository } from "@zs/store-sql";
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
  const { database, values, service: secrets, components } = await openConfiguredStore(config, logger.child({ component: "values-store" }), { readConnection: true });
  return {
    secrets,
    components,
    secretValidationLevel: config.secretValidationLevel,
    auth: new AuthService(new KnexCredentialRepository(database), secrets),
    loginThrottle: new LoginThrottle(options.loginLimits),
    version: options.version,
    store: { type: values.type, capabilities: { ...values.capabilities } },
    async checkHealth() {
      await database.knex.raw("select 1");
      await values.check?.();
    },
    close: () => secrets.close(),
  };
}
