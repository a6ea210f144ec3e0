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
export type { GcpClientSettings, GcpSecretsClient } from "./gcp-secrets-client.js";
