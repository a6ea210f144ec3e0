export {
  gcpStoreDefinition as default,
  gcpStoreDefinition,
  gcpStoreOptionsSchema,
  createGcpValuesStore,
  type GcpStoreOptions,
  type GcpStoreOverrides,
} from "./gcp-store.js";
export { GcpValuesStore, type GcpValuesStoreSettings } from "./gcp-values-store.js";
export { DEPLOYMENT_LABEL, SECRET_ID_LABEL, toLabelValue } from "./resource-names.js";
export type { GcpClientSettings, GcpListPage, GcpSecretList, GcpSecretsClient } from "./gcp-secrets-client.js";
export { gcpImportSource } from "./gcp-import-source.js";
