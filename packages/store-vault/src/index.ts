export { vaultStore as default, vaultStore, vaultStoreOptionsSchema, type VaultStoreOptions } from "./vault-store.js";
export { VaultValuesStore, DEPLOYMENT_TAG, VALUES_FIELD, type VaultValuesStoreSettings } from "./vault-values-store.js";
export {
  VaultCallError,
  createNodeVaultClient,
  type NodeVaultClientOptions,
  type VaultKvClient,
  type VaultKvDocument,
} from "./vault-kv-client.js";
export { vaultImportSource } from "./vault-import-source.js";
