import { randomUUID } from "node:crypto";
import { StoreRegistry, silentLogger, type Logger, type SecretValuesStore } from "@zs/core";
import { startAwsSecretsManagerEmulator, type AwsSecretsManagerEmulator } from "@zs/emulators";

/** The access key the emulator accepts. */
export const ACCESS_KEY_ID = "AKIAZSTESTKEY0000001";

/** An emulator that only accepts `ACCESS_KEY_ID`. */
export function startEmulator(): Promise<AwsSecretsManagerEmulator> {
  return startAwsSecretsManagerEmulator({ accessKeyIds: [ACCESS_KEY_ID] });
}

/**
 * Creates an `aws` store the way the server does: the registry loads the definition and
 * validates the options exactly as `ZS_SECRETS_STORE_<OPTION>` would give them.
 */
export function createStore(
  emulator: AwsSecretsManagerEmulator,
  deploymentId: string = randomUUID(),
  extra: Record<string, string> = {},
  logger: Logger = silentLogger,
): Promise<SecretValuesStore> {
  const registry = new StoreRegistry({ aws: async () => (await import("../../src/index.js")).default });
  return registry.create(
    "aws",
    {
      region: "eu-west-1",
      endpoint: emulator.endpoint,
      access_key_id: ACCESS_KEY_ID,
      secret_access_key: "zs-test-secret-access-key",
      ...extra,
    },
    { deploymentId, logger, configDir: process.cwd() },
  );
}
