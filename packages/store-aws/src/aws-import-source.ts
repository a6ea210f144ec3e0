import {
  CREATED_BY_ZS,
  ZsError,
  backendCaller,
  defineImportSource,
  type BackendCaller,
  type ExternalEntry,
  type ExternalValue,
  type ImportSource,
  type ImportSourceContext,
} from "@zs/core";
import { clientSettingsOf, createSdkSecretsClient, type AwsSecretValue, type AwsSecretsClient } from "./aws-secrets-client.js";
import { DEPLOYMENT_TAG } from "./aws-values-store.js";
import { awsErrors, isAbsent } from "./backend-errors.js";
import type { AwsStoreOptions } from "./index.js";

/** Secrets Manager's largest ListSecrets page. */
const LIST_PAGE_SIZE = 100;
/** What the `name` filter takes (a leading `!` would negate it); any other prefix is filtered by the import alone. */
const FILTERABLE_PREFIX = /^[a-zA-Z0-9 :_@/+=.-]+$/;

/**
 * AWS Secrets Manager as a source of `zs secret import --from aws`: ListSecrets (the prefix
 * sent as the `name` filter where Secrets Manager takes it), then GetSecretValue of each
 * secret imported. Secrets tagged `zs-deployment` are zs's own: listed as such, never read.
 */
export class AwsImportSource implements ImportSource {
  private readonly call: BackendCaller;

  constructor(
    private readonly client: AwsSecretsClient,
    context: ImportSourceContext,
  ) {
    this.call = backendCaller(awsErrors, { logger: context.logger });
  }

  async list(prefix: string): Promise<ExternalEntry[]> {
    const namePrefix = FILTERABLE_PREFIX.test(prefix) ? prefix : undefined;
    const entries: ExternalEntry[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.call("ListSecrets", prefix || "*", () => this.client.listSecrets({ namePrefix, nextToken, maxResults: LIST_PAGE_SIZE }));
      for (const { name, tags } of page.secrets) {
        entries.push(tags.some((tag) => tag.key === DEPLOYMENT_TAG) ? { externalName: name, skipReason: CREATED_BY_ZS } : { externalName: name });
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return entries;
  }

  async read(name: string): Promise<ExternalValue> {
    let value: AwsSecretValue;
    try {
      value = await this.call("GetSecretValue", name, () => this.client.getSecretValue(name));
    } catch (error) {
      if (isAbsent(error)) throw new ZsError("NOT_FOUND", `aws: secret '${name}' was deleted after it was listed.`);
      throw error;
    }
    return value.secretBinary !== undefined ? { kind: "binary", description: "a binary secret (SecretBinary)" } : { kind: "text", text: value.secretString ?? "" };
  }

  async close(): Promise<void> {
    this.client.close();
  }
}

/** `zs secret import --from aws`: the store's options that say where and as whom to read (not `prefix`). */
export const awsImportSource = defineImportSource<AwsStoreOptions>({
  type: "aws",
  optionNames: ["region", "endpoint", "access_key_id", "secret_access_key"],
  async open(options, context) {
    const client = await createSdkSecretsClient(clientSettingsOf(options));
    return new AwsImportSource(client, context);
  },
});
