export { BUILTIN_STORE_TYPES, CLOUD_STORE_LOADERS, createBuiltinStoreRegistry, type AppStoreLoaders } from "./builtin-stores.js";
export { openConfiguredStore, type ConfiguredStore } from "./open-configured-store.js";
export type { MigrationTarget } from "./migration-target.js";
export { IMPORT_SOURCE_LOADERS, IMPORT_SOURCE_TYPES, openBuiltinImportSource } from "./builtin-import-sources.js";
