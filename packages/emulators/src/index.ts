// Each emulator exports its start function and types here, one line per emulator.
export {};
export { startVaultEmulator, type VaultEmulator, type VaultEmulatorFaults, type VaultEmulatorOptions, type VaultKvOperation } from "./vault-kv.js";
export { startAwsSecretsManagerEmulator, type AwsSecretsManagerEmulator, type AwsSecretsManagerEmulatorOptions, type AwsSecretsManagerFaults, type AwsSecretsManagerOperation } from "./aws-secrets-manager.js";
export { startGcpSecretManagerEmulator, type GcpSecretManagerEmulator, type GcpSecretManagerEmulatorOptions, type GcpSecretManagerFaults, type GcpSecretManagerOperation } from "./gcp-secret-manager.js";
export { startAzureKeyVaultEmulator, type AzureAuthCalls, type AzureKeyVaultEmulator, type AzureKeyVaultEmulatorOptions, type AzureKeyVaultFaults, type AzureKeyVaultOperation } from "./azure-key-vault.js";
export type { EntraIdClient } from "./azure-entra-id.js";
export { createCertificateAuthority, issueServerCertificate, type PemCertificate, type ServerCertificate } from "./tls-certificate.js";
export { TEST_CA_DIR_VARIABLE, assertTrustedByThisProcess, loadTestCertificateAuthority } from "./test-certificate-authority.js";
export { withCallCounts } from "./call-counts.js";
