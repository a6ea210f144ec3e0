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
import { createSdkSecretsClient, type AzureSecret, type AzureSecretsClient } from "./azure-secrets-client.js";
import { azureClientSettings, type AzureStoreOptions } from "./azure-store.js";
import { DEPLOYMENT_TAG } from "./azure-values-store.js";
import { azureErrors, isAbsent } from "./backend-errors.js";

/** The skip reason of a disabled secret: Key Vault refuses to read it. */
const DISABLED = "disabled in Key Vault";

/**
 * Azure Key Vault as a source of `zs secret import --from azure`: GetSecrets pages of the
 * vault (Key Vault filters no prefix: the import does), then GetSecret of each secret
 * imported. Secrets tagged `zs-deployment` are zs's own, disabled ones cannot be read: both
 * are listed as skipped, never read.
 */
export class AzureImportSource implements ImportSource {
  private readonly call: BackendCaller;

  constructor(
    private readonly client: AzureSecretsClient,
    context: ImportSourceContext,
  ) {
    this.call = backendCaller(azureErrors, { logger: context.logger });
  }

  async list(): Promise<ExternalEntry[]> {
    const listed = await this.call("GetSecrets", "*", () => this.client.listSecrets());
    return listed.map(({ name, enabled, tags }) => {
      const skipReason = tags[DEPLOYMENT_TAG] !== undefined ? CREATED_BY_ZS : enabled ? undefined : DISABLED;
      return skipReason === undefined ? { externalName: name } : { externalName: name, skipReason };
    });
  }

  async read(name: string): Promise<ExternalValue> {
    let secret: AzureSecret;
    try {
      secret = await this.call("GetSecret", name, () => this.client.getSecret(name));
    } catch (error) {
      if (isAbsent(error)) throw new ZsError("NOT_FOUND", `azure: secret '${name}' was deleted after it was listed.`);
      throw error;
    }
    return { kind: "text", text: secret.value };
  }

  async close(): Promise<void> {
    this.client.close();
  }
}

/** `zs secret import --from azure`: the store's options that say where and as whom to read (not `purge_on_delete`). */
export const azureImportSource = defineImportSource<AzureStoreOptions>({
  type: "azure",
  optionNames: [
    "vault_url",
    "tenant_id",
    "client_id",
    "client_secret",
    "authority_host",
    "disable_instance_discovery",
    "disable_challenge_resource_verification",
  ],
  async open(options, context) {
    return new AzureImportSource(await createSdkSecretsClient(azureClientSettings(options)), context);
  },
});
