import { defineStore, type RetryPolicy, type StoreContext } from "@zs/core";
import * as z from "zod";
import { clientSettingsOf, createSdkSecretsClient, type AwsSecretsClient } from "./aws-secrets-client.js";
import { AwsValuesStore } from "./aws-values-store.js";

export type {
  AwsClientSettings,
  AwsListPage,
  AwsPutOptions,
  AwsSecretDescription,
  AwsSecretList,
  AwsSecretValue,
  AwsSecretVersion,
  AwsSecretsClient,
  AwsTag,
} from "./aws-secrets-client.js";
export { AWS_MAX_KEPT_VERSIONS, AwsValuesStore, DEPLOYMENT_TAG, SECRET_ID_TAG, type AwsValuesStoreSettings } from "./aws-values-store.js";
export { awsImportSource } from "./aws-import-source.js";

/** Options of the `aws` store, each set with `ZS_SECRETS_STORE_<OPTION>`. */
export const awsStoreOptionsSchema = z
  .strictObject({
    /** AWS region, e.g. `eu-west-1`. @default the AWS default chain (`AWS_REGION`, profile) */
    region: z.string().min(1).optional(),
    /** Service endpoint URL, for VPC endpoints, FIPS endpoints or a local emulator. @default the region's */
    endpoint: z.url().optional(),
    /** Prepended to the secret id to name the AWS secret. @default "zs/" */
    prefix: z
      .string()
      .regex(/^[A-Za-z0-9/_+=.@-]*$/, "may contain only letters, digits and / _ + = . @ -")
      .max(256)
      .default("zs/"),
    /** Access key id; with `secret_access_key`, replaces the AWS default credential chain. */
    access_key_id: z.string().min(1).optional(),
    /** Secret access key, paired with `access_key_id`. */
    secret_access_key: z.string().min(1).optional(),
    /**
     * Write calls (CreateSecret, PutSecretValue, UpdateSecretVersionStage, DeleteSecret) a second, at most: under the
     * service's quota of 50 for a region and account, with room for other clients. Raise it for
     * an emulator or a raised quota. @default 40
     */
    max_writes_per_second: z
      .string()
      .regex(/^[1-9][0-9]{0,5}$/, "must be a whole number of calls a second, 1 or more")
      .transform(Number)
      .default(40),
  })
  .refine((o) => (o.access_key_id === undefined) === (o.secret_access_key === undefined), {
    message: "access_key_id and secret_access_key must be set together",
    path: ["secret_access_key"],
  });

/** Options of the `aws` store, as validated. */
export type AwsStoreOptions = z.infer<typeof awsStoreOptionsSchema>;

/** What tests and embedders may swap in; a configured store uses neither. */
export interface AwsStoreOverrides {
  client?: AwsSecretsClient;
  retry?: RetryPolicy;
}

/** Creates an `aws` store; the SDK is imported here, not when this module loads. */
export async function createAwsValuesStore(
  options: AwsStoreOptions,
  context: StoreContext,
  overrides: AwsStoreOverrides = {},
): Promise<AwsValuesStore> {
  const client = overrides.client ?? (await createSdkSecretsClient(clientSettingsOf(options)));
  return new AwsValuesStore(client, context, { prefix: options.prefix, ...(overrides.retry ? { retry: overrides.retry } : {}) });
}

/** The `aws` values store: AWS Secrets Manager. */
export const awsStore = defineStore<AwsStoreOptions>({
  apiVersion: 1,
  type: "aws",
  optionsSchema: awsStoreOptionsSchema,
  create: (options, context) => createAwsValuesStore(options, context),
});

export default awsStore;
