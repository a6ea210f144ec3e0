import {
  removalPatch,
  type Caller,
  type Lookup,
  type Page,
  type Scope,
  type Secret,
  type SecretMetadata,
  type SecretQuery,
  type SecretUpdate,
  type SecretValues,
  type Workspace,
  DEFAULT_WORKSPACE,
  ZsError,
  hasErrorCode,
  parseInput,
  nameSchema,
} from "@zs/core";
import type { RotationProgress } from "@zs/store-sql";
import { readClientSettings, writeClientSettings } from "./client-settings.js";
import { rotateLocalKey } from "./local-key-rotation.js";
import { openLocalStore, type LocalStore } from "./local-store.js";
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
}

/** Options of `createSecret`. */
export interface CreateOptions {
  /** @default "workspace" */
  scope?: Scope;
  /** @default the active workspace */
  workspace?: string;
}

/** An update as a person means it: `removeKeys` must name existing keys. */
export interface ClientUpdate extends SecretUpdate {
  /** Keys to remove; a key the secret lacks, or one also set in `values`, is refused. */
  removeKeys?: string[];
}

/** What `status` reports. */
export interface ClientStatus {
  mode: "local";
  /** Where the local store lives. */
  home: string;
  user: string;
  workspace: string;
  store: { type: string; capabilities: Record<string, unknown> };
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
  private local: Promise<LocalStore> | undefined;
  private workspace: string | undefined;

  constructor(private readonly options: ClientOptions = {}) {
    this.env = options.env ?? process.env;
    this.home = options.home ?? zsHome(this.env);
    this.configDir = options.configDir ?? zsConfigDir(this.env);
  }

  async createSecret(name: string, values: SecretValues, options: CreateOptions = {}): Promise<Secret> {
    const { service, caller } = await this.open();
    return service.createSecret(caller, { name, values, ...options });
  }

  /** Looks a secret up by name (user scope first), full id or id prefix, and reads its values. */
  async getSecret(nameOrId: string, lookup: Lookup = {}): Promise<Secret> {
    const { service, caller } = await this.open();
    return service.getSecret(caller, nameOrId, lookup);
  }

  /** Looks a secret up like `getSecret` but reads no value: its metadata only. */
  async findSecret(nameOrId: string, lookup: Lookup = {}): Promise<SecretMetadata> {
    const { service, caller } = await this.open();
    return service.findSecret(caller, nameOrId, lookup);
  }

  /** One page of secrets, metadata only. */
  async listSecrets(query: SecretQuery = {}): Promise<Page<SecretMetadata>> {
    const { service, caller } = await this.open();
    return service.listSecrets(caller, query);
  }

  /** Merge-on-update: strings set keys, `null` removes them, `removeKeys` removes existing keys strictly. */
  async updateSecret(nameOrId: string, update: ClientUpdate, lookup: Lookup = {}): Promise<Secret> {
    const { service, caller } = await this.open();
    const { removeKeys, ...plain } = update;
    if (!removeKeys || removeKeys.length === 0) return service.updateSecret(caller, nameOrId, plain, lookup);
    // Check the keys against the stored version, then update only that version: a concurrent
    // change makes the update fail with VERSION_MISMATCH, and the check runs again.
    for (let attempt = 1; ; attempt++) {
      const current = await service.findSecret(caller, nameOrId, lookup);
      const values = removalPatch(current.name, current.keys, (plain.values ?? {}) as SecretValues, removeKeys);
      try {
        return await service.updateSecret(caller, current.id, { ...plain, values, expectedVersion: plain.expectedVersion ?? current.version }, lookup);
      } catch (error) {
        const raced = hasErrorCode(error, "VERSION_MISMATCH") && plain.expectedVersion === undefined;
        if (!raced || attempt >= REMOVAL_ATTEMPTS) throw error;
      }
    }
  }

  /** Sets the whole values map. */
  async replaceSecretValues(nameOrId: string, values: SecretValues, lookup: Lookup = {}): Promise<Secret> {
    const { service, caller } = await this.open();
    return service.replaceSecretValues(caller, nameOrId, values, lookup);
  }

  async deleteSecret(nameOrId: string, lookup: Lookup = {}): Promise<void> {
    const { service, caller } = await this.open();
    await service.deleteSecret(caller, nameOrId, lookup);
  }

  async listWorkspaces(): Promise<Workspace[]> {
    const { service, caller } = await this.open();
    return service.listWorkspaces(caller);
  }

  async createWorkspace(name: string): Promise<Workspace> {
    const { service, caller } = await this.open();
    return service.createWorkspace(caller, { name });
  }

  /** Deletes a workspace and every secret in it. */
  async deleteWorkspace(name: string): Promise<void> {
    const { service, caller } = await this.open();
    await service.deleteWorkspace(caller, name);
    const settings = await readClientSettings(this.configDir);
    if (settings.workspace === name) await writeClientSettings(this.configDir, { ...settings, workspace: undefined });
  }

  /** The workspace this client acts in. */
  async activeWorkspace(): Promise<string> {
    this.workspace ??=
      this.options.workspace ?? this.env.ZS_WORKSPACE ?? (await readClientSettings(this.configDir)).workspace ?? DEFAULT_WORKSPACE;
    return this.workspace;
  }

  /** Makes `name` the active workspace for this client and, saved, for later ones. */
  async setActiveWorkspace(name: string): Promise<void> {
    parseInput(nameSchema, name, "workspace name");
    const workspaces = await this.listWorkspaces();
    if (!workspaces.some((w) => w.name === name)) throw new ZsError("WORKSPACE_NOT_FOUND", `No workspace named '${name}'.`);
    await writeClientSettings(this.configDir, { ...(await readClientSettings(this.configDir)), workspace: name });
    this.workspace = name;
  }

  async status(): Promise<ClientStatus> {
    const local = await this.openLocal();
    return { mode: "local", home: this.home, user: local.user.name, workspace: await this.activeWorkspace(), store: local.store };
  }

  /**
   * Re-encrypts every stored value under a new key (local mode, `sql` store); resumable.
   * Afterwards the old key is gone from the key file.
   */
  async rotateEncryptionKey(onProgress?: (progress: RotationProgress) => void): Promise<RotationProgress & { keyId: string }> {
    const local = await this.openLocal();
    try {
      return await rotateLocalKey(local.database, local.config, onProgress);
    } finally {
      // The open store holds the old key ring; the next call opens with the new key.
      this.local = undefined;
      await local.close();
    }
  }

  /** Closes the store; the client opens it again if used afterwards. */
  async close(): Promise<void> {
    const local = this.local;
    this.local = undefined;
    if (local) await (await local.catch(() => undefined))?.close();
  }

  private openLocal(): Promise<LocalStore> {
    this.local ??= openLocalStore(this.home, this.env).catch((error: unknown) => {
      this.local = undefined;
      throw error;
    });
    return this.local;
  }

  private async open(): Promise<{ service: LocalStore["service"]; caller: Caller }> {
    const local = await this.openLocal();
    const caller: Caller = { userId: local.user.id, userName: local.user.name, isAdmin: local.user.isAdmin, workspace: await this.activeWorkspace() };
    return { service: local.service, caller };
  }
}
