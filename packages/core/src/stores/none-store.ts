import * as z from "zod";
import { ZsError } from "../errors.js";
import { LIMITS } from "../limits.js";
import { STORE_API_VERSION, defineStore, type SecretValuesStore } from "./values-store.js";

function disabled(): never {
  throw new ZsError("SECRETS_STORE_DISABLED", "Secrets are disabled on this deployment (ZS_SECRETS_STORE_TYPE=none).");
}

/** Store type `none`: every secrets operation fails with `SECRETS_STORE_DISABLED`. */
export const noneStore = defineStore({
  apiVersion: STORE_API_VERSION,
  type: "none",
  optionsSchema: z.strictObject({}),
  async create(): Promise<SecretValuesStore> {
    return {
      type: "none",
      capabilities: { maxValueBytes: LIMITS.maxSecretBytes },
      putValues: async () => disabled(),
      getValues: async () => disabled(),
      deleteValues: async () => disabled(),
    };
  },
});
