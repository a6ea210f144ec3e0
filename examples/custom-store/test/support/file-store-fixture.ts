import { randomUUID } from "node:crypto";
import { StoreRegistry, silentLogger, type SecretValuesStore } from "@zs/core";
import fileStore from "../../src/index.js";

/**
 * Creates a `file` store the way zs does: the registry validates the options, given as
 * strings exactly as `ZS_SECRETS_STORE_<OPTION>` would give them, then calls `create`.
 */
export function createFileStore(
  options: Record<string, string>,
  configDir: string,
  deploymentId: string = randomUUID(),
): Promise<SecretValuesStore> {
  return new StoreRegistry({ file: async () => fileStore }).create("file", options, { deploymentId, logger: silentLogger, configDir });
}
