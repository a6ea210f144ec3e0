import { defineStore, type RetryPolicy, type StoreContext } from "@zs/core";
import * as z from "zod";
import { createSdkSecretsClient, type AzureClientSettings, type AzureSecretsClient } from "./azure-secrets-client.js";
import { AzureValuesStore } from "./azure-values-store.js";

/** Per-request timeout of the SDK client, so a hung connection becomes a retry, not a hang. */
const REQUEST_TIMEOUT_MS = 10000;
/** A delete or recovery finishes in the background, usually within a second or two: poll for it at this pace… */
const POLL_INTERVAL_MS = 250;
/** …and no longer than this. */
const MAX_POLL_MS = 10000;

/** A switch given as `true`/`false` (YAML) or as text (`ZS_SECRETS_STORE_<OPTION>=true`, also 1/0, yes/no, on/off). */
const flag = z.union([z.boolean(), z.stringbool({ error: "must be true or false" })]);

/** Options of the `azure` store, each set with `ZS_SECRETS_STORE_<OPTION>`. */
export const azureStoreOptionsSchema = z
  .strictObject({
    /** The vault, e.g. `https://my-vault.vault.azure.net`. */
    vault_url: z.url({ protocol: /^https$/, error: "must be an https:// URL" }),
    /** Directory (tenant) id; with `client_id` and `client_secret`, replaces `DefaultAzureCredential`. */
    tenant_id: z.string().min(1).optional(),
    /** Application (client) id of the app registration. */
    client_id: z.string().min(1).optional(),
    /** A client secret of the app registration. */
    client_secret: z.string().min(1).optional(),
    /** Entra ID host for sovereign clouds, Azure Stack or a local emulator. @default https://login.microsoftonline.com */
    authority_host: z.url({ protocol: /^https$/, error: "must be an https:// URL" }).optional(),
    /** Skip Entra ID instance discovery (needed for authorities it does not know, such as Azure Stack). @default false */
    disable_instance_discovery: flag.default(false),
    /** Accept a bearer challenge whose resource is not the vault's domain (vaults outside `*.vault.azure.net`). @default false */
    disable_challenge_resource_verification: flag.default(false),
    /** Purge each secret right after soft-deleting it. @default true */
    purge_on_delete: flag.default(true),
  })
  .refine((o) => [o.tenant_id, o.client_id, o.client_secret].every((v) => v === undefined) || [o.tenant_id, o.client_id, o.client_secret].every((v) => v !== undefined), {
    message: "tenant_id, client_id and client_secret must be set together (or none, for DefaultAzureCredential)",
    path: ["client_secret"],
  });

/** Options of the `azure` store, as validated. */
export type AzureStoreOptions = z.output<typeof azureStoreOptionsSchema>;

/** What tests and embedders may swap in; a configured store uses neither. */
export interface AzureStoreOverrides {
  client?: AzureSecretsClient;
  retry?: RetryPolicy;
}

/** Where and as whom the SDK client of an `azure` store (or import source) talks, from the options. */
export function azureClientSettings(options: AzureStoreOptions): AzureClientSettings {
  return {
    vaultUrl: options.vault_url.replace(/\/+$/, ""),
    clientSecret:
      options.tenant_id && options.client_id && options.client_secret
        ? { tenantId: options.tenant_id, clientId: options.client_id, clientSecret: options.client_secret }
        : undefined,
    authorityHost: options.authority_host?.replace(/\/+$/, ""),
    disableInstanceDiscovery: options.disable_instance_discovery,
    disableChallengeResourceVerification: options.disable_challenge_resource_verification,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    pollIntervalMs: POLL_INTERVAL_MS,
    maxPollMs: MAX_POLL_MS,
  };
}

/** Creates an `azure` store; the SDK is imported here, not when this module loads. */
export async function createAzureValuesStore(
  options: AzureStoreOptions,
  context: StoreContext,
  overrides: AzureStoreOverrides = {},
): Promise<AzureValuesStore> {
  const client = overrides.client ?? (await createSdkSecretsClient(azureClientSettings(options)));
  return new AzureValuesStore(client, context, {
    purgeOnDelete: options.purge_on_delete,
    ...(overrides.retry ? { retry: overrides.retry } : {}),
  });
}

/** The `azure` values store: Azure Key Vault secrets. */
export const azureStoreDefinition = defineStore<AzureStoreOptions>({
  apiVersion: 1,
  type: "azure",
  optionsSchema: azureStoreOptionsSchema,
  create: (options, context) => createAzureValuesStore(options, context),
});
