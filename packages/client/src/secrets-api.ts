import type { SecretsService } from "@zs/core";

/**
 * What a `Client` asks of a store: `SecretsService` itself in local mode, the same methods
 * over HTTP in remote mode.
 */
export type SecretsApi = Pick<
  SecretsService,
  | "createSecret"
  | "getSecret"
  | "findSecret"
  | "listSecrets"
  | "updateSecret"
  | "replaceSecretValues"
  | "deleteSecret"
  | "listSecretHistory"
  | "getSecretVersion"
  | "rollbackSecret"
  | "listWorkspaces"
  | "createWorkspace"
  | "deleteWorkspace"
  | "listUsers"
  | "deleteUser"
>;
