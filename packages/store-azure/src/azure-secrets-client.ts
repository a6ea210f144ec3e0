/** A version of a secret (the latest unless one was asked for) as Key Vault returns it. */
export interface AzureSecret {
  value: string;
  /** Its version id (32 hex digits). */
  version: string;
  contentType?: string | undefined;
  tags: Record<string, string>;
}

/** A soft-deleted secret: only what the store looks at. */
export interface AzureDeletedSecret {
  tags: Record<string, string>;
}

/**
 * The Key Vault calls the `azure` store makes, and nothing else: the SDK stays behind it, so
 * the store's logic never sees SDK types. Errors are the SDK's (`RestError` with `statusCode`
 * and Key Vault's `code`, or an `@azure/identity` error when no token could be had).
 */
export interface AzureSecretsClient {
  /**
   * `GetSecret` of the latest version, or of `version`; 404 `SecretNotFound` when absent or
   * soft-deleted, 403 `SecretDisabled` when that version is disabled.
   */
  getSecret(name: string, version?: string): Promise<AzureSecret>;
  /** `SetSecret`: creates the secret or adds a version, and answers its version id; 409 while the name is held by a deleted secret. */
  setSecret(name: string, value: string, contentType: string, tags: Record<string, string>): Promise<string>;
  /** `UpdateSecretProperties` of one version with `enabled: false`: it can no longer be read. */
  disableVersion(name: string, version: string): Promise<void>;
  /**
   * `DeleteSecret` (a soft delete), then waits, briefly and boundedly, until the service shows
   * the secret as deleted, so a purge can follow. A failure while waiting is not reported: the
   * purge that follows reports its own.
   */
  deleteSecret(name: string): Promise<void>;
  /** `GetDeletedSecret`; 404 `SecretNotFound` when the name holds no deleted secret. */
  getDeletedSecret(name: string): Promise<AzureDeletedSecret>;
  /** `PurgeDeletedSecret`: permanent. */
  purgeDeletedSecret(name: string): Promise<void>;
  /** `RecoverDeletedSecret`, then waits, boundedly, until the secret is readable again. */
  recoverDeletedSecret(name: string): Promise<void>;
  /**
   * `GetSecrets`, every page (for `zs secret import`): names, tags and whether enabled, never
   * values. The SDK follows the pages' `nextLink`s and does not hand them out, so a retry lists
   * again from the start.
   */
  listSecrets(): Promise<AzureListedSecret[]>;
  close(): void;
}

/** A secret as `GetSecrets` lists it. */
export interface AzureListedSecret {
  name: string;
  enabled: boolean;
  tags: Record<string, string>;
}

/** Client-credentials sign-in (an app registration's secret). */
export interface AzureClientSecret {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

/** Where and as whom the SDK client talks. */
export interface AzureClientSettings {
  vaultUrl: string;
  /** Without it, `DefaultAzureCredential` (environment, workload identity, managed identity, Azure CLI, …). */
  clientSecret?: AzureClientSecret | undefined;
  /** Entra ID host, e.g. `https://login.microsoftonline.us`. @default the public cloud's */
  authorityHost?: string | undefined;
  disableInstanceDiscovery: boolean;
  disableChallengeResourceVerification: boolean;
  /** Per-request timeout in ms. */
  requestTimeoutMs: number;
  /** How often a delete or recovery is polled for completion, in ms. */
  pollIntervalMs: number;
  /** How long a delete or recovery is waited for at most, in ms. */
  maxPollMs: number;
}

/**
 * Creates the SDK-backed client, importing `@azure/keyvault-secrets` and `@azure/identity`
 * only now, so nothing loads the SDK unless an `azure` store is configured.
 */
export async function createSdkSecretsClient(settings: AzureClientSettings): Promise<AzureSecretsClient> {
  const [{ SecretClient }, identity] = await Promise.all([import("@azure/keyvault-secrets"), import("@azure/identity")]);
  const authority = {
    ...(settings.authorityHost ? { authorityHost: settings.authorityHost } : {}),
    disableInstanceDiscovery: settings.disableInstanceDiscovery,
  };
  // The store retries on its own terms (bounded, jittered, counted); the SDK's retries would
  // multiply them. DefaultAzureCredential keeps its own: its managed-identity probe relies on them.
  const noRetries = { retryOptions: { maxRetries: 0 } };
  const credential = settings.clientSecret
    ? new identity.ClientSecretCredential(settings.clientSecret.tenantId, settings.clientSecret.clientId, settings.clientSecret.clientSecret, {
        ...authority,
        ...noRetries,
      })
    : new identity.DefaultAzureCredential(authority);
  const client = new SecretClient(settings.vaultUrl, credential, {
    ...noRetries,
    disableChallengeResourceVerification: settings.disableChallengeResourceVerification,
  });
  const timeout = () => ({ abortSignal: AbortSignal.timeout(settings.requestTimeoutMs) });
  const polling = () => ({ intervalInMs: settings.pollIntervalMs, abortSignal: AbortSignal.timeout(settings.requestTimeoutMs) });
  const waitBriefly = async (poller: { isDone(): boolean; pollUntilDone(options: { abortSignal: AbortSignal }): Promise<unknown> }) => {
    if (poller.isDone()) return;
    await poller.pollUntilDone({ abortSignal: AbortSignal.timeout(settings.maxPollMs) }).catch(() => undefined);
  };

  return {
    async getSecret(name, version) {
      const secret = await client.getSecret(name, { ...(version ? { version } : {}), ...timeout() });
      return { value: secret.value ?? "", version: secret.properties.version ?? "", contentType: secret.properties.contentType, tags: secret.properties.tags ?? {} };
    },
    async setSecret(name, value, contentType, tags) {
      const secret = await client.setSecret(name, value, { contentType, tags, ...timeout() });
      return secret.properties.version ?? "";
    },
    async disableVersion(name, version) {
      await client.updateSecretProperties(name, version, { enabled: false, ...timeout() });
    },
    async deleteSecret(name) {
      // The first poll (inside beginDeleteSecret) sends the DELETE and checks once for the deleted secret.
      await waitBriefly(await client.beginDeleteSecret(name, polling()));
    },
    async getDeletedSecret(name) {
      const deleted = await client.getDeletedSecret(name, timeout());
      return { tags: deleted.properties.tags ?? {} };
    },
    async purgeDeletedSecret(name) {
      await client.purgeDeletedSecret(name, timeout());
    },
    async recoverDeletedSecret(name) {
      await waitBriefly(await client.beginRecoverDeletedSecret(name, polling()));
    },
    async listSecrets() {
      const listed: AzureListedSecret[] = [];
      for await (const properties of client.listPropertiesOfSecrets(timeout())) {
        listed.push({ name: properties.name, enabled: properties.enabled !== false, tags: properties.tags ?? {} });
      }
      return listed;
    },
    close() {
      // The SDK keeps no connections beyond its HTTP agent's idle sockets, which do not hold the process open.
    },
  };
}
