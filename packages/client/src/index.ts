export {
  Client,
  type ApiKey,
  type ClientOptions,
  type ClientStatus,
  type ClientUpdate,
  type ComponentDefinition,
  type ConnectCredentials,
  type CreateOptions,
  type GetComponentOptions,
} from "./client.js";
export { zsConfigDir, zsHome } from "./zs-paths.js";
export type { MigrationOptions } from "./migrations.js";
export type { DiffOptions, SecretDiff } from "./secret-diff.js";
export { LOCAL_USER } from "./local-user.js";
export {
  ZsError,
  isZsError,
  type AuditQuery,
  type AuditVerification,
  type BackupStatus,
  type ChainedAuditEvent,
  type CopySummary,
  type Component,
  type HistoryEntry,
  type HistoryQuery,
  type SecretVersionValues,
  type ComponentLookup,
  type ComponentUpdate,
  type Lookup,
  type MigrationReport,
  type MissingReference,
  type Page,
  type ReferenceValidation,
  type RunRequest,
  type Scope,
  type Secret,
  type SecretMetadata,
  type SecretQuery,
  type Stack,
  type User,
} from "@zs/core";
