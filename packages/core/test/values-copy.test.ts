import { describe, expect, it } from "@jest/globals";
import { copySecretValues, type SecretValues, type SecretValuesStore } from "../src/index.js";

/** A values store in a Map, whose reads may be made to answer something else (`readBackAs`). */
class MapStore implements SecretValuesStore {
  readonly type = "map";
  readonly capabilities = { maxValueBytes: 65536 };
  readonly values = new Map<string, SecretValues>();
  /** Called before each read: another writer's chance to change what the read finds. */
  beforeRead: ((store: MapStore, secretId: string) => void) | undefined;

  async putValues(secretId: string, values: SecretValues): Promise<void> {
    this.values.set(secretId, values);
  }
  async getValues(secretId: string): Promise<SecretValues | undefined> {
    this.beforeRead?.(this, secretId);
    return this.values.get(secretId);
  }
  async deleteValues(secretId: string): Promise<boolean> {
    return this.values.delete(secretId);
  }
}

const SECRET = { id: "6f1c2a4e-8d3b-4f5a-9c7e-1b2d3e4f5a6b", version: 1 };

describe("copying values between stores, each read back", () => {
  it("a write landing between the put and the read back (a migration's writers write to its target too) is copied over again, not a failure", async () => {
    const source = new MapStore();
    const target = new MapStore();
    await source.putValues(SECRET.id, { k: "from-source" });
    let interfered = 0;
    target.beforeRead = (store, secretId) => {
      if (interfered++ === 0) store.values.set(secretId, { k: "from-a-concurrent-write" });
    };
    const summary = await copySecretValues(source, target, [SECRET], { mode: "overwrite" });
    expect(summary).toEqual({ copied: 1, verified: 1, skipped: 0, failed: 0, failures: [] });
    expect(target.values.get(SECRET.id)).toEqual({ k: "from-source" });
  });

  it("a target that never gives back what was written fails the secret, saying so without a value", async () => {
    const source = new MapStore();
    const target = new MapStore();
    await source.putValues(SECRET.id, { k: "from-source" });
    target.beforeRead = (store, secretId) => store.values.set(secretId, { k: "garbled" });
    const summary = await copySecretValues(source, target, [SECRET], { mode: "overwrite" });
    expect(summary).toEqual({
      copied: 1,
      verified: 0,
      skipped: 0,
      failed: 1,
      failures: [{ secretId: SECRET.id, reason: "what the 'map' store gave back differs from what was written" }],
    });
    expect(JSON.stringify(summary)).not.toContain("from-source");
  });
});
