export { vaultStore as default, vaultStore, vaultStoreOptionsSchema, type VaultStoreOptions } from "./vault-store.js";
export { VaultValuesStore, type VaultValuesStoreSettings } from "./vault-values-store.js";
export { DEPLOYMENT_TAG, SECRET_ID_TAG } from "./object-format.js";
export {
  VaultCallError,
  createNodeVaultClient,
  type NodeVaultClientOptions,
  type VaultKvClient,
  type VaultKvDocument,
} from "./vault-kv-client.js";
export { vaultImportSource } from "./vault-import-source.js";
