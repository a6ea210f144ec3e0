import { randomUUID } from "node:crypto";
import { StoreRegistry, silentLogger, type Logger, type SecretValuesStore } from "@zs/core";
import {
  assertTrustedByThisProcess,
  loadTestCertificateAuthority,
  startAzureKeyVaultEmulator,
  type AzureKeyVaultEmulator,
} from "@zs/emulators";

/** The app registration the stores sign in as. */
export const CLIENT = { clientId: "0c7d3f5a-9e21-4b86-a4d0-6f1e8b2c9a35", clientSecret: "zs-test-client-secret" };
/** A second one, whose tokens a test may revoke without disturbing the others. */
export const OTHER_CLIENT = { clientId: "b41e7c09-5d2a-4f63-8e1b-c7a90f3d2e58", clientSecret: "zs-test-other-client-secret" };

/**
 * An emulator whose certificate comes from the run's test CA, which this process trusts
 * through NODE_EXTRA_CA_CERTS (set by the jest globalSetup before the workers started).
 */
export async function startEmulator(): Promise<AzureKeyVaultEmulator> {
  const emulator = await startAzureKeyVaultEmulator({ certificateAuthority: await loadTestCertificateAuthority(), clients: [CLIENT, OTHER_CLIENT] });
  await assertTrustedByThisProcess(emulator.vaultUrl);
  return emulator;
}

/** The options a deployment would set (`ZS_SECRETS_STORE_<OPTION>`, text) to use the emulator. */
export function emulatorOptions(emulator: AzureKeyVaultEmulator): Record<string, string> {
  return {
    vault_url: emulator.vaultUrl,
    tenant_id: emulator.tenantId,
    client_id: CLIENT.clientId,
    client_secret: CLIENT.clientSecret,
    authority_host: emulator.authorityHost,
    disable_instance_discovery: "true",
    disable_challenge_resource_verification: "true",
  };
}

/**
 * Creates an `azure` store the way the server does: the registry loads the definition and
 * validates the options exactly as `ZS_SECRETS_STORE_<OPTION>` would give them.
 */
export function createStore(
  emulator: AzureKeyVaultEmulator,
  deploymentId: string = randomUUID(),
  extra: Record<string, string | undefined> = {},
  logger: Logger = silentLogger,
): Promise<SecretValuesStore> {
  const registry = new StoreRegistry({ azure: async () => (await import("../../src/index.js")).default });
  const options = Object.fromEntries(Object.entries({ ...emulatorOptions(emulator), ...extra }).filter(([, v]) => v !== undefined));
  return registry.create("azure", options, { deploymentId, logger, configDir: process.cwd() });
}
