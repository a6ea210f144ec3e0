import type { operations } from "./schema";

type Json<O, S extends number> = O extends { responses: { [K in S]: { content: { "application/json": infer T } } } } ? T : never;

/** A page of the secrets list (no values). */
export type SecretPage = Json<operations["listSecrets"], 200>;
/** One secret of a list: metadata and key names, no values. */
export type SecretListItem = SecretPage["items"][number];
/** A secret with its values. */
export type SecretWithValues = Json<operations["getSecret"], 200>;
/** The query of the secrets list. */
export type SecretListQuery = NonNullable<operations["listSecrets"]["parameters"]["query"]>;
export type SortBy = NonNullable<SecretListQuery["sort_by"]>;
export type Workspace = Json<operations["listWorkspaces"], 200>[number];
export type ApiKey = Json<operations["listApiKeys"], 200>[number];
export type CreatedApiKey = Json<operations["createApiKey"], 201>;
export type SecretVersion = Json<operations["listSecretVersions"], 200>["items"][number];
export type SecretVersionValues = Json<operations["getSecretVersion"], 200>;
export type DeletedSecret = Extract<SecretListItem, { deleted: string }>;
export type SecretUsages = Json<operations["listSecretUsages"], 200>;
export type Component = Json<operations["listComponents"], 200>[number];
export type Stack = Json<operations["listStacks"], 200>[number];
export type ValidationLevel = NonNullable<NonNullable<operations["validateStack"]["parameters"]["query"]>["level"]>;
export type StackValidation = Json<operations["validateStack"], 200>;
export type User = Json<operations["listUsers"], 200>[number];
export type AuditPage = Json<operations["listAuditEvents"], 200>;
export type AuditQuery = NonNullable<operations["listAuditEvents"]["parameters"]["query"]>;
export type AuditVerification = Json<operations["verifyAuditLog"], 200>;
