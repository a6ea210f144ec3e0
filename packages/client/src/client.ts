import {
  AUDIT_ACTIONS,
  removalPatch,
  type AuditQuery,
  type AuditVerification,
  type ChainedAuditEvent,
  type HistoryEntry,
  type HistoryQuery,
  type SecretVersionValues,
  type BackupStatus,
  type Caller,
  type CopyRunOptions,
  type CopySummary,
  type Component,
  type ComponentLookup,
  type ComponentUpdate,
  type Configuration,
  type ReferenceValidation,
  type RunRequest,
  type Stack,
  type Lookup,
  type MigrationReport,
  type Page,
  type DeleteSecretOptions,
  type DeletedSecret,
  type Scope,
  type Secret,
  type SecretDeletion,
  type SecretUsage,
  type UpdatedSecret,
  type SecretMetadata,
  type ListedSecret,
  type SecretQuery,
  type SecretUpdate,
  type SecretValues,
  type User,
  type Workspace,
  DEFAULT_WORKSPACE,
  ZsError,
  hasErrorCode,
  parseInput,
  nameSchema,
} from "@zs/core";
import type { RotationProgress } from "@zs/store-sql";
import {
  abortLocalMigration,
  abortRemoteMigration,
  localMigrationStatus,
  migrateLocally,
  migrateRemotely,
  remoteMigrationStatus,
  type MigrationOptions,
} from "./migrations.js";
import { readClientSettings, writeClientSettings, type ClientSettings, type SavedConnection } from "./client-settings.js";
import { RemoteHttp } from "./remote-http.js";
import { currentUser, normalizeServerUrl, openLocalSession, openRemoteSession, type Connection, type Session, type StoreInfo } from "./session.js";
import type { ComponentsApi } from "./components-api.js";
import type { SecretsApi } from "./secrets-api.js";
import { diffSecret, type DiffOptions, type SecretDiff } from "./secret-diff.js";
import { zsConfigDir, zsHome } from "./zs-paths.js";

/** How a `Client` is set up; everything defaults from the environment. */
export interface ClientOptions {
  /** Local store directory. @default `$ZS_HOME`, else `<XDG data dir>/zs` */
  home?: string;
  /** The workspace to act in. @default `$ZS_WORKSPACE`, else the one `zs workspace set` chose, else `default` */
  workspace?: string;
  /** Settings directory (active workspace). @default `<XDG config dir>/zs` */
  configDir?: string;
  /** The environment to read `ZS_*` settings from. @default process.env */
  env?: Record<string, string | undefined>;
  /** A server to use instead of the saved connection. @default `$ZS_URL` */
  url?: string;
  /** The API key for `url`. @default `$ZS_API_KEY` */
  apiKey?: string;
  /**
   * A PEM file of CA certificates to trust for an `https://` server, besides Node's bundled
   * roots, e.g. a company CA's. `NODE_EXTRA_CA_CERTS` works too. @default `$ZS_CA_FILE`
   */
  caFile?: string;
}

/** How `connect` proves who you are: a password (a session token is saved) or an API key. */
export type ConnectCredentials = { username: string; password: string } | { apiKey: string };

/** An API key as listed; `key` only when just created. */
export interface ApiKey {
  id: string;
  name: string;
  created: string;
  lastUsed: string | null;
  /** When the key stops working; `null`: never. */
  expires: string | null;
}

/** Options of `createSecret`. */
export interface CreateOptions {
  /** @default "workspace" */
  scope?: Scope;
  /** @default the active workspace */
  workspace?: string;
}

/** What `registerComponent` takes besides the name. */
export interface ComponentDefinition {
  /** e.g. `experiment-tracker` */
  type: string;
  /** e.g. `mlflow` */
  flavor: string;
  /** Attribute → value; a value may hold references such as `{{db.password}}`. @default {} */
  configuration?: Configuration;
  /** @default the active workspace */
  workspace?: string;
}

/** Options of `getComponent`. */
export interface GetComponentOptions extends ComponentLookup {
  /** Resolve the references of its configuration (each secret read once). @default false */
  resolve?: boolean;
}

/** An update as a person means it: `removeKeys` must name existing keys. */
export interface ClientUpdate extends SecretUpdate {
  /** Keys to remove; a key the secret lacks, or one also set in `values`, is refused. */
  removeKeys?: string[];
}

/** What `status` reports. */
export type ClientStatus = {
  user: string;
  workspace: string;
  store: StoreInfo;
} & ({ mode: "local"; /** Where the local store lives. */ home: string } | { mode: "remote"; /** The server. */ server: string });

/** Where a remote client connects, as its settings say (see `Client.remoteTarget`). */
export interface RemoteTarget {
  /** The server's URL. */
  server: string;
  /** The user the saved connection was made as; absent for `ZS_URL` + `ZS_API_KEY`. */
  user?: string;
  /** The active workspace. */
  workspace: string;
}

const REMOVAL_ATTEMPTS = 5;

/**
 * zs for TypeScript code. Local mode keeps an encrypted SQLite store in `ZS_HOME`, created on
 * first use; every method has the semantics of the data model and fails with a `ZsError`.
 *
 * ```ts
 * const client = new Client();
 * const db = await client.getSecret("db");
 * db.values.password;
 * await client.close();
 * ```
 */
export class Client {
  private readonly env: Record<string, string | undefined>;
  private readonly home: string;
  private readonly configDir: string;
  private session: Promise<Session> | undefined;
  private workspace: string | undefined;

  constructor(private readonly options: ClientOptions = {}) {
    this.env = options.env ?? process.env;
    this.home = options.home ?? zsHome(this.env);
    this.configDir = options.configDir ?? zsConfigDir(this.env);
  }

  async createSecret(name: string, values: SecretValues, options: CreateOptions = {}): Promise<Secret> {
    const { api, caller } = await this.open();
    return api.createSecret(caller, { name, values, ...options });
  }

  /** Looks a secret up by name (user scope first), full id or id prefix, and reads its values. */
  async getSecret(nameOrId: string, lookup: Lookup = {}): Promise<Secret> {
    const { api, caller } = await this.open();
    return api.getSecret(caller, nameOrId, lookup);
  }

  /** Looks a secret up like `getSecret`, returning its metadata only. */
  async findSecret(nameOrId: string, lookup: Lookup = {}): Promise<SecretMetadata> {
    const { api, caller } = await this.open();
    return api.findSecret(caller, nameOrId, lookup);
  }

  /** One page of secrets, metadata only. */
  async listSecrets(query: SecretQuery = {}): Promise<Page<ListedSecret>> {
    const { api, caller } = await this.open();
    return api.listSecrets(caller, query);
  }

  /** Merge-on-update: strings set keys, `null` removes them, `removeKeys` removes existing keys strictly. */
  async updateSecret(nameOrId: string, update: ClientUpdate, lookup: Lookup = {}): Promise<Secret> {
    const { api, caller } = await this.open();
    const { removeKeys, ...plain } = update;
    if (!removeKeys || removeKeys.length === 0) return api.updateSecret(caller, nameOrId, plain, lookup);
    // Check the keys against the stored version, then update only that version: a concurrent
    // change makes the update fail with VERSION_MISMATCH, and the check runs again.
    for (let attempt = 1; ; attempt++) {
      const current = await api.findSecret(caller, nameOrId, lookup);
      const values = removalPatch(current.name, current.keys, (plain.values ?? {}) as SecretValues, removeKeys);
      try {
        return await api.updateSecret(caller, current.id, { ...plain, values, expectedVersion: plain.expectedVersion ?? current.version }, lookup);
      } catch (error) {
        const raced = hasErrorCode(error, "VERSION_MISMATCH") && plain.expectedVersion === undefined;
        if (!raced || attempt >= REMOVAL_ATTEMPTS) throw error;
      }
    }
  }

  /** Sets the whole values map. */
  async replaceSecretValues(nameOrId: string, values: SecretValues, lookup: Lookup = {}): Promise<Secret> {
    const { api, caller } = await this.open();
    return api.replaceSecretValues(caller, nameOrId, values, lookup);
  }

  /**
   * Deletes a secret: recoverable with `recoverSecret` until its `purgeAfter`
   * (`ZS_RECOVERY_WINDOW_DAYS`), unless `purge` deletes it at once. `warnings` name the
   * components that reference it.
   */
  async deleteSecret(nameOrId: string, lookup: Lookup = {}, options: DeleteSecretOptions = {}): Promise<SecretDeletion> {
    const { api, caller } = await this.open();
    return api.deleteSecret(caller, nameOrId, lookup, options);
  }

  /** The deleted secrets one may recover, with `deleted` and `purgeAfter`; filters as `listSecrets`. */
  async listDeletedSecrets(query: SecretQuery = {}): Promise<Page<DeletedSecret & ListedSecret>> {
    const { api, caller } = await this.open();
    return (await api.listSecrets(caller, { ...query, deleted: true })) as Page<DeletedSecret & ListedSecret>;
  }

  /** Brings a deleted secret back (by id, id prefix or name), under its name or `as`. */
  async recoverSecret(nameOrId: string, options: { as?: string } & Lookup = {}): Promise<SecretMetadata> {
    const { api, caller } = await this.open();
    const { as, ...lookup } = options;
    return api.recoverSecret(caller, nameOrId, as === undefined ? {} : { name: as }, lookup);
  }

  /** Every component attribute that references the secret, with the key and the stacks holding the component. */
  async secretUsages(nameOrId: string, lookup: Lookup = {}): Promise<SecretUsage[]> {
    const { api, caller } = await this.open();
    return api.secretUsages(caller, nameOrId, lookup);
  }

  /**
   * Renames a secret; with `updateReferences`, the references components hold to the old name
   * are rewritten in the same transaction, else the result's `warnings` list them.
   */
  async renameSecret(nameOrId: string, newName: string, options: { updateReferences?: boolean } & Lookup = {}): Promise<UpdatedSecret> {
    const { api, caller } = await this.open();
    const { updateReferences, ...lookup } = options;
    return api.updateSecret(caller, nameOrId, { name: newName }, lookup, { updateReferences });
  }

  /** One page of a secret's history, newest first: versions, who, how, which keys (never a value). */
  async secretHistory(nameOrId: string, query: HistoryQuery = {}, lookup: Lookup = {}): Promise<Page<HistoryEntry>> {
    const { api, caller } = await this.open();
    return api.listSecretHistory(caller, nameOrId, query, lookup);
  }

  /** The values a secret had at `version` (`HISTORY_UNAVAILABLE` when the store did not keep them). */
  async getSecretVersion(nameOrId: string, version: number, lookup: Lookup = {}): Promise<SecretVersionValues> {
    const { api, caller } = await this.open();
    return api.getSecretVersion(caller, nameOrId, version, lookup);
  }

  /** Writes the values of `version` as a new version; `expectedVersion` guards it like an update's. */
  async rollbackSecret(nameOrId: string, version: number, options: { expectedVersion?: number } = {}, lookup: Lookup = {}): Promise<Secret> {
    const { api, caller } = await this.open();
    return api.rollbackSecret(caller, nameOrId, { version, ...options }, lookup);
  }

  /** How two versions of a secret differ by key (values only with `withValues`); by default the latest change. */
  async diffSecret(nameOrId: string, options: DiffOptions = {}, lookup: Lookup = {}): Promise<SecretDiff> {
    const { api, caller } = await this.open();
    return diffSecret(api, caller, nameOrId, options, lookup);
  }

  /** Registers a component; references in its configuration are stored verbatim. */
  async registerComponent(name: string, definition: ComponentDefinition): Promise<Component> {
    const { api, caller } = await this.openComponents();
    return api.registerComponent(caller, { name, ...definition });
  }

  /** A component as stored, or with `resolve: true` its configuration's references resolved. */
  async getComponent(name: string, options: GetComponentOptions = {}): Promise<Component> {
    const { api, caller } = await this.openComponents();
    const { resolve, ...lookup } = options;
    return resolve ? api.resolveComponent(caller, name, lookup) : api.getComponent(caller, name, lookup);
  }

  /** The workspace's components, references verbatim. */
  async listComponents(lookup: ComponentLookup = {}): Promise<Component[]> {
    const { api, caller } = await this.openComponents();
    return api.listComponents(caller, lookup);
  }

  /** Changes type or flavor; `configuration` merges, `null` removing an attribute. */
  async updateComponent(name: string, update: ComponentUpdate, lookup: ComponentLookup = {}): Promise<Component> {
    const { api, caller } = await this.openComponents();
    return api.updateComponent(caller, name, update, lookup);
  }

  /** Deletes a component; `COMPONENT_IN_USE` while a stack holds it. */
  async deleteComponent(name: string, lookup: ComponentLookup = {}): Promise<void> {
    const { api, caller } = await this.openComponents();
    await api.deleteComponent(caller, name, lookup);
  }

  /** Registers a stack of existing components, in order. */
  async registerStack(name: string, components: string[], options: ComponentLookup = {}): Promise<Stack> {
    const { api, caller } = await this.openComponents();
    return api.registerStack(caller, { name, components, ...options });
  }

  async getStack(name: string, lookup: ComponentLookup = {}): Promise<Stack> {
    const { api, caller } = await this.openComponents();
    return api.getStack(caller, name, lookup);
  }

  async listStacks(lookup: ComponentLookup = {}): Promise<Stack[]> {
    const { api, caller } = await this.openComponents();
    return api.listStacks(caller, lookup);
  }

  /** Deletes a stack; its components stay. */
  async deleteStack(name: string, lookup: ComponentLookup = {}): Promise<void> {
    const { api, caller } = await this.openComponents();
    await api.deleteStack(caller, name, lookup);
  }

  /**
   * Checks the stack's references at `level` (default `ZS_SECRET_VALIDATION_LEVEL`, else
   * `SECRET_AND_KEY_EXISTS`), listing every missing one; reads no secret value.
   */
  async validateStack(name: string, level?: string, lookup: ComponentLookup = {}): Promise<ReferenceValidation> {
    const { api, caller, defaultLevel } = await this.openComponents();
    return api.validateStack(caller, name, level ?? defaultLevel, lookup);
  }

  /** `text` with every `{{name.key}}` resolved (`\{{` is a literal `{{`); nothing is stored. */
  async resolve(text: string, lookup: ComponentLookup = {}): Promise<string> {
    const { api, caller } = await this.openComponents();
    return api.resolve(caller, text, lookup);
  }

  /**
   * Several texts resolved in one resolution (a secret several of them reference is read once),
   * in the order given; at most 1,000 texts and 1,000 references in all. Nothing is stored.
   */
  async resolveTexts(texts: readonly string[], lookup: ComponentLookup = {}): Promise<string[]> {
    const { api, caller } = await this.openComponents();
    return api.resolveTexts(caller, texts, lookup);
  }

  /**
   * The variables `zs run` adds to a command's environment, validated first at `level`
   * (default as for `validateStack`): a failure lists every missing reference and reads nothing.
   */
  async runEnvironment(request: RunRequest, level?: string): Promise<Record<string, string>> {
    const { api, caller, defaultLevel } = await this.openComponents();
    return api.runEnvironment(caller, request, level ?? defaultLevel);
  }

  async listWorkspaces(): Promise<Workspace[]> {
    const { api, caller } = await this.open();
    return api.listWorkspaces(caller);
  }

  async createWorkspace(name: string): Promise<Workspace> {
    const { api, caller } = await this.open();
    return api.createWorkspace(caller, { name });
  }

  /** Deletes a workspace and every secret in it. */
  async deleteWorkspace(name: string): Promise<void> {
    const { api, caller, session } = await this.open();
    await api.deleteWorkspace(caller, name);
    const settings = await readClientSettings(this.configDir);
    if (session.mode === "local" && settings.workspace === name) await writeClientSettings(this.configDir, { ...settings, workspace: undefined });
    if (session.mode === "remote" && settings.server?.workspace === name) {
      await writeClientSettings(this.configDir, { ...settings, server: { ...settings.server, workspace: undefined } });
    }
  }

  /** The workspace this client acts in. */
  async activeWorkspace(): Promise<string> {
    if (this.workspace) return this.workspace;
    const settings = await readClientSettings(this.configDir);
    const saved = (await this.connection(settings)) ? settings.server?.workspace : settings.workspace;
    this.workspace = this.options.workspace ?? this.env.ZS_WORKSPACE ?? saved ?? DEFAULT_WORKSPACE;
    return this.workspace;
  }

  /** Makes `name` the active workspace for this client and, saved, for later ones (per mode). */
  async setActiveWorkspace(name: string): Promise<void> {
    parseInput(nameSchema, name, "workspace name");
    const workspaces = await this.listWorkspaces();
    if (!workspaces.some((w) => w.name === name)) throw new ZsError("WORKSPACE_NOT_FOUND", `No workspace named '${name}'.`);
    const settings = await readClientSettings(this.configDir);
    const session = await this.openSession();
    const saved: ClientSettings =
      session.mode === "remote" && settings.server ? { ...settings, server: { ...settings.server, workspace: name } } : { ...settings, workspace: name };
    await writeClientSettings(this.configDir, saved);
    this.workspace = name;
  }

  async status(): Promise<ClientStatus> {
    const session = await this.openSession();
    const common = { user: session.user.name, workspace: await this.activeWorkspace(), store: await session.store() };
    return session.mode === "local" ? { mode: "local", home: this.home, ...common } : { mode: "remote", server: session.http.url, ...common };
  }

  /**
   * The server this client would use and the user its saved connection names, read without
   * contacting it (so `zs status` can show them when the server is down or the token is no
   * longer valid); `undefined` in local mode. `user` is absent for `ZS_URL` + `ZS_API_KEY`.
   */
  async remoteTarget(): Promise<RemoteTarget | undefined> {
    const settings = await readClientSettings(this.configDir);
    const connection = await this.connection(settings);
    if (!connection) return undefined;
    const fromEnvironment = Boolean(this.options.url ?? this.env.ZS_URL);
    const user = fromEnvironment ? undefined : settings.server?.user;
    return { server: connection.url, ...(user !== undefined && { user }), workspace: await this.activeWorkspace() };
  }

  /**
   * Connects to a server and saves the connection (0600 settings file): with a user name and
   * password a session token is saved, with an API key the key. Every later client uses it
   * until `disconnect` (`ZS_URL` + `ZS_API_KEY` override it). Returns the user.
   */
  async connect(url: string, credentials: ConnectCredentials): Promise<User> {
    const server = normalizeServerUrl(url);
    const anonymous = new RemoteHttp(server, undefined, { caFile: this.caFile });
    let saved: SavedConnection;
    if ("apiKey" in credentials) {
      const user = await currentUser(anonymous.withToken(credentials.apiKey));
      saved = { url: server, token: credentials.apiKey, kind: "api_key", user: user.name };
    } else {
      const login = await anonymous.request("POST", "/api/v1/login", { body: { username: credentials.username, password: credentials.password } });
      saved = { url: server, token: (login.body as { access_token: string }).access_token, kind: "session", user: credentials.username };
    }
    const user = await currentUser(anonymous.withToken(saved.token));
    await this.close();
    await writeClientSettings(this.configDir, { ...(await readClientSettings(this.configDir)), server: { ...saved, user: user.name } });
    this.workspace = undefined;
    return user;
  }

  /** Forgets the saved server (logging its session out); returns its URL, if there was one. */
  async disconnect(): Promise<string | undefined> {
    await this.close();
    const settings = await readClientSettings(this.configDir);
    if (!settings.server) return undefined;
    if (settings.server.kind === "session") {
      // The token dies with the connection; a server that is gone or already forgot it is no reason to keep it.
      await new RemoteHttp(settings.server.url, settings.server.token, { caFile: this.caFile }).request("POST", "/api/v1/logout").catch(() => undefined);
    }
    await writeClientSettings(this.configDir, { ...settings, server: undefined });
    this.workspace = undefined;
    return settings.server.url;
  }

  /** Every user (admins only; remote mode). */
  async listUsers(): Promise<User[]> {
    const { api, caller } = await this.open();
    return api.listUsers(caller);
  }

  /** Creates a user with a password (admins only; remote mode). */
  async createUser(name: string, password: string, options: { isAdmin?: boolean } = {}): Promise<User> {
    return (await this.remote("create users")).api.createUser(name, password, options.isAdmin ?? false);
  }

  /** Deletes a user; with `cascade`, their secrets too (admins only). */
  async deleteUser(name: string, options: { cascade?: boolean } = {}): Promise<void> {
    const { api, caller } = await this.open();
    await api.deleteUser(caller, name, options);
  }

  /** Makes a user an admin or not (admins only; remote mode); the last admin cannot be demoted (`LAST_ADMIN`). */
  async setUserAdmin(name: string, isAdmin: boolean): Promise<User> {
    return (await this.remote("change users")).api.setUserAdmin(name, isAdmin);
  }

  /** Changes the current user's password, given the current one; their other sessions are revoked (remote mode). */
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    const { http } = await this.remote("change passwords");
    await http.request("POST", "/api/v1/current-user/password", { body: { current_password: currentPassword, new_password: newPassword } });
  }

  /** Sets another user's password (admins only; remote mode); their sessions are revoked. */
  async setUserPassword(name: string, password: string): Promise<void> {
    return (await this.remote("set passwords")).api.setUserPassword(name, password);
  }

  /**
   * A new API key for the current user; its `key` is shown only now (remote mode). With
   * `expiresIn` (`90d`, `12h`, `30m`) it stops working after that long. Needs a session: an
   * API key cannot create keys.
   */
  async createApiKey(name: string, options: { expiresIn?: string } = {}): Promise<ApiKey & { key: string }> {
    const { http } = await this.remote("create API keys");
    const body = { name, ...(options.expiresIn !== undefined ? { expires_in: options.expiresIn } : {}) };
    return fromWireApiKey((await http.request("POST", "/api/v1/api-keys", { body })).body as WireApiKey) as ApiKey & { key: string };
  }

  /** The current user's API keys, never the keys themselves (remote mode). */
  async listApiKeys(): Promise<ApiKey[]> {
    const { http } = await this.remote("list API keys");
    return ((await http.request("GET", "/api/v1/api-keys")).body as WireApiKey[]).map(fromWireApiKey);
  }

  async deleteApiKey(id: string): Promise<void> {
    const { http } = await this.remote("delete API keys");
    await http.request("DELETE", `/api/v1/api-keys/${encodeURIComponent(id)}`);
  }

  /** The backup store's type (`null`: none configured) and how many secrets it still has to receive or lose (admins only). */
  async backupStatus(): Promise<BackupStatus> {
    const session = await this.openSession();
    if (session.mode === "remote") return (await session.http.request("GET", "/api/v1/admin/backup")).body as BackupStatus;
    return session.local.backups.status((await this.open()).caller);
  }

  /** Copies every secret's values to the backup store, each read back and compared (admins only). */
  async backup(options: CopyRunOptions = {}): Promise<CopySummary> {
    const session = await this.openSession();
    if (session.mode === "remote") return fromWireSummary((await session.http.request("POST", "/api/v1/admin/backup", { body: {} })).body as WireCopySummary);
    const { caller } = await this.open();
    return session.local.audit(caller, AUDIT_ACTIONS.backup, STORE_TARGET, () => session.local.backups.backup(caller, options));
  }

  /** Copies values from the backup store into the values store: where it lacks them, or every one with `overwrite` (admins only). */
  async restore(options: CopyRunOptions & { overwrite?: boolean } = {}): Promise<CopySummary> {
    const session = await this.openSession();
    if (session.mode === "remote") {
      const body = { overwrite: options.overwrite ?? false };
      return fromWireSummary((await session.http.request("POST", "/api/v1/admin/restore", { body })).body as WireCopySummary);
    }
    const { caller } = await this.open();
    return session.local.audit(caller, AUDIT_ACTIONS.restore, STORE_TARGET, () => session.local.backups.restore(caller, options), () => ({
      details: { overwrite: options.overwrite ?? false },
    }));
  }

  /**
   * Moves every secret's values to another values store (admins only): in this process in local
   * mode; on a server, started there and followed until its run stops. A report with `failed`
   * secrets or an `error` leaves the migration in progress, to resume or abort.
   */
  async migrate(options: MigrationOptions): Promise<MigrationReport> {
    const session = await this.openSession();
    if (session.mode === "remote") return migrateRemotely(session.http, options);
    const { caller } = await this.open();
    return session.local.audit(caller, AUDIT_ACTIONS.migrate, { ...STORE_TARGET, name: options.to }, () => migrateLocally(session.local, caller, options), () => ({
      details: { resume: options.resume ?? false, delete_source: options.deleteSource ?? false },
    }));
  }

  /** The migration in progress, else the latest one; `undefined` when there never was one (admins only). */
  async migrationStatus(): Promise<MigrationReport | undefined> {
    const session = await this.openSession();
    if (session.mode === "remote") return remoteMigrationStatus(session.http);
    return localMigrationStatus(session.local, (await this.open()).caller);
  }

  /** Abandons the migration in progress: the old store still holds every value (admins only). */
  async abortMigration(): Promise<MigrationReport> {
    const session = await this.openSession();
    if (session.mode === "remote") return abortRemoteMigration(session.http);
    const { caller } = await this.open();
    return session.local.audit(caller, AUDIT_ACTIONS.migrate, STORE_TARGET, () => abortLocalMigration(session.local, caller), () => ({ details: { abort: true } }));
  }

  /**
   * Re-encrypts every stored value under a new key (local mode, `sql` store); resumable.
   * Afterwards the old key is gone from the key file.
   */
  async rotateEncryptionKey(onProgress?: (progress: RotationProgress) => void): Promise<RotationProgress & { keyId: string }> {
    const session = await this.openSession();
    if (session.mode !== "local") {
      throw new ZsError("VALIDATION_ERROR", "Key rotation runs where the key is: on the server, run 'zs-server rotate-key'.");
    }
    try {
      // Imported here: the rest of the client (and all of remote mode) runs without the SQL store's code.
      const { rotateConfiguredKey } = await import("@zs/store-sql");
      const { caller } = await this.open();
      return await session.local.audit(caller, AUDIT_ACTIONS.rotateKey, STORE_TARGET, () =>
        rotateConfiguredKey(session.local.database, session.local.config, { onProgress }), (result) => ({ details: { key_id: result.keyId } }));
    } finally {
      // The open store holds the old key ring; the next call opens with the new key.
      this.session = undefined;
      await session.close();
    }
  }

  /**
   * One page of audit events, newest first (oldest first after `after`, to follow the log);
   * filters as `GET /api/v1/audit` (admins only; local mode's user is one).
   */
  async listAuditEvents(query: AuditQuery = {}): Promise<Page<ChainedAuditEvent>> {
    const session = await this.openSession();
    if (session.mode === "local") return session.local.auditLog.listEvents((await this.open()).caller, query);
    const { after, page, size, ...filters } = query;
    const wire = (await session.http.request("GET", "/api/v1/audit", { query: { ...filters, after, page, size } })).body as WirePage<ChainedAuditEvent>;
    return { index: wire.index, maxSize: wire.max_size, totalPages: wire.total_pages, total: wire.total, items: wire.items };
  }

  /** Recomputes the audit log's hash chain; names the first event that does not match (admins only). */
  async verifyAuditLog(): Promise<AuditVerification> {
    const session = await this.openSession();
    if (session.mode === "local") {
      const { caller } = await this.open();
      return session.local.audit(caller, AUDIT_ACTIONS.auditVerify, { type: "audit_log", id: null, name: null, workspace: null }, () => session.local.auditLog.verify(caller), (result) => ({
        details: { valid: result.valid, checked: result.checked },
      }));
    }
    const wire = (await session.http.request("GET", "/api/v1/audit/verify")).body as WireVerification;
    return {
      valid: wire.valid,
      checked: wire.checked,
      firstSeq: wire.first_seq,
      lastSeq: wire.last_seq,
      ...(wire.first_invalid ? { firstInvalid: wire.first_invalid } : {}),
    };
  }

  /** Closes the store; the client opens it again if used afterwards. */
  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    if (session) await (await session.catch(() => undefined))?.close();
  }

  /** The server this client talks to: `url`/`apiKey` options, else `ZS_URL`/`ZS_API_KEY`, else the saved one. */
  private async connection(settings?: ClientSettings): Promise<Connection | undefined> {
    const url = this.options.url ?? this.env.ZS_URL;
    if (url) {
      const token = this.options.apiKey ?? this.env.ZS_API_KEY;
      if (!token) throw new ZsError("CONFIGURATION_ERROR", "ZS_URL is set but ZS_API_KEY is not; a server needs an API key (zs api-key create).");
      return { url: normalizeServerUrl(url), token, caFile: this.caFile };
    }
    // ZS_API_KEY alone is a mistake, saved connection or not: a CI job that forgot ZS_URL would
    // otherwise quietly read and write another server, or a local store (cli.md).
    if (this.options.apiKey ?? this.env.ZS_API_KEY) {
      throw new ZsError("CONFIGURATION_ERROR", "ZS_API_KEY is set but ZS_URL is not; set ZS_URL to the server the key belongs to (or unset ZS_API_KEY).");
    }
    const server = (settings ?? (await readClientSettings(this.configDir))).server;
    return server && { url: server.url, token: server.token, caFile: this.caFile };
  }

  /** `caFile`, else `ZS_CA_FILE`. */
  private get caFile(): string | undefined {
    return this.options.caFile ?? (this.env.ZS_CA_FILE || undefined);
  }

  private openSession(): Promise<Session> {
    this.session ??= (async () => {
      const connection = await this.connection();
      return connection ? openRemoteSession(connection) : openLocalSession(this.home, this.env);
    })().catch((error: unknown) => {
      this.session = undefined;
      throw error;
    });
    return this.session;
  }

  private async open(): Promise<{ api: SecretsApi; caller: Caller; session: Session }> {
    const session = await this.openSession();
    const { user } = session;
    const caller: Caller = { userId: user.id, userName: user.name, isAdmin: user.isAdmin, workspace: await this.activeWorkspace() };
    return { api: session.api, caller, session };
  }

  /** The components API of the session, with the validation level this client defaults to. */
  private async openComponents(): Promise<{ api: ComponentsApi; caller: Caller; defaultLevel: string }> {
    const { session, caller } = await this.open();
    // Local mode has read (and checked) ZS_SECRET_VALIDATION_LEVEL with the rest of its settings;
    // remote mode sends this environment's level too, so validateStack and runEnvironment agree.
    const defaultLevel = session.mode === "local" ? session.local.config.secretValidationLevel : this.env.ZS_SECRET_VALIDATION_LEVEL || "SECRET_AND_KEY_EXISTS";
    return { api: session.components, caller, defaultLevel };
  }

  private async remote(what: string): Promise<Extract<Session, { mode: "remote" }>> {
    const session = await this.openSession();
    if (session.mode !== "remote") {
      throw new ZsError("VALIDATION_ERROR", `Only a zs server can ${what}; local mode has the one user '${session.user.name}'. Connect first: zs connect URL.`);
    }
    return session;
  }
}

/** The target of the values store's own actions (backup, restore, migrate, rotate-key). */
const STORE_TARGET = { type: "store", id: null, name: null, workspace: null };

interface WirePage<T> {
  index: number;
  max_size: number;
  total_pages: number;
  total: number;
  items: T[];
}

interface WireVerification {
  valid: boolean;
  checked: number;
  first_seq: number | null;
  last_seq: number;
  first_invalid?: NonNullable<AuditVerification["firstInvalid"]>;
}

interface WireCopySummary extends Omit<CopySummary, "failures"> {
  failures: { secret_id: string; reason: string }[];
}

function fromWireSummary({ failures, ...counts }: WireCopySummary): CopySummary {
  return { ...counts, failures: failures.map((failure) => ({ secretId: failure.secret_id, reason: failure.reason })) };
}

interface WireApiKey {
  id: string;
  name: string;
  created: string;
  last_used: string | null;
  expires: string | null;
  key?: string;
}

function fromWireApiKey(key: WireApiKey): ApiKey & { key?: string } {
  return { id: key.id, name: key.name, created: key.created, lastUsed: key.last_used, expires: key.expires, ...(key.key ? { key: key.key } : {}) };
}
