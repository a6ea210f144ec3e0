import { defineStore } from "@zs/core";
import * as z from "zod";
import { createNodeVaultClient } from "./vault-kv-client.js";
import { VaultValuesStore } from "./vault-values-store.js";

/** Options of the `vault` store, set as `ZS_SECRETS_STORE_<OPTION>`. */
export const vaultStoreOptionsSchema = z.strictObject({
  /** Vault's address, e.g. `https://vault.example.com:8200`. */
  vault_addr: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }),
  /** The token zs authenticates with (`X-Vault-Token`). */
  vault_token: z.string().min(1),
  /** Vault Enterprise / HCP namespace (`X-Vault-Namespace`). @default none */
  vault_namespace: z.string().min(1).optional(),
  /** Path of the KV version 2 mount; zs never creates or reconfigures it. @default "secret" */
  mount_point: z
    .string()
    .regex(/^[^/]+(\/[^/]+)*$/, "must be a mount path without leading or trailing slashes, e.g. secret or team/kv")
    .default("secret"),
});

/** The `vault` store's options after validation. */
export type VaultStoreOptions = z.output<typeof vaultStoreOptionsSchema>;

/** The `vault` values store: HashiCorp Vault (or OpenBao) KV v2, through node-vault, loaded only when created. */
export const vaultStore = defineStore<VaultStoreOptions>({
  apiVersion: 1,
  type: "vault",
  optionsSchema: vaultStoreOptionsSchema,
  async create(options, context) {
    const address = options.vault_addr.replace(/\/+$/, "");
    const client = await createNodeVaultClient({
      address,
      token: options.vault_token,
      namespace: options.vault_namespace,
      timeoutMs: 10000,
    });
    return new VaultValuesStore({
      client,
      deploymentId: context.deploymentId,
      mountPoint: options.mount_point,
      address,
      logger: context.logger,
    });
  },
});

export default vaultStore;
