export { knexConfigFor, type SqlDialect } from "./database-url.js";
export { SqlDatabase, isUniqueViolation } from "./sql-database.js";
export { KnexMetadataRepository } from "./knex-metadata-repository.js";
export { KnexCredentialRepository } from "./knex-credential-repository.js";
export { applySecretFilters, escapeLike } from "./secret-filter-compiler.js";
export { KEY_SENTINEL, SqlValuesStore, type KeySource } from "./sql-values-store.js";
export { sqlStoreDefinition } from "./sql-store-definition.js";
export { rotateEncryptionKey, type RotationOptions, type RotationProgress } from "./key-rotation.js";
export { rotateConfiguredKey, type ConfiguredRotationOptions } from "./configured-key-rotation.js";
