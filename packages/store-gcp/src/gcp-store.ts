import { defineStore, type RetryPolicy, type StoreContext } from "@zs/core";
import * as z from "zod";
import { resolveCredentialsFile } from "./credentials-file.js";
import { createSdkSecretsClient, type GcpSecretsClient } from "./gcp-secrets-client.js";
import { GcpValuesStore } from "./gcp-values-store.js";

/** Per-call deadline of the SDK client, so a hung connection becomes a retry, not a hang. */
const REQUEST_TIMEOUT_MS = 10000;

const HOST = String.raw`(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)`;

/** Options of the `gcp` store, each set with `ZS_SECRETS_STORE_<OPTION>`. */
export const gcpStoreOptionsSchema = z
  .strictObject({
    /** The project the secrets live in: its id (e.g. `acme-prod`) or its number. */
    project_id: z
      .string()
      .regex(
        /^(?:(?:[a-z0-9-]+\.)+[a-z]{2,}:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$|^[1-9]\d*$/,
        "must be a project id (6 to 30 lowercase letters, digits and hyphens, starting with a letter) or a project number",
      ),
    /** `host` or `host:port` of the service, for private or regional endpoints (TLS). @default secretmanager.googleapis.com:443 */
    api_endpoint: z
      .string()
      .regex(new RegExp(`^${HOST}(?::\\d{1,5})?$`), "must be a host name, optionally with :port, without a scheme (e.g. secretmanager.googleapis.com)")
      .optional(),
    /** A credentials JSON file (service account key, workload identity federation…), relative to the configuration's directory. @default Application Default Credentials */
    credentials_file: z.string().min(1).optional(),
    /** `host:port` of a local emulator: plaintext gRPC, no credentials, as GCP's `*_EMULATOR_HOST` variables mean. @default none */
    emulator_host: z
      .string()
      .regex(new RegExp(`^${HOST}:\\d{1,5}$`), "must be host:port, e.g. 127.0.0.1:8085")
      .optional(),
  })
  .refine((o) => o.emulator_host === undefined || (o.api_endpoint === undefined && o.credentials_file === undefined), {
    message: "talks plaintext gRPC without credentials; it cannot be combined with api_endpoint or credentials_file",
    path: ["emulator_host"],
  });

/** Options of the `gcp` store, as validated. */
export type GcpStoreOptions = z.infer<typeof gcpStoreOptionsSchema>;

/** What tests and embedders may swap in; a configured store uses none of them. */
export interface GcpStoreOverrides {
  client?: GcpSecretsClient;
  retry?: RetryPolicy;
  /** Per-call deadline in ms. @default 10000 */
  requestTimeoutMs?: number;
}

/** Creates a `gcp` store; the SDK is imported here, not when this module loads. */
export async function createGcpValuesStore(
  options: GcpStoreOptions,
  context: StoreContext,
  overrides: GcpStoreOverrides = {},
): Promise<GcpValuesStore> {
  const client =
    overrides.client ??
    (await createSdkSecretsClient({
      emulatorHost: options.emulator_host,
      apiEndpoint: options.api_endpoint,
      keyFilename: options.credentials_file ? await resolveCredentialsFile(options.credentials_file, context.configDir) : undefined,
      requestTimeoutMs: overrides.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
    }));
  return new GcpValuesStore(client, context, { projectId: options.project_id, ...(overrides.retry ? { retry: overrides.retry } : {}) });
}

/** The `gcp` values store: Google Cloud Secret Manager. */
export const gcpStoreDefinition = defineStore<GcpStoreOptions>({
  apiVersion: 1,
  type: "gcp",
  optionsSchema: gcpStoreOptionsSchema,
  create: (options, context) => createGcpValuesStore(options, context),
});

export default gcpStoreDefinition;
