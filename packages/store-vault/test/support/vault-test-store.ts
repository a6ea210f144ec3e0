import { randomUUID } from "node:crypto";
import { StoreRegistry, silentLogger, type Logger, type SecretValuesStore } from "@zs/core";
import vaultStore from "../../src/index.js";

/** Creates a `vault` store through the registry, with options exactly as a user sets them. */
export function createVaultStore(
  options: Record<string, unknown>,
  deploymentId: string = randomUUID(),
  logger: Logger = silentLogger,
): Promise<SecretValuesStore> {
  const registry = new StoreRegistry({ vault: async () => vaultStore });
  return registry.create("vault", options, { deploymentId, logger, configDir: process.cwd() });
}
