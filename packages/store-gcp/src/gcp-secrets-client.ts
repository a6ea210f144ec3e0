/**
 * The Secret Manager calls the `gcp` store makes, and nothing else: the SDK stays behind it,
 * so the store's logic never sees SDK types. Errors are the SDK's, with a numeric gRPC `code`
 * and `details`. Resource names in answers carry the project number.
 */
export interface GcpSecretsClient {
  /** `GetSecret`, for the labels only; fails with `NOT_FOUND` when absent. */
  getSecretLabels(secretName: string): Promise<Record<string, string>>;
  /** `CreateSecret` with automatic replication and labels; fails with `ALREADY_EXISTS` when taken. */
  createSecret(project: string, secretId: string, labels: Record<string, string>): Promise<void>;
  /** `AddSecretVersion`: the new version's resource name, as answered, and its `createTime` (`versionCreateTime`'s form). */
  addSecretVersion(secretName: string, data: Uint8Array): Promise<{ name: string; createTime: string }>;
  /** `GetSecretVersion`: the version's `createTime` as `<seconds>.<nanos, 9 digits>`; `NOT_FOUND` when absent. */
  getVersionCreateTime(secretName: string, version: number): Promise<string>;
  /** `AccessSecretVersion` of `latest`: its payload. */
  accessLatestVersion(secretName: string): Promise<Uint8Array>;
  /** `AccessSecretVersion` of version `version`: its payload; `FAILED_PRECONDITION` when disabled or destroyed. */
  accessVersion(secretName: string, version: number): Promise<Uint8Array>;
  /** `ListSecretVersions` filtered on `state:ENABLED`, every page: resource names, newest first. */
  listEnabledVersions(secretName: string): Promise<string[]>;
  /** `DestroySecretVersion`: the payload is gone for good. */
  destroySecretVersion(versionName: string): Promise<void>;
  /** `DeleteSecret`, every version with it. */
  deleteSecret(secretName: string): Promise<void>;
  /** `ListSecrets` of a project, one page (for `zs secret import`): secret ids and labels, never payloads. */
  listSecrets(page: GcpListPage): Promise<GcpSecretList>;
  close(): Promise<void>;
}

/** Which page of `ListSecrets` to get. */
export interface GcpListPage {
  /** The project, by id or number. */
  project: string;
  /** The previous page's `nextPageToken`. @default the first page */
  pageToken?: string | undefined;
  /** At most this many (Secret Manager allows up to 25000). */
  pageSize: number;
}

/** One page of `ListSecrets`. */
export interface GcpSecretList {
  /** Each secret's id (the last segment of its resource name) and labels. */
  secrets: { secretId: string; labels: Record<string, string> }[];
  /** Set when there are more pages. */
  nextPageToken?: string | undefined;
}

/** Where and as whom the SDK client talks. */
export interface GcpClientSettings {
  /** `host:port` of a plaintext emulator: no TLS, no credentials, no credential lookup. */
  emulatorHost?: string | undefined;
  /** `host` or `host:port` of the service (TLS). @default secretmanager.googleapis.com */
  apiEndpoint?: string | undefined;
  /** Absolute path of a credentials JSON file; otherwise Application Default Credentials. */
  keyFilename?: string | undefined;
  /** Per-call deadline in ms. */
  requestTimeoutMs: number;
}

/** Splits `host:port` (IPv6 hosts in brackets) into the SDK's `apiEndpoint` and `port`. */
export function splitHostPort(address: string): { host: string; port?: number } {
  const match = /^(.*?)(?::(\d{1,5}))?$/.exec(address);
  const host = match?.[1] ?? address;
  return match?.[2] ? { host, port: Number(match[2]) } : { host };
}

/** A protobuf Timestamp as `<seconds>.<nanos, 9 digits>`; empty when absent. */
function timestampText(timestamp: { seconds?: unknown; nanos?: unknown } | null | undefined): string {
  if (!timestamp) return "";
  return `${String(timestamp.seconds ?? 0)}.${String(timestamp.nanos ?? 0).padStart(9, "0")}`;
}

/**
 * Creates the SDK-backed client, importing `@google-cloud/secret-manager` and `google-gax`
 * only now, so nothing loads them unless a `gcp` store is configured.
 */
export async function createSdkSecretsClient(settings: GcpClientSettings): Promise<GcpSecretsClient> {
  const [{ SecretManagerServiceClient }, gax] = await Promise.all([import("@google-cloud/secret-manager"), import("google-gax")]);
  const endpoint = settings.emulatorHost ?? settings.apiEndpoint;
  const { host, port } = endpoint ? splitHostPort(endpoint) : { host: undefined, port: undefined };
  const client = new SecretManagerServiceClient(
    {
      ...(host ? { apiEndpoint: host } : {}),
      ...(port ? { port } : {}),
      ...(settings.emulatorHost
        ? {
            // Plaintext and no call credentials; naming the universe spares google-auth-library
            // its credential lookup (and the metadata-server probe) to learn it.
            sslCreds: gax.grpc.credentials.createInsecure(),
            universeDomain: "googleapis.com",
          }
        : {}),
      ...(settings.keyFilename ? { keyFilename: settings.keyFilename } : {}),
    },
    // The SDK is handed this very google-gax, so the insecure credentials come from the
    // grpc-js its channel checks them against.
    gax,
  );
  // The store retries on its own terms (bounded, jittered, counted). gax's defaults would
  // retry AccessSecretVersion on RESOURCE_EXHAUSTED/UNAVAILABLE for up to ten minutes.
  const callOptions = { retry: null, timeout: settings.requestTimeoutMs };
  // Each SDK method also starts initialize() and rethrows its failure (no credentials found,
  // an unreadable key) from a detached promise: an unhandled rejection that ends the process.
  // Awaiting initialize() first keeps that failure on the caller's path, and a method is
  // only ever called on a client whose stub is ready.
  const ready = async () => {
    await client.initialize();
  };

  const access = async (versionName: string) => {
    await ready();
    const [response] = await client.accessSecretVersion({ name: versionName }, callOptions);
    const data = response.payload?.data;
    return typeof data === "string" ? Buffer.from(data, "base64") : (data ?? new Uint8Array());
  };

  return {
    async getSecretLabels(secretName) {
      await ready();
      const [secret] = await client.getSecret({ name: secretName }, callOptions);
      return { ...(secret.labels ?? {}) };
    },
    async createSecret(project, secretId, labels) {
      await ready();
      await client.createSecret({ parent: `projects/${project}`, secretId, secret: { replication: { automatic: {} }, labels } }, callOptions);
    },
    async addSecretVersion(secretName, data) {
      await ready();
      const [version] = await client.addSecretVersion({ parent: secretName, payload: { data } }, callOptions);
      return { name: version.name ?? "", createTime: timestampText(version.createTime) };
    },
    async getVersionCreateTime(secretName, version) {
      await ready();
      const [found] = await client.getSecretVersion({ name: `${secretName}/versions/${version}` }, callOptions);
      return timestampText(found.createTime);
    },
    async accessLatestVersion(secretName) {
      return access(`${secretName}/versions/latest`);
    },
    async accessVersion(secretName, version) {
      return access(`${secretName}/versions/${version}`);
    },
    async listEnabledVersions(secretName) {
      await ready();
      const names: string[] = [];
      let pageToken: string | undefined;
      do {
        const [versions, , response] = await client.listSecretVersions(
          { parent: secretName, filter: "state:ENABLED", pageSize: 100, ...(pageToken ? { pageToken } : {}) },
          { ...callOptions, autoPaginate: false },
        );
        for (const version of versions) if (version.name) names.push(version.name);
        pageToken = response?.nextPageToken || undefined;
      } while (pageToken);
      return names;
    },
    async destroySecretVersion(versionName) {
      await ready();
      await client.destroySecretVersion({ name: versionName }, callOptions);
    },
    async deleteSecret(secretName) {
      await ready();
      await client.deleteSecret({ name: secretName }, callOptions);
    },
    async listSecrets({ project, pageToken, pageSize }) {
      await ready();
      const [secrets, , response] = await client.listSecrets(
        { parent: `projects/${project}`, pageSize, ...(pageToken ? { pageToken } : {}) },
        { ...callOptions, autoPaginate: false },
      );
      const listed = secrets.map((secret) => ({ secretId: (secret.name ?? "").split("/").pop() ?? "", labels: { ...(secret.labels ?? {}) } }));
      return response?.nextPageToken ? { secrets: listed, nextPageToken: response.nextPageToken } : { secrets: listed };
    },
    async close() {
      // A client whose channel never came up (no credentials found) rejects here with that
      // same failure; there is nothing to release.
      await client.close().catch(() => undefined);
    },
  };
}
