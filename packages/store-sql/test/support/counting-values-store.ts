import type { SecretValuesStore } from "@zs/core";

/** A values store that counts its reads: proof that validation reads none and resolution one per secret. */
export interface CountingValuesStore extends SecretValuesStore {
  /** `getValues` calls so far. */
  reads: number;
}

/** Wraps `store`, counting every `getValues`. */
export function countingReads(store: SecretValuesStore): CountingValuesStore {
  return {
    type: store.type,
    capabilities: store.capabilities,
    reads: 0,
    getValues(id) {
      this.reads += 1;
      return store.getValues(id);
    },
    putValues: (id, values, hint) => store.putValues(id, values, hint),
    deleteValues: (id) => store.deleteValues(id),
    close: () => store.close?.() ?? Promise.resolve(),
  };
}
