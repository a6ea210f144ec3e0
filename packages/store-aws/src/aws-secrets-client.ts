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

/**
 * The Secrets Manager calls the `aws` store makes, and nothing else: the SDK stays behind it,
 * so the store's logic never sees SDK types. Errors are the SDK's, with `name` and
 * `$metadata.httpStatusCode`.
 */
export interface AwsSecretsClient {
  /** `CreateSecret` with tags; fails with `ResourceExistsException` when the name is taken. */
  createSecret(name: string, value: AwsSecretValue, tags: AwsTag[]): Promise<void>;
  /** `PutSecretValue`: a new current version. */
  putSecretValue(name: string, value: AwsSecretValue): Promise<void>;
  /** `GetSecretValue` of the current version. */
  getSecretValue(name: string): Promise<AwsSecretValue>;
  /** `DescribeSecret`, for the tags only. */
  describeSecretTags(name: string): Promise<AwsTag[]>;
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
  /** Write calls (create, put, delete) a second, at most. */
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
    async createSecret(name, value, tags) {
      await writes.acquire();
      await client.send(
        new sdk.CreateSecretCommand({ Name: name, ...toSdkValue(value), Tags: tags.map((t) => ({ Key: t.key, Value: t.value })) }),
      );
    },
    async putSecretValue(name, value) {
      await writes.acquire();
      await client.send(new sdk.PutSecretValueCommand({ SecretId: name, ...toSdkValue(value) }));
    },
    async getSecretValue(name) {
      const output = await client.send(new sdk.GetSecretValueCommand({ SecretId: name }));
      return output.SecretBinary !== undefined ? { secretBinary: output.SecretBinary } : { secretString: output.SecretString ?? "" };
    },
    async describeSecretTags(name) {
      const output = await client.send(new sdk.DescribeSecretCommand({ SecretId: name }));
      return fromSdkTags(output.Tags);
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
