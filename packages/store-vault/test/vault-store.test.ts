import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { isZsError, type SecretValuesStore } from "@zs/core";
import { startVaultEmulator, type VaultEmulator, type VaultKvOperation } from "@zs/emulators";
import nodeVault from "node-vault";
import { createVaultStore } from "./support/vault-test-store.js";

async function failure(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isZsError(error)) throw new Error(`expected a ZsError, got ${String(error)}`);
  return { code: error.code, message: error.message };
}

describe("vault values store against the KV v2 emulator", () => {
  let emulator: VaultEmulator;
  let store: SecretValuesStore;
  let raw: nodeVault.client;
  const deploymentId = randomUUID();

  /** Calls made by `run`, per operation. */
  async function callsDuring(run: () => Promise<unknown>): Promise<Partial<Record<VaultKvOperation, number>>> {
    const before = { ...emulator.calls };
    await run();
    const made: Partial<Record<VaultKvOperation, number>> = {};
    for (const [operation, count] of Object.entries(emulator.calls) as [VaultKvOperation, number][]) {
      if (count !== before[operation]) made[operation] = count - before[operation];
    }
    return made;
  }

  /** `GET /v1/secret/data/zs/<id>` over plain HTTP, as `vault kv get` or any other client reads it. */
  async function rawRead(id: string): Promise<{ status: number; data?: Record<string, unknown> | null; metadata?: { version: number; custom_metadata: Record<string, string> | null } }> {
    const response = await fetch(`${emulator.address}/v1/secret/data/zs/${id}`, { headers: { "X-Vault-Token": emulator.token } });
    const body = (await response.json()) as { data?: { data: Record<string, unknown> | null; metadata: { version: number; custom_metadata: Record<string, string> | null } } };
    return { status: response.status, ...body.data };
  }

  /** A path exactly as the store wrote it before one field per key: the envelope as data, no custom_metadata. */
  async function plantLegacy(id: string, values: Record<string, string>, owner = deploymentId): Promise<void> {
    await raw.write(`secret/data/zs/${id}`, { data: { values: JSON.stringify(values), "zs-deployment": owner } });
  }

  beforeAll(async () => {
    emulator = await startVaultEmulator();
    store = await createVaultStore({ vault_addr: emulator.address, vault_token: emulator.token }, deploymentId);
    raw = nodeVault({ endpoint: emulator.address, token: emulator.token });
  });

  beforeEach(() => {
    emulator.faults.failNext(0);
    emulator.faults.dropNext(0);
    emulator.faults.setLatency(0);
  });

  afterAll(async () => {
    await store.close?.();
    await emulator.close();
  });

  describe("options", () => {
    it("an unknown option is refused naming the allowed ones", async () => {
      const error = await failure(createVaultStore({ vault_addr: emulator.address, vault_token: "t", region: "x" }));
      expect(error.code).toBe("CONFIGURATION_ERROR");
      expect(error.message).toContain("vault_addr, vault_token, vault_namespace, mount_point");
    });

    it("vault_addr and vault_token are required and reported together", async () => {
      const error = await failure(createVaultStore({}));
      expect(error.message).toContain("vault_addr");
      expect(error.message).toContain("vault_token");
    });

    it("a mount_point that is not a KV mount is a clear configuration error", async () => {
      const other = await createVaultStore({ vault_addr: emulator.address, vault_token: emulator.token, mount_point: "nope" });
      const error = await failure(other.getValues(randomUUID()));
      expect(error.code).toBe("CONFIGURATION_ERROR");
      expect(error.message).toMatch(/^vault: .*mount_point/);
    });
  });

  describe("layout", () => {
    it("the data at secret/data/zs/<id> is exactly the values, one field per key; custom_metadata names the deployment and the secret id", async () => {
      for (const hint of [undefined, { isNew: true }]) {
        const id = randomUUID();
        await store.putValues(id, { user: "admin", password: "pw" }, hint);
        const read = await rawRead(id);
        expect(read).toMatchObject({ status: 200, data: { user: "admin", password: "pw" }, metadata: { version: 1 } });
        expect(read.metadata?.custom_metadata).toEqual({ "zs-deployment": deploymentId, "zs-secret-id": id });
        // What `vault kv get -field=password secret/zs/<id>` prints.
        expect((await raw.read(`secret/data/zs/${id}`)).data.data.password).toBe("pw");
      }
    });

    it("an update writes the new values as fields and keeps the tags", async () => {
      const id = randomUUID();
      await store.putValues(id, { user: "admin", password: "pw" }, { isNew: true });
      await store.putValues(id, { user: "root" }, { isNew: false });
      expect(await rawRead(id)).toMatchObject({
        data: { user: "root" },
        metadata: { version: 2, custom_metadata: { "zs-deployment": deploymentId, "zs-secret-id": id } },
      });
    });

    it("a path in the legacy envelope is read in one call; the next put rewrites it as fields and tags it", async () => {
      const id = randomUUID();
      await plantLegacy(id, { user: "admin", password: "old" });
      expect(await callsDuring(async () => expect(await store.getValues(id)).toEqual({ user: "admin", password: "old" }))).toEqual({ readData: 1 });
      expect(await callsDuring(() => store.putValues(id, { user: "admin", password: "new" }))).toEqual({ readData: 1, writeData: 1, writeMetadata: 1 });
      expect(await rawRead(id)).toMatchObject({
        data: { user: "admin", password: "new" },
        metadata: { version: 2, custom_metadata: { "zs-deployment": deploymentId, "zs-secret-id": id } },
      });
      expect(await store.getValues(id)).toEqual({ user: "admin", password: "new" });
    });

    it("tagging a legacy path keeps custom_metadata someone else put there", async () => {
      const id = randomUUID();
      await plantLegacy(id, { k: "old" });
      await raw.write(`secret/metadata/zs/${id}`, { custom_metadata: { team: "payments" } });
      expect(await store.getValues(id)).toEqual({ k: "old" });
      await store.putValues(id, { k: "new" });
      expect((await rawRead(id)).metadata?.custom_metadata).toEqual({ team: "payments", "zs-deployment": deploymentId, "zs-secret-id": id });
    });

    it("values whose keys are exactly the legacy envelope's round-trip as they are, since the path is tagged", async () => {
      const lookalikes: Record<string, string>[] = [
        { values: JSON.stringify({ user: "admin" }), "zs-deployment": deploymentId },
        { values: "{}", "zs-deployment": randomUUID() },
        { values: JSON.stringify({ user: "admin" }), "zs-deployment": deploymentId, extra: "x" },
      ];
      for (const [n, values] of lookalikes.entries()) {
        const id = randomUUID();
        await store.putValues(id, values, n === 0 ? { isNew: true } : undefined);
        expect(await store.getValues(id)).toEqual(values);
        expect((await rawRead(id)).data).toEqual(values);
        await store.putValues(id, values, { isNew: false });
        expect(await store.getValues(id)).toEqual(values);
      }
    });

    it("a path with fields but no tag (written by hand, or a put whose tag was lost) reads as its fields and is adopted by the next put", async () => {
      const id = randomUUID();
      await raw.write(`secret/data/zs/${id}`, { data: { k: "by hand" } });
      expect(await store.getValues(id)).toEqual({ k: "by hand" });
      await store.putValues(id, { k: "zs" });
      expect(await rawRead(id)).toMatchObject({ data: { k: "zs" }, metadata: { custom_metadata: { "zs-deployment": deploymentId } } });
    });

    it("when the tag cannot be written after the data, the put stands, a warning says so without the value, and the next put tags the path", async () => {
      const value = `sekrit-${randomUUID()}`;
      const logged: { level: string; object: Record<string, unknown>; message?: string | undefined }[] = [];
      const entry = (level: string) => (object: Record<string, unknown>, message?: string) => void logged.push({ level, object, message });
      const logger = { debug: entry("debug"), info: entry("info"), warn: entry("warn"), error: entry("error") };
      const logging = await createVaultStore({ vault_addr: emulator.address, vault_token: emulator.token }, deploymentId, logger);
      const id = randomUUID();
      emulator.faults.failNext(100, 503, "writeMetadata");
      await logging.putValues(id, { password: value }, { isNew: true });
      emulator.faults.failNext(0);
      expect(await rawRead(id)).toMatchObject({ data: { password: value }, metadata: { custom_metadata: null } });
      expect(logged.filter((l) => l.level === "warn").map((l) => [l.message, l.object.operation])).toEqual([["values written, deployment tag not", "writeMetadata"]]);
      expect(JSON.stringify(logged)).not.toContain(value);
      await logging.putValues(id, { password: "next" });
      expect((await rawRead(id)).metadata?.custom_metadata).toEqual({ "zs-deployment": deploymentId, "zs-secret-id": id });
    });

    it("each put writes a new version with check-and-set", async () => {
      const id = randomUUID();
      await store.putValues(id, { k: "1" });
      await store.putValues(id, { k: "2" });
      expect((await raw.read(`secret/data/zs/${id}`)).data.metadata.version).toBe(2);
    });

    it("a soft-deleted object reads as absent and can be written again", async () => {
      const id = randomUUID();
      await store.putValues(id, { k: "1" });
      await raw.delete(`secret/data/zs/${id}`);
      expect(await store.getValues(id)).toBeUndefined();
      await store.putValues(id, { k: "2" });
      expect(await store.getValues(id)).toEqual({ k: "2" });
    });

    it("concurrent puts to one id all succeed through check-and-set retries; one of them wins", async () => {
      const id = randomUUID();
      await Promise.all([1, 2, 3].map((n) => store.putValues(id, { n: String(n) })));
      expect(["1", "2", "3"]).toContain((await store.getValues(id))?.n);
    });
  });

  describe("calls per operation", () => {
    it("get makes one call", async () => {
      const id = randomUUID();
      await store.putValues(id, { k: "v" });
      expect(await callsDuring(() => store.getValues(id))).toEqual({ readData: 1 });
    });

    it("put reads the version and writes with check-and-set; a path not tagged yet is tagged after its data", async () => {
      const id = randomUUID();
      expect(await callsDuring(() => store.putValues(id, { k: "new" }))).toEqual({ readData: 1, writeData: 1, writeMetadata: 1 });
      expect(await callsDuring(() => store.putValues(id, { k: "again" }))).toEqual({ readData: 1, writeData: 1 });
    });

    it("a put hinted new makes two calls, a write with check-and-set 0 and the tag; one hinted existing the same two as an unhinted put", async () => {
      const id = randomUUID();
      expect(await callsDuring(() => store.putValues(id, { k: "new" }, { isNew: true }))).toEqual({ writeData: 1, writeMetadata: 1 });
      expect(await callsDuring(() => store.putValues(id, { k: "again" }, { isNew: false }))).toEqual({ readData: 1, writeData: 1 });
      expect(await store.getValues(id)).toEqual({ k: "again" });
    });

    it("a put hinted new on an id this deployment already holds loses the check-and-set, then overwrites it through the checked round", async () => {
      const id = randomUUID();
      await store.putValues(id, { k: "old" });
      expect(await callsDuring(() => store.putValues(id, { k: "new" }, { isNew: true }))).toEqual({ writeData: 2, readData: 1 });
      expect(await store.getValues(id)).toEqual({ k: "new" });
    });

    it("delete reads the tag, then deletes every version; an absent id costs one call", async () => {
      const id = randomUUID();
      await store.putValues(id, { k: "v" });
      expect(await callsDuring(() => store.deleteValues(id))).toEqual({ readData: 1, deleteMetadata: 1 });
      expect(await callsDuring(() => store.deleteValues(id))).toEqual({ readData: 1 });
    });

    it("a values map over 64 KiB is refused with SECRET_TOO_LARGE before any call", async () => {
      let error: { code?: string; message: string } | undefined;
      const calls = await callsDuring(async () => {
        error = await failure(store.putValues(randomUUID(), { big: "x".repeat(65536) }));
      });
      expect(error?.code).toBe("SECRET_TOO_LARGE");
      expect(calls).toEqual({});
    });
  });

  describe("faults", () => {
    it("a 503 is retried and the call succeeds", async () => {
      const id = randomUUID();
      await store.putValues(id, { k: "v" });
      emulator.faults.failNext(2, 503);
      expect(await store.getValues(id)).toEqual({ k: "v" });
    });

    it("a dropped connection during a put is retried and the put lands", async () => {
      const id = randomUUID();
      emulator.faults.dropNext(1);
      await store.putValues(id, { k: "v" });
      expect(await store.getValues(id)).toEqual({ k: "v" });
    });

    it("persistent 5xx becomes BACKEND_UNAVAILABLE after a bounded number of attempts, without the value", async () => {
      const value = `sekrit-${randomUUID()}`;
      emulator.faults.failNext(100, 500);
      let error: { code?: string; message: string } | undefined;
      const calls = await callsDuring(async () => {
        error = await failure(store.putValues(randomUUID(), { password: value }));
      });
      expect(error?.code).toBe("BACKEND_UNAVAILABLE");
      expect(error?.message).toMatch(/^vault: .*unavailable after 4 attempt/);
      expect(error?.message).not.toContain(value);
      expect(calls).toEqual({ readData: 4 });
    });

    it("each retry is logged at debug level with the operation, path, attempt and status, never the value", async () => {
      const value = `sekrit-${randomUUID()}`;
      const logged: { level: string; object: Record<string, unknown> }[] = [];
      const entry = (level: string) => (object: Record<string, unknown>) => void logged.push({ level, object });
      const logger = { debug: entry("debug"), info: entry("info"), warn: entry("warn"), error: entry("error") };
      const logging = await createVaultStore({ vault_addr: emulator.address, vault_token: emulator.token }, deploymentId, logger);
      const id = randomUUID();
      emulator.faults.failNext(2, 503);
      await logging.putValues(id, { password: value });
      expect(logged.map((l) => [l.level, l.object.store, l.object.operation, l.object.objectName, l.object.attempt, l.object.error])).toEqual([
        ["debug", "vault", "readData", `secret/data/zs/${id}`, 1, "status 503"],
        ["debug", "vault", "readData", `secret/data/zs/${id}`, 2, "status 503"],
      ]);
      expect(JSON.stringify(logged)).not.toContain(value);
    });

    it("an unreachable address becomes BACKEND_UNAVAILABLE", async () => {
      const gone = await startVaultEmulator();
      await gone.close();
      const unreachable = await createVaultStore({ vault_addr: gone.address, vault_token: "t" });
      expect((await failure(unreachable.getValues(randomUUID()))).code).toBe("BACKEND_UNAVAILABLE");
    });

    it("a vault_addr with user-info is shown without it in every error message", async () => {
      const password = `addr-pw-${randomUUID()}`;
      const withCredentials = (address: string) => address.replace("://", `://zsuser:${password}@`);
      const gone = await startVaultEmulator();
      await gone.close();
      const unreachable = await createVaultStore({ vault_addr: withCredentials(gone.address), vault_token: "t" });
      const wrongToken = await createVaultStore({ vault_addr: withCredentials(emulator.address), vault_token: "not-the-token" });
      const errors = [await failure(unreachable.getValues(randomUUID())), await failure(wrongToken.getValues(randomUUID())), await failure(wrongToken.check!())];
      expect(errors.map((e) => e.code)).toEqual(["BACKEND_UNAVAILABLE", "CONFIGURATION_ERROR", "CONFIGURATION_ERROR"]);
      for (const error of errors) {
        expect(error.message).not.toContain(password);
        expect(error.message).not.toContain("zsuser");
      }
      expect(errors[0]!.message).toContain(` at ${gone.address}`);
    });

    it("a bad token is a clear configuration error, not retried", async () => {
      const wrong = await createVaultStore({ vault_addr: emulator.address, vault_token: "not-the-token" });
      let error: { code?: string; message: string } | undefined;
      const calls = await callsDuring(async () => {
        error = await failure(wrong.getValues(randomUUID()));
      });
      expect(error?.code).toBe("CONFIGURATION_ERROR");
      expect(error?.message).toMatch(/^vault: permission denied .*vault_token/);
      expect(calls).toEqual({ readData: 1 });
      expect((await failure(wrong.check!())).code).toBe("CONFIGURATION_ERROR");
    });
  });

  describe("deployments", () => {
    it("another deployment's path: a get reads it in one call; a put, hinted or not, or a delete is refused and changes nothing", async () => {
      const id = randomUUID();
      const otherDeployment = randomUUID();
      const other = await createVaultStore({ vault_addr: emulator.address, vault_token: emulator.token }, otherDeployment);
      await other.putValues(id, { owner: "other" });
      const before = await rawRead(id);
      expect(await callsDuring(async () => expect(await store.getValues(id)).toEqual({ owner: "other" }))).toEqual({ readData: 1 });
      const refusals = await callsDuring(async () => {
        for (const [attempt, action] of [
          [() => store.putValues(id, { owner: "me" }), "overwrite"],
          [() => store.putValues(id, { owner: "me" }, { isNew: false }), "overwrite"],
          [() => store.deleteValues(id), "delete"],
        ] as const) {
          const error = await failure(attempt());
          expect(error.code).toBe("CONFIGURATION_ERROR");
          expect(error.message).toContain(`belongs to another zs deployment (its 'zs-deployment' is ${otherDeployment}, not ${deploymentId}); refusing to ${action} it`);
        }
      });
      expect(refusals).toEqual({ readData: 3 });
      expect(await rawRead(id)).toEqual(before);
    });

    it("another deployment's path in the legacy envelope: a put or delete is refused and changes nothing", async () => {
      const id = randomUUID();
      const otherDeployment = randomUUID();
      await plantLegacy(id, { owner: "other" }, otherDeployment);
      const before = await rawRead(id);
      expect(await store.getValues(id)).toEqual({ owner: "other" });
      for (const attempt of [() => store.putValues(id, { owner: "me" }), () => store.deleteValues(id)]) {
        expect((await failure(attempt())).message).toContain(`its 'zs-deployment' is ${otherDeployment}`);
      }
      expect(await rawRead(id)).toEqual(before);
    });

    it("a put hinted new on another deployment's object is refused as an unhinted one is, and the object kept", async () => {
      const id = randomUUID();
      const other = await createVaultStore({ vault_addr: emulator.address, vault_token: emulator.token });
      await other.putValues(id, { owner: "other" });
      const before = await rawRead(id);
      const error = await failure(store.putValues(id, { owner: "me" }, { isNew: true }));
      expect(error.code).toBe("CONFIGURATION_ERROR");
      expect(error.message).toContain("another zs deployment");
      expect(await rawRead(id)).toEqual(before);
    });
  });

  describe("versions (KV v2 versions, max_versions on zs's own paths)", () => {
    const backendVersionOf = (result: unknown) => (result as { backendVersion: string }).backendVersion;

    it("versioned puts set the path's max_versions to keep + 1 and record it in custom_metadata; the kept versions read back, older ones are gone", async () => {
      const id = randomUUID();
      const written: string[] = [];
      for (let version = 1; version <= 4; version++) {
        written.push(backendVersionOf(await store.putValues(id, { n: String(version) }, version === 1 ? { isNew: true } : undefined, { version, keep: 2 })));
      }
      expect(written.map((v) => v.split(":").slice(0, 2).join(":"))).toEqual(["vault:1", "vault:2", "vault:3", "vault:4"]);
      expect(await Promise.all(written.map((backendVersion) => store.getValues(id, { backendVersion })))).toEqual([undefined, { n: "2" }, { n: "3" }, { n: "4" }]);
      const metadata = await raw.read(`secret/metadata/zs/${id}`);
      expect([metadata.data.max_versions, metadata.data.oldest_version, metadata.data.custom_metadata["zs-max-versions"]]).toEqual([3, 2, "3"]);
      expect(metadata.data.custom_metadata["zs-deployment"]).toBe(deploymentId);
    });

    it("calls: a versioned put is readData + writeData once the retention is recorded; a changed retention adds one writeMetadata before the data; a version read is one readData", async () => {
      const id = randomUUID();
      expect(await callsDuring(() => store.putValues(id, { n: "1" }, { isNew: true }, { version: 1, keep: 10 }))).toEqual({ writeData: 1, writeMetadata: 1 });
      let second: unknown;
      expect(
        await callsDuring(async () => {
          second = await store.putValues(id, { n: "2" }, undefined, { version: 2, keep: 10 });
        }),
      ).toEqual({ readData: 1, writeData: 1 });
      expect(await callsDuring(() => store.putValues(id, { n: "3" }, undefined, { version: 3, keep: 0 }))).toEqual({ readData: 1, writeMetadata: 1, writeData: 1 });
      // keep 0 was set before the write: the write itself left only its own version.
      expect(await store.getValues(id, { backendVersion: backendVersionOf(second) })).toBeUndefined();
      expect(await callsDuring(() => store.getValues(id, { backendVersion: backendVersionOf(second) }))).toEqual({ readData: 1 });
    });

    it("the first versioned put onto a path written without versions (a copy) prunes by its retention in that same write", async () => {
      const id = randomUUID();
      for (let i = 1; i <= 5; i++) await store.putValues(id, { n: `copy ${i}` });
      const result = await store.putValues(id, { n: "6" }, undefined, { version: 6, keep: 1 });
      const metadata = await raw.read(`secret/metadata/zs/${id}`);
      expect(Object.keys(metadata.data.versions).sort()).toEqual(["5", "6"]);
      expect(await store.getValues(id, { backendVersion: backendVersionOf(result) })).toEqual({ n: "6" });
      // A later put without a version keeps the recorded retention as it is.
      await store.putValues(id, { n: "copy 7" });
      expect((await raw.read(`secret/metadata/zs/${id}`)).data.max_versions).toBe(2);
    });

    it("a backendVersion of a path deleted and written again, or another store's, reads as absent", async () => {
      const id = randomUUID();
      const first = backendVersionOf(await store.putValues(id, { n: "old" }, undefined, { version: 1, keep: 10 }));
      await store.deleteValues(id);
      const again = backendVersionOf(await store.putValues(id, { n: "new" }, undefined, { version: 1, keep: 10 }));
      expect(first.split(":")[1]).toBe(again.split(":")[1]);
      expect(await store.getValues(id, { backendVersion: first })).toBeUndefined();
      expect(await store.getValues(id, { backendVersion: again })).toEqual({ n: "new" });
      expect(await callsDuring(async () => expect(await store.getValues(id, { backendVersion: "gcp:1:1.000000000" })).toBeUndefined())).toEqual({});
    });

    it("a mount whose own max_versions is larger keeps that many: Vault takes the larger, and the store never reconfigures the mount", async () => {
      const mountWide = await startVaultEmulator({ mountMaxVersions: 5 });
      const wide = await createVaultStore({ vault_addr: mountWide.address, vault_token: mountWide.token }, deploymentId);
      try {
        const id = randomUUID();
        const written: string[] = [];
        for (let version = 1; version <= 3; version++) written.push(backendVersionOf(await wide.putValues(id, { n: String(version) }, undefined, { version, keep: 0 })));
        expect(await wide.getValues(id, { backendVersion: written[0]! })).toEqual({ n: "1" });
      } finally {
        await wide.close?.();
        await mountWide.close();
      }
    });
  });
});
