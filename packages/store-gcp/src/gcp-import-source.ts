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
import { gcpErrors, isAbsent, isNotEnabled } from "./backend-errors.js";
import { resolveCredentialsFile } from "./credentials-file.js";
import { createSdkSecretsClient, type GcpSecretsClient } from "./gcp-secrets-client.js";
import type { GcpStoreOptions } from "./gcp-store.js";
import { DEPLOYMENT_LABEL } from "./resource-names.js";

/** Per-call deadline of the SDK client, as the store's. */
const REQUEST_TIMEOUT_MS = 10000;
/** Secrets per ListSecrets page. */
const LIST_PAGE_SIZE = 1000;

/**
 * GCP Secret Manager as a source of `zs secret import --from gcp`: ListSecrets of the project
 * (Secret Manager filters no prefix: the import does), then AccessSecretVersion of `latest`
 * for each secret imported. Secrets labelled `zs-deployment` are zs's own: listed as such,
 * never read. External names are secret ids.
 */
export class GcpImportSource implements ImportSource {
  private readonly call: BackendCaller;

  constructor(
    private readonly client: GcpSecretsClient,
    private readonly projectId: string,
    context: ImportSourceContext,
  ) {
    this.call = backendCaller(gcpErrors, { logger: context.logger });
  }

  async list(): Promise<ExternalEntry[]> {
    const entries: ExternalEntry[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.call("ListSecrets", `projects/${this.projectId}`, () =>
        this.client.listSecrets({ project: this.projectId, pageToken, pageSize: LIST_PAGE_SIZE }),
      );
      for (const { secretId, labels } of page.secrets) {
        entries.push(labels[DEPLOYMENT_LABEL] !== undefined ? { externalName: secretId, skipReason: CREATED_BY_ZS } : { externalName: secretId });
      }
      pageToken = page.nextPageToken;
    } while (pageToken);
    return entries;
  }

  async read(secretId: string): Promise<ExternalValue> {
    const name = `projects/${this.projectId}/secrets/${secretId}`;
    let data: Uint8Array;
    try {
      data = await this.call("AccessSecretVersion", name, () => this.client.accessLatestVersion(name), (error) => isAbsent(error) || isNotEnabled(error));
    } catch (error) {
      if (isAbsent(error)) throw new ZsError("NOT_FOUND", `gcp: secret '${secretId}' has no version to read (or was deleted after it was listed).`);
      if (isNotEnabled(error)) throw new ZsError("NOT_FOUND", `gcp: the latest version of secret '${secretId}' is disabled or destroyed.`);
      throw error;
    }
    try {
      return { kind: "text", text: new TextDecoder("utf-8", { fatal: true }).decode(data) };
    } catch {
      return { kind: "binary", description: "a payload that is not UTF-8 text" };
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** `zs secret import --from gcp`: every option of the store. */
export const gcpImportSource = defineImportSource<GcpStoreOptions>({
  type: "gcp",
  optionNames: ["project_id", "api_endpoint", "credentials_file", "emulator_host"],
  async open(options, context) {
    const client = await createSdkSecretsClient({
      emulatorHost: options.emulator_host,
      apiEndpoint: options.api_endpoint,
      keyFilename: options.credentials_file ? await resolveCredentialsFile(options.credentials_file, context.configDir) : undefined,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
    });
    return new GcpImportSource(client, options.project_id, context);
  },
});
