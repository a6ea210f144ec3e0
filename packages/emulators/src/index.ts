// Each emulator exports its start function and types here, one line per emulator.
export {};
export { startVaultEmulator, type VaultEmulator, type VaultEmulatorFaults, type VaultEmulatorOptions, type VaultKvOperation } from "./vault-kv.js";
export { startAwsSecretsManagerEmulator, type AwsSecretsManagerEmulator, type AwsSecretsManagerEmulatorOptions, type AwsSecretsManagerFaults, type AwsSecretsManagerOperation } from "./aws-secrets-manager.js";
export { startGcpSecretManagerEmulator, type GcpSecretManagerEmulator, type GcpSecretManagerEmulatorOptions, type GcpSecretManagerFaults, type GcpSecretManagerOperation } from "./gcp-secret-manager.js";
