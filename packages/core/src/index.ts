export { ERROR_CODES, ZsError, hasErrorCode, isZsError, type ErrorCode } from "./errors.js";
export { LIMITS } from "./limits.js";
export { detailsFromWire, detailsToWire } from "./detail-keys.js";
export { isUuid, isValidKey, isValidName, keySchema, nameSchema } from "./names.js";
export {
  ALL_WORKSPACES,
  deletedSecretSchema,
  lookupSchema,
  scopeSchema,
  secretCreateSchema,
  secretMetadataSchema,
  listedSecretSchema,
  secretRecoverSchema,
  secretSchema,
  secretUpdateSchema,
  secretValuesPatchSchema,
  secretValuesSchema,
  workspaceSelectorSchema,
  type DeletedSecret,
  type Lookup,
  type Scope,
  type Secret,
  type SecretCreate,
  type SecretMetadata,
  type ListedSecret,
  type SecretRecover,
  type SecretUpdate,
  type SecretValues,
  type SecretValuesPatch,
} from "./secrets/secret-schema.js";
export {
  userCreateSchema,
  userSchema,
  workspaceCreateSchema,
  workspaceSchema,
  type User,
  type UserCreate,
  type Workspace,
  type WorkspaceCreate,
} from "./accounts/account-schema.js";
export type { Caller } from "./accounts/caller.js";
export {
  DATE_FILTER_FIELDS,
  DATE_OPERATORS,
  STRING_FILTER_FIELDS,
  STRING_OPERATORS,
  parseDatePeriod,
  parseFilter,
  DATE_VALUE_PATTERN,
  FILTER_VALUE_PATTERNS,
  type DateCondition,
  type DateFilterField,
  type DateOperator,
  type DatePeriod,
  type FilterCondition,
  type FilterField,
  type StringCondition,
  type StringFilterField,
  type StringOperator,
} from "./secrets/filter-grammar.js";
export {
  SORT_FIELDS,
  parseSecretQuery,
  parseSort,
  secretQuerySchema,
  type Page,
  type ParsedSecretQuery,
  type SecretQuery,
  type SortDirection,
  type SortField,
} from "./secrets/secret-query.js";
export { keysOf, mergeValues } from "./secrets/merge.js";
export { removalPatch } from "./secrets/key-removal.js";
export { assertSecretSize, assertValuesFit, secretSizeInBytes, type ValueSizeLimit } from "./secrets/secret-size.js";
export {
  decodeStoredValues,
  encodeStoredValues,
  isLegacyEnvelope,
  isValuesMap,
  type EncodedJson,
  type LegacyEnvelope,
  type StoredJsonFormat,
} from "./stores/stored-document.js";
export { MAX_LISTED_PROBLEMS, describeIssues, parseInput, type DescribeIssuesOptions } from "./validation.js";
export { inputExcerpt } from "./input-excerpt.js";
export { redactUrl, redactUrlIn } from "./redact-url.js";
export { isWellFormedText, textValueSchema } from "./unicode-text.js";
export { findSecret, secretNotFound } from "./secrets/lookup.js";
export {
  assertWellFormedReferences,
  findMalformedReferences,
  findReferences,
  isReference,
  parseReference,
  parseTemplate,
  renameReferences,
  renderTemplate,
  type SecretReference,
  type TemplateSegment,
} from "./references/reference-parser.js";
export {
  attributeNameSchema,
  componentCreateSchema,
  componentLabelSchema,
  componentLookupSchema,
  componentSchema,
  componentUpdateSchema,
  configurationPatchSchema,
  configurationSchema,
  type Component,
  type ComponentCreate,
  type ComponentLookup,
  type ComponentUpdate,
  type Configuration,
  type ConfigurationPatch,
} from "./components/component-schema.js";
export { stackCreateSchema, stackSchema, type Stack, type StackCreate } from "./components/stack-schema.js";
export { findReferencedSecret, type ReferenceSecrets } from "./references/reference-lookup.js";
export { assertReferenceLimit, assertTextLimit, countReferences } from "./references/reference-limit.js";
export {
  referencedWarnings,
  renameInConfiguration,
  secretUsageSchema,
  secretWarningSchema,
  usagesIn,
  type ReferencingComponent,
  type SecretUsage,
  type SecretWarning,
} from "./references/secret-usages.js";
export {
  componentSites,
  describeMissingReferences,
  missingReferenceSchema,
  parseValidationLevel,
  referenceValidationSchema,
  validateReferences,
  validationLevelSchema,
  type MissingReference,
  type ReferenceSite,
  type ReferenceValidation,
} from "./references/reference-validation.js";
export { ReferenceResolver } from "./references/reference-resolver.js";
export {
  buildRunEnvironment,
  childEnvironment,
  environmentVariableName,
  environmentVariableSchema,
  parseEnvAssignments,
  runRequestSchema,
  type ChildEnvironmentOptions,
  type RunEnvironmentSources,
  type RunRequest,
} from "./references/run-environment.js";
export { ZS_CREDENTIAL_PREFIXES, ZS_CREDENTIAL_VARIABLES, isZsCredentialVariable, withoutZsCredentials } from "./accounts/credential-variables.js";
export { resolveRunEnvironment, type RunSources } from "./references/run-environment-resolution.js";
export {
  KeyRing,
  createKeySentinel,
  generateEncryptionKey,
  keyFingerprint,
  parseEncryptionKeys,
  verifyKeySentinel,
  type EncryptionKey,
} from "./encryption/encryption.js";
export { ensureOwnerOnlyDirectory, ensureOwnerOnlyFile, tightenToOwnerOnly } from "./owner-only-files.js";
export { KEY_FILE_NAME, KEY_FILE_RECHECK_MS, keyFileRing, loadEncryptionKeys, readKeyFile, writeKeyFile, type KeyRingSource } from "./encryption/key-file.js";
export {
  DEFAULT_RECOVERY_WINDOW_DAYS,
  LOG_LEVELS,
  VALIDATION_LEVELS,
  readConfig,
  xdgDataHome,
  type AuditSettings,
  type AuthCacheSettings,
  type ConfigSources,
  type TlsFiles,
  type DashboardSettings,
  type LogLevel,
  type MetricsSettings,
  type ValidationLevel,
  type StoreSetting,
  type ZsConfig,
} from "./config.js";
export { TRUST_PROXY_FORMS, parseTrustProxy, type TrustProxy } from "./trust-proxy.js";
export {
  STORE_API_VERSION,
  defineStore,
  silentLogger,
  type GetValuesHint,
  type GetValuesOptions,
  type Logger,
  type PutValuesHint,
  type PutValuesResult,
  type SecretValuesStore,
  type StoreContext,
  type StoreDefinition,
  type ValuesStoreCapabilities,
  type VersionRead,
  type VersionedWrite,
} from "./stores/values-store.js";
export { noneStore } from "./stores/none-store.js";
export {
  DEFAULT_RETRY_POLICY,
  backendCaller,
  callWithRetry,
  retryDelay,
  type BackendCallOptions,
  type BackendCaller,
  type BackendErrorClassifier,
  type RetryPolicy,
} from "./stores/backend-retry.js";
export { runHealthCheck } from "./stores/health-check.js";
export { StoreRegistry, type StoreLoadFailure, type StoreLoader } from "./stores/store-registry.js";
export type {
  DeletedSecretMatch,
  ExpiredSecret,
  FoundSecret,
  LockedDeletedSecret,
  LockedSecret,
  MetadataRepository,
  MetadataTransaction,
  SecretReadOptions,
  SecretReader,
  SecretUsageReader,
  SecretRow,
  SecretRowChanges,
} from "./secrets/metadata-repository.js";
export type {
  ComponentReader,
  ComponentRepository,
  ComponentRow,
  ComponentRowChanges,
  ComponentTransaction,
  StackRow,
} from "./components/component-repository.js";
export type { CredentialKind, CredentialRepository, CredentialRow } from "./accounts/credential-repository.js";
export type { LoginCounterDecision, LoginCounterRepository, LoginCounterState } from "./accounts/login-counter-repository.js";
export {
  DEFAULT_WORKSPACE,
  SecretsService,
  type DeleteSecretOptions,
  type DeleteUserOptions,
  type PurgeOutcome,
  type SecretDeletion,
  type RecordedChange,
  type SecretsServiceOptions,
  type SecretsStore,
  type UpdateSecretOptions,
  type UpdatedSecret,
} from "./secrets/secrets-service.js";
export {
  HISTORY_ACTIONS,
  historyActionSchema,
  historyEntrySchema,
  historyQuerySchema,
  rollbackRequestSchema,
  secretVersionValuesSchema,
  versionNumberSchema,
  type HistoryAction,
  type HistoryEntry,
  type HistoryQuery,
  type RollbackRequest,
  type SecretVersionValues,
} from "./history/history-entry.js";
export type { HistoryReader, HistoryRepository, HistoryRow, HistoryTransaction } from "./history/history-repository.js";
export { diffKeys, isEmptyDiff, type KeyDiff } from "./history/key-diff.js";
export { DEFAULT_HISTORY_MAX_VERSIONS, MAX_HISTORY_MAX_VERSIONS, versionedWriteFor } from "./history/retention.js";
export { historyUnavailable, locateVersionValues, versionNotFound, versionPruned, type VersionValuesSource } from "./history/version-values.js";
export { ComponentsService } from "./components/components-service.js";
export { ValuesPlacement, type ValuesPlacementOptions } from "./replication/values-placement.js";
export type { StoreCallObservation, StoreCallObserver, StoreCallWatch, StoreOperation } from "./replication/store-call.js";
export type { BackupMarks, CopiedSecret, ReplicationRepository, SecretVersion, ValuesWrite } from "./replication/replication-repository.js";
export {
  DEFAULT_COPY_CONCURRENCY,
  copySecretValues,
  describeCopySummary,
  type CopyFailure,
  type CopySummary,
  type ValuesCopyOptions,
  type VersionsToCopy,
} from "./replication/values-copy.js";
export { valuesDigest } from "./replication/values-digest.js";
export { BackupService, allSecretVersions, type BackupStatus, type CopyRunOptions, type RepairOutcome } from "./replication/backup-service.js";
export {
  assertHoldsValues,
  parseValuesStoreRecord,
  recordableSettings,
  serializeValuesStoreRecord,
  valuesStoreRecordOf,
  type ValuesStoreRecord,
} from "./migration/values-store-record.js";
export type { MigrationCounts, MigrationRepository, MigrationRow } from "./migration/migration-repository.js";
export { parseOptionAssignments } from "./migration/option-assignments.js";
export { ValuesMigrationService, copiesLeft, type MigrationOutcome, type MigrationReport, type MigrationRequest, type MigrationRun, type MigrationStatus } from "./migration/values-migration.js";
export {
  CREATED_BY_ZS,
  defineImportSource,
  openImportSource,
  type ExternalEntry,
  type ExternalValue,
  type ImportSource,
  type ImportSourceContext,
  type ImportSourceDefinition,
} from "./import/import-source.js";
export { secretNameFor, type NameMapping } from "./import/external-names.js";
export { PLAIN_VALUE_KEY, secretValuesOf, type ValuesConversion } from "./import/external-values.js";
export { planImport, type ImportPlanOptions, type PlannedImport } from "./import/import-plan.js";
export {
  DEFAULT_IMPORT_CONCURRENCY,
  describeImportSummary,
  importSecrets,
  type ImportOutcome,
  type ImportRunOptions,
  type ImportSummary,
} from "./import/import-run.js";
export { documentImportSource, documentSecrets, type DocumentSecrets, type DocumentValues } from "./import/document-source.js";
export {
  AUDIT_ACTIONS,
  AUDIT_OUTCOMES,
  AUDIT_VIAS,
  auditActorSchema,
  auditDetailSchema,
  auditEventSchema,
  auditTargetSchema,
  chainedAuditEventSchema,
  type AuditActor,
  type AuditDetail,
  type AuditEvent,
  type AuditEventInput,
  type AuditOutcome,
  type AuditTarget,
  type AuditVia,
  type ChainedAuditEvent,
} from "./audit/audit-event.js";
export { canonicalJson } from "./audit/canonical-json.js";
export { ChainVerifier, GENESIS_HASH, eventHash, eventOf, linkEvents, type ChainBreak, type ChainHead } from "./audit/hash-chain.js";
export type { AuditChainState, AuditLogRepository, AuditSink } from "./audit/audit-log-repository.js";
export { auditQuerySchema, parseAuditQuery, type AuditQuery, type ParsedAuditQuery } from "./audit/audit-query.js";
export {
  AUDIT_MODES,
  AuditRecorder,
  type AuditBatchObservation,
  type AuditMode,
  type AuditRecorderOptions,
  type AuditRecorderStats,
} from "./audit/audit-recorder.js";
export { JsonLinesAuditSink } from "./audit/json-lines-sink.js";
export { verifyAuditChain, type AuditVerification } from "./audit/audit-verification.js";
export { AuditLog } from "./audit/audit-log.js";
export { purgeEvents } from "./audit/purge-events.js";
export { referencedKeys } from "./audit/referenced-keys.js";
