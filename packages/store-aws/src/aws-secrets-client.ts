import { WriteRateLimit } from "./write-rate-limit.js";

/** A secret's tag, as Secrets Manager keeps it. */
export interface AwsTag {
  key: string;
  value: string;
}

/** A secret's current value: exactly one of the two is set. */
export interface AwsSecretValue {
  secretString?: string;
  secretBinary?: Uint8Array;
}

/** A version read back: its value and the staging labels attached to it. */
export type AwsSecretVersion = AwsSecretValue & {
  /** The staging labels on this version (`AWSCURRENT`, `AWSPREVIOUS`, `zs-v<n>`, …); none when deprecated. */
  versionStages: string[];
};

/** What `DescribeSecret` tells the store: the tags, and the staging labels of every labelled version. */
export interface AwsSecretDescription {
  tags: AwsTag[];
  /** VersionId → its staging labels (`VersionIdsToStages`); versions without a label are not listed. */
  versionIdsToStages: Record<string, string[]>;
}

/** How a `PutSecretValue` makes its version. */
export interface AwsPutOptions {
  /** The `ClientRequestToken`, which becomes the VersionId: a retry with the same token and value makes no second version. @default one the SDK generates */
  versionId?: string | undefined;
  /** Staging labels to attach (moved from other versions); include `AWSCURRENT` to make it current. @default ["AWSCURRENT"] */
  versionStages?: string[] | undefined;
}

/**
 * The Secrets Manager calls the `aws` store makes, and nothing else: the SDK stays behind it,
 * so the store's logic never sees SDK types. Errors are the SDK's, with `name` and
 * `$metadata.httpStatusCode`.
 */
export interface AwsSecretsClient {
  /**
   * `CreateSecret` with tags and `value` as its first (current) version, under `versionId` (the
   * `ClientRequestToken`) when given; fails with `ResourceExistsException` when the name is taken.
   */
  createSecret(name: string, value: AwsSecretValue, tags: AwsTag[], versionId?: string): Promise<void>;
  /** `PutSecretValue`: a new version (current unless `versionStages` leaves out `AWSCURRENT`); answers its VersionId. */
  putSecretValue(name: string, value: AwsSecretValue, options?: AwsPutOptions): Promise<string>;
  /** `GetSecretValue` of the current version, or of the version `versionId`. */
  getSecretValue(name: string, versionId?: string): Promise<AwsSecretVersion>;
  /** `DescribeSecret`: the tags and the labelled versions. */
  describeSecret(name: string): Promise<AwsSecretDescription>;
  /** `UpdateSecretVersionStage` attaching `stage` to `moveToVersionId` (a label attached to no other version). */
  addVersionStage(name: string, stage: string, moveToVersionId: string): Promise<void>;
  /** `UpdateSecretVersionStage` taking `stage` off `removeFromVersionId`. */
  removeVersionStage(name: string, stage: string, removeFromVersionId: string): Promise<void>;
  /** `DeleteSecret` with `ForceDeleteWithoutRecovery`. */
  deleteSecret(name: string): Promise<void>;
  /** `ListSecrets`, one page (for `zs secret import`): names and tags, never values. */
  listSecrets(page: AwsListPage): Promise<AwsSecretList>;
  close(): void;
}

/** Which page of `ListSecrets` to get. */
export interface AwsListPage {
  /** Only secrets whose names start with it (the `name` filter: case-sensitive prefix match). @default every secret */
  namePrefix?: string | undefined;
  /** The previous page's `nextToken`. @default the first page */
  nextToken?: string | undefined;
  /** At most this many (Secrets Manager allows 1-100). */
  maxResults: number;
}

/** One page of `ListSecrets`. */
export interface AwsSecretList {
  secrets: { name: string; tags: AwsTag[] }[];
  /** Set when there are more pages. */
  nextToken?: string | undefined;
}

/** Where and as whom the SDK client talks. */
export interface AwsClientSettings {
  region?: string | undefined;
  endpoint?: string | undefined;
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** Per-request timeout in ms. */
  requestTimeoutMs: number;
  /** Write calls (create, put, label, delete) a second, at most. */
  maxWritesPerSecond: number;
}

/** Per-request timeout of the SDK client, so a hung connection becomes a retry, not a hang. */
const REQUEST_TIMEOUT_MS = 10000;

/** The client settings of the `aws` store's options (the store's and the import source's). */
export function clientSettingsOf(options: {
  region?: string | undefined;
  endpoint?: string | undefined;
  access_key_id?: string | undefined;
  secret_access_key?: string | undefined;
  max_writes_per_second: number;
}): AwsClientSettings {
  return {
    region: options.region,
    endpoint: options.endpoint,
    credentials: options.access_key_id && options.secret_access_key ? { accessKeyId: options.access_key_id, secretAccessKey: options.secret_access_key } : undefined,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    maxWritesPerSecond: options.max_writes_per_second,
  };
}

/**
 * Creates the SDK-backed client, importing `@aws-sdk/client-secrets-manager` only now, so
 * nothing loads the SDK unless an `aws` store is configured.
 */
export async function createSdkSecretsClient(settings: AwsClientSettings): Promise<AwsSecretsClient> {
  const sdk = await import("@aws-sdk/client-secrets-manager");
  const client = new sdk.SecretsManagerClient({
    ...(settings.region ? { region: settings.region } : {}),
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    // The store retries on its own terms (bounded, jittered, counted); the SDK's retries would multiply them.
    maxAttempts: 1,
    requestHandler: { requestTimeout: settings.requestTimeoutMs, connectionTimeout: settings.requestTimeoutMs },
  });
  const fromSdkTags = (tags: { Key?: string | undefined; Value?: string | undefined }[] | undefined): AwsTag[] =>
    (tags ?? []).map((t) => ({ key: t.Key ?? "", value: t.Value ?? "" }));
  const toSdkValue = (value: AwsSecretValue) =>
    value.secretBinary !== undefined ? { SecretBinary: value.secretBinary } : { SecretString: value.secretString ?? "" };

  const writes = new WriteRateLimit(settings.maxWritesPerSecond);

  return {
    async createSecret(name, value, tags, versionId) {
      await writes.acquire();
      await client.send(
        new sdk.CreateSecretCommand({
          Name: name,
          ...toSdkValue(value),
          ...(versionId ? { ClientRequestToken: versionId } : {}),
          Tags: tags.map((t) => ({ Key: t.key, Value: t.value })),
        }),
      );
    },
    async putSecretValue(name, value, options = {}) {
      await writes.acquire();
      const output = await client.send(
        new sdk.PutSecretValueCommand({
          SecretId: name,
          ...toSdkValue(value),
          ...(options.versionId ? { ClientRequestToken: options.versionId } : {}),
          ...(options.versionStages ? { VersionStages: options.versionStages } : {}),
        }),
      );
      return output.VersionId ?? "";
    },
    async getSecretValue(name, versionId) {
      const output = await client.send(new sdk.GetSecretValueCommand({ SecretId: name, ...(versionId ? { VersionId: versionId } : {}) }));
      const versionStages = output.VersionStages ?? [];
      return output.SecretBinary !== undefined
        ? { secretBinary: output.SecretBinary, versionStages }
        : { secretString: output.SecretString ?? "", versionStages };
    },
    async describeSecret(name) {
      const output = await client.send(new sdk.DescribeSecretCommand({ SecretId: name }));
      return { tags: fromSdkTags(output.Tags), versionIdsToStages: { ...(output.VersionIdsToStages ?? {}) } };
    },
    async addVersionStage(name, stage, moveToVersionId) {
      await writes.acquire();
      await client.send(new sdk.UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: stage, MoveToVersionId: moveToVersionId }));
    },
    async removeVersionStage(name, stage, removeFromVersionId) {
      await writes.acquire();
      await client.send(new sdk.UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: stage, RemoveFromVersionId: removeFromVersionId }));
    },
    async deleteSecret(name) {
      await writes.acquire();
      await client.send(new sdk.DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));
    },
    async listSecrets({ namePrefix, nextToken, maxResults }) {
      const output = await client.send(
        new sdk.ListSecretsCommand({
          MaxResults: maxResults,
          ...(nextToken ? { NextToken: nextToken } : {}),
          ...(namePrefix ? { Filters: [{ Key: "name", Values: [namePrefix] }] } : {}),
        }),
      );
      const secrets = (output.SecretList ?? []).map((entry) => ({ name: entry.Name ?? "", tags: fromSdkTags(entry.Tags) }));
      return output.NextToken ? { secrets, nextToken: output.NextToken } : { secrets };
    },
    close() {
      client.destroy();
    },
  };
}
