import {
  findSecret,
  historyQuerySchema,
  rollbackRequestSchema,
  versionNumberSchema,
  type HistoryEntry,
  type HistoryQuery,
  type RollbackRequest,
  type SecretVersionValues,
  lookupSchema,
  parseInput,
  secretCreateSchema,
  secretQuerySchema,
  secretRecoverSchema,
  secretUpdateSchema,
  secretValuesSchema,
  nameSchema,
  workspaceCreateSchema,
  type Caller,
  type DeleteSecretOptions,
  type DeleteUserOptions,
  type Lookup,
  type Page,
  type Secret,
  type SecretCreate,
  type SecretMetadata,
  type ListedSecret,
  type SecretDeletion,
  type SecretQuery,
  type SecretRecover,
  type SecretUpdate,
  type SecretUsage,
  type SecretWarning,
  type UpdateSecretOptions,
  type UpdatedSecret,
  type SecretValues,
  type User,
  type Workspace,
  type WorkspaceCreate,
} from "@zs/core";
import type { QueryParameters, RemoteHttp } from "./remote-http.js";
import { RemoteSecretReader } from "./remote-secret-reader.js";
import type { SecretsApi } from "./secrets-api.js";

interface WirePage {
  index: number;
  max_size: number;
  total_pages: number;
  total: number;
  items: WireListItem[];
}

interface WireDeletion {
  id: string;
  name: string;
  purged: boolean;
  deleted?: string;
  purge_after?: string;
  warnings: SecretWarning[];
}

type WireListItem = SecretMetadata & { updated_by: string | null; purge_after?: string };

/** A list item: `updated_by` becomes `updatedBy`, `purge_after` `purgeAfter` (deleted secrets only). */
function fromWireItem(item: WireListItem): ListedSecret {
  const { updated_by: updatedBy, purge_after: purgeAfter, ...rest } = item;
  return purgeAfter === undefined ? { ...rest, updatedBy } : ({ ...rest, updatedBy, purgeAfter } as ListedSecret);
}

interface WireUser {
  id: string;
  name: string;
  is_admin: boolean;
  created: string;
}

interface WireHistoryEntry {
  version: number;
  time: string;
  actor: string;
  action: HistoryEntry["action"];
  keys_added: string[];
  keys_removed: string[];
  keys_changed: string[];
  restored_version?: number;
}

interface WireSecretVersion {
  id: string;
  name: string;
  version: number;
  current_version: number;
  keys: string[];
  values: SecretValues;
}

function fromWireEntry(entry: WireHistoryEntry): HistoryEntry {
  return {
    version: entry.version,
    time: entry.time,
    actor: entry.actor,
    action: entry.action,
    keysAdded: entry.keys_added,
    keysRemoved: entry.keys_removed,
    keysChanged: entry.keys_changed,
    ...(entry.restored_version !== undefined ? { restoredVersion: entry.restored_version } : {}),
  };
}

const segment = encodeURIComponent;

function fromWireUser(user: WireUser): User {
  return { id: user.id, name: user.name, isAdmin: user.is_admin, created: user.created };
}

/**
 * The secrets API of a zs server (http-api.md), called as `SecretsService` is in local mode.
 * Input is validated here with the schemas the service uses, so a mistake gets the same error
 * before any request; the server validates again.
 */
export class RemoteSecretsApi implements SecretsApi {
  private readonly reader: RemoteSecretReader;

  constructor(private readonly http: RemoteHttp) {
    this.reader = new RemoteSecretReader(http);
  }

  async createSecret(caller: Caller, input: SecretCreate): Promise<Secret> {
    const secret = parseInput(secretCreateSchema, input, "secret");
    const answer = await this.http.request("POST", "/api/v1/secrets", { body: { ...secret, workspace: secret.workspace ?? caller.workspace } });
    return answer.body as Secret;
  }

  async getSecret(caller: Caller, nameOrId: string, lookup: Lookup = {}): Promise<Secret> {
    const answer = await this.http.request("GET", `/api/v1/secrets/${segment(nameOrId)}`, { query: this.lookupQuery(caller, lookup) });
    return answer.body as Secret;
  }

  /**
   * The lookup of `getSecret` (core's own `findSecret`) over the list route, which answers
   * metadata only: no value is read, so references can be validated before any is.
   */
  async findSecret(caller: Caller, nameOrId: string, lookup: Lookup = {}): Promise<SecretMetadata> {
    return findSecret(this.reader, caller, nameOrId, parseInput(lookupSchema, lookup, "lookup"));
  }

  async listSecrets(caller: Caller, query: SecretQuery = {}): Promise<Page<ListedSecret>> {
    const { sortBy, logicalOperator, workspace, deleted, ...filters } = parseInput(secretQuerySchema, query, "list query", "INVALID_FILTER");
    const parameters: QueryParameters = {
      ...filters,
      workspace: workspace ?? caller.workspace,
      sort_by: sortBy,
      logical_operator: logicalOperator,
      deleted: deleted ? "true" : undefined,
    };
    const page = (await this.http.request("GET", "/api/v1/secrets", { query: parameters })).body as WirePage;
    return { index: page.index, maxSize: page.max_size, totalPages: page.total_pages, total: page.total, items: page.items.map(fromWireItem) };
  }

  async updateSecret(caller: Caller, nameOrId: string, input: SecretUpdate, lookup: Lookup = {}, options: UpdateSecretOptions = {}): Promise<UpdatedSecret> {
    const { expectedVersion, ...update } = parseInput(secretUpdateSchema, input, "update");
    const answer = await this.http.request("PATCH", `/api/v1/secrets/${segment(nameOrId)}`, {
      query: { ...this.lookupQuery(caller, lookup), update_references: options.updateReferences ? "true" : undefined },
      body: update,
      headers: expectedVersion === undefined ? {} : { "if-match": `"${expectedVersion}"` },
    });
    return answer.body as Secret;
  }

  async replaceSecretValues(caller: Caller, nameOrId: string, values: SecretValues, lookup: Lookup = {}): Promise<Secret> {
    const replacement = parseInput(secretValuesSchema, values, "values");
    const answer = await this.http.request("PUT", `/api/v1/secrets/${segment(nameOrId)}/values`, {
      query: this.lookupQuery(caller, lookup),
      body: { values: replacement },
    });
    return answer.body as Secret;
  }

  async deleteSecret(caller: Caller, nameOrId: string, lookup: Lookup = {}, options: DeleteSecretOptions = {}): Promise<SecretDeletion> {
    const answer = await this.http.request("DELETE", `/api/v1/secrets/${segment(nameOrId)}`, {
      query: { ...this.lookupQuery(caller, lookup), purge: options.purge ? "true" : undefined },
    });
    const { purge_after: purgeAfter, ...deletion } = answer.body as WireDeletion;
    return purgeAfter === undefined ? deletion : { ...deletion, purgeAfter };
  }

  async recoverSecret(caller: Caller, nameOrId: string, input: SecretRecover = {}, lookup: Lookup = {}): Promise<SecretMetadata> {
    const answer = await this.http.request("POST", `/api/v1/secrets/${segment(nameOrId)}/recover`, {
      query: this.lookupQuery(caller, lookup),
      body: parseInput(secretRecoverSchema, input, "recover"),
    });
    return answer.body as SecretMetadata;
  }

  async secretUsages(caller: Caller, nameOrId: string, lookup: Lookup = {}): Promise<SecretUsage[]> {
    const answer = await this.http.request("GET", `/api/v1/secrets/${segment(nameOrId)}/usages`, { query: this.lookupQuery(caller, lookup) });
    return (answer.body as { usages: SecretUsage[] }).usages;
  }

  async listSecretHistory(caller: Caller, nameOrId: string, query: HistoryQuery = {}, lookup: Lookup = {}): Promise<Page<HistoryEntry>> {
    const { page, size } = parseInput(historyQuerySchema, query, "history query");
    const answer = await this.http.request("GET", `/api/v1/secrets/${segment(nameOrId)}/versions`, {
      query: { ...this.lookupQuery(caller, lookup), page, size },
    });
    const wire = answer.body as Omit<WirePage, "items"> & { items: WireHistoryEntry[] };
    return { index: wire.index, maxSize: wire.max_size, totalPages: wire.total_pages, total: wire.total, items: wire.items.map(fromWireEntry) };
  }

  async getSecretVersion(caller: Caller, nameOrId: string, version: number, lookup: Lookup = {}): Promise<SecretVersionValues> {
    const wanted = parseInput(versionNumberSchema, version, "version");
    const answer = await this.http.request("GET", `/api/v1/secrets/${segment(nameOrId)}/versions/${wanted}`, { query: this.lookupQuery(caller, lookup) });
    const wire = answer.body as WireSecretVersion;
    return { id: wire.id, name: wire.name, version: wire.version, currentVersion: wire.current_version, keys: wire.keys, values: wire.values };
  }

  async rollbackSecret(caller: Caller, nameOrId: string, request: RollbackRequest, lookup: Lookup = {}): Promise<Secret> {
    const { version, expectedVersion } = parseInput(rollbackRequestSchema, request, "rollback");
    const answer = await this.http.request("POST", `/api/v1/secrets/${segment(nameOrId)}/rollback`, {
      query: this.lookupQuery(caller, lookup),
      body: { version },
      headers: expectedVersion === undefined ? {} : { "if-match": `"${expectedVersion}"` },
    });
    return answer.body as Secret;
  }

  async listWorkspaces(_caller: Caller): Promise<Workspace[]> {
    return (await this.http.request("GET", "/api/v1/workspaces")).body as Workspace[];
  }

  async createWorkspace(_caller: Caller, input: WorkspaceCreate): Promise<Workspace> {
    return (await this.http.request("POST", "/api/v1/workspaces", { body: parseInput(workspaceCreateSchema, input, "workspace") })).body as Workspace;
  }

  async deleteWorkspace(_caller: Caller, name: string): Promise<void> {
    await this.http.request("DELETE", `/api/v1/workspaces/${segment(parseInput(nameSchema, name, "workspace name"))}`);
  }

  async listUsers(_caller: Caller): Promise<User[]> {
    return ((await this.http.request("GET", "/api/v1/users")).body as WireUser[]).map(fromWireUser);
  }

  /** Creates a user with a password (admins only); only a server has passwords. */
  async createUser(name: string, password: string, isAdmin: boolean): Promise<User> {
    return fromWireUser((await this.http.request("POST", "/api/v1/users", { body: { name, password, is_admin: isAdmin } })).body as WireUser);
  }

  async setUserAdmin(name: string, isAdmin: boolean): Promise<User> {
    const path = `/api/v1/users/${segment(parseInput(nameSchema, name, "user name"))}`;
    return fromWireUser((await this.http.request("PATCH", path, { body: { is_admin: isAdmin } })).body as WireUser);
  }

  async setUserPassword(name: string, password: string): Promise<void> {
    await this.http.request("PUT", `/api/v1/users/${segment(parseInput(nameSchema, name, "user name"))}/password`, { body: { password } });
  }

  async deleteUser(_caller: Caller, name: string, options: DeleteUserOptions = {}): Promise<void> {
    await this.http.request("DELETE", `/api/v1/users/${segment(parseInput(nameSchema, name, "user name"))}`, {
      query: { cascade: options.cascade ? "true" : undefined },
    });
  }

  private lookupQuery(caller: Caller, lookup: Lookup): QueryParameters {
    const parsed = parseInput(lookupSchema, lookup, "lookup");
    return { workspace: parsed.workspace ?? caller.workspace, scope: parsed.scope };
  }
}
