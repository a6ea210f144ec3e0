export {
  azureStoreDefinition as default,
  azureStoreDefinition,
  azureStoreDefinition as azureStore,
  azureStoreOptionsSchema,
  createAzureValuesStore,
  type AzureStoreOptions,
  type AzureStoreOverrides,
} from "./azure-store.js";
export { AZURE_MAX_KEPT_VERSIONS, AZURE_MAX_SECRET_BYTES, AzureValuesStore, DEPLOYMENT_TAG, SECRET_ID_TAG, type AzureValuesStoreSettings } from "./azure-values-store.js";
export {
  createSdkSecretsClient,
  type AzureClientSecret,
  type AzureClientSettings,
  type AzureDeletedSecret,
  type AzureSecret,
  type AzureListedSecret,
  type AzureSecretsClient,
} from "./azure-secrets-client.js";
export { GZIP_CONTENT_TYPE, JSON_CONTENT_TYPE } from "./value-codec.js";
export { azureImportSource } from "./azure-import-source.js";
