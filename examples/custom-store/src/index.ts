export { fileStore as default, fileStore, fileStoreOptionsSchema, type FileStoreOptions } from "./file-store.js";
export { FileValuesStore, type FileValuesStoreSettings } from "./file-values-store.js";
export { DEPLOYMENT_FIELD, type StoredSecret } from "./stored-secret.js";
