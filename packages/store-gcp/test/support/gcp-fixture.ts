import { randomUUID } from "node:crypto";
import { SecretManagerServiceClient } from "@google-cloud/secret-manager";
import { grpc } from "google-gax";
import { StoreRegistry, silentLogger, type Logger, type SecretValuesStore } from "@zs/core";
import { startGcpSecretManagerEmulator, type GcpSecretManagerEmulator, type GcpSecretManagerEmulatorOptions } from "@zs/emulators";

/** The project the tests' secrets live in; the emulator answers with its number. */
export const PROJECT_ID = "zs-store-test";

export function startEmulator(options: GcpSecretManagerEmulatorOptions = {}): Promise<GcpSecretManagerEmulator> {
  return startGcpSecretManagerEmulator(options);
}

/**
 * Creates a `gcp` store the way the server does: the registry loads the definition and
 * validates the options exactly as `ZS_SECRETS_STORE_<OPTION>` would give them.
 */
export function createStore(
  emulator: GcpSecretManagerEmulator,
  deploymentId: string = randomUUID(),
  extra: Record<string, string> = {},
  logger: Logger = silentLogger,
): Promise<SecretValuesStore> {
  const registry = new StoreRegistry({ gcp: async () => (await import("../../src/index.js")).default });
  return registry.create("gcp", { project_id: PROJECT_ID, emulator_host: emulator.host, ...extra }, { deploymentId, logger, configDir: process.cwd() });
}

/** The real SDK pointed at the emulator, to look at what the store left behind as any other caller would. */
export function inspector(emulator: GcpSecretManagerEmulator): SecretManagerServiceClient {
  return new SecretManagerServiceClient({
    apiEndpoint: "127.0.0.1",
    port: emulator.port,
    sslCreds: grpc.credentials.createInsecure(),
    universeDomain: "googleapis.com",
  });
}

/** The rejection of `promise`, or `undefined` when it resolves. */
export async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

/** A logger that keeps every entry, to prove what reaches the logs. */
export function recordingLogger(): Logger & { entries: { level: string; object: Record<string, unknown>; message?: string | undefined }[] } {
  const entries: { level: string; object: Record<string, unknown>; message?: string | undefined }[] = [];
  const record = (level: string) => (object: Record<string, unknown>, message?: string) => {
    entries.push({ level, object, message });
  };
  return { entries, debug: record("debug"), info: record("info"), warn: record("warn"), error: record("error") };
}
