import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { SecretManagerServiceClient } from "@google-cloud/secret-manager";
import { grpc } from "google-gax";
import { startGcpSecretManagerEmulator, type GcpSecretManagerEmulator, type GcpSecretManagerOperation, withCallCounts } from "@zs/emulators";
import { expectError, uniqueName, useZsHarness, type WirePage, type WireSecret, type ZsResult } from "./support/zs-process.js";

// The built `zs` with its values in GCP Secret Manager: the metadata stays in the local SQLite
// store, each secret's values go to the gRPC emulator through @zs/store-gcp and the GCP client,
// which the bundle loads from node_modules (google-gax reads its .proto files from there),
// configured only through the ordinary ZS_SECRETS_STORE_* variables.

const PROJECT_ID = "zs-cli-test";

describe("zs with ZS_SECRETS_STORE_TYPE=gcp, against the Secret Manager gRPC emulator", () => {
  const zs = useZsHarness();
  let emulator: GcpSecretManagerEmulator;
  let inspector: SecretManagerServiceClient;
  let gcpEnv: Record<string, string>;

  beforeAll(async () => {
    emulator = await startGcpSecretManagerEmulator();
    // Reads what zs wrote, straight from the emulator, as the real client would.
    inspector = new SecretManagerServiceClient({
      apiEndpoint: "127.0.0.1",
      port: emulator.port,
      sslCreds: grpc.credentials.createInsecure(),
      universeDomain: "googleapis.com",
    });
    gcpEnv = {
      ZS_SECRETS_STORE_TYPE: "gcp",
      ZS_SECRETS_STORE_PROJECT_ID: PROJECT_ID,
      ZS_SECRETS_STORE_EMULATOR_HOST: emulator.host,
      // No credential lookup happens with emulator_host; this only keeps a mistake from probing GCE.
      METADATA_SERVER_DETECTION: "none",
    };
  });
  afterAll(async () => {
    await inspector?.close();
    await emulator?.close();
  });
  beforeEach(() => {
    emulator.faults.failNext = 0;
    emulator.faults.throttleNext = 0;
  });

  /** Runs `zs ARGS` on the gcp store; resolves with its result and the emulator calls it made, per method. */
  function gcpRun(args: string[], extraEnv: Record<string, string> = {}): Promise<{ result: ZsResult; calls: Partial<Record<GcpSecretManagerOperation, number>> }> {
    return withCallCounts(() => emulator.calls, () => zs.run(args, { env: { ...gcpEnv, ...extraEnv } }));
  }

  /** The latest version's payload and the labels of a secret's GCP secret, or the gRPC code when there is none. */
  async function gcpSecret(secretId: string): Promise<{ labels: Record<string, string>; payload: unknown } | number> {
    const name = `projects/${PROJECT_ID}/secrets/zs-${secretId}`;
    try {
      const [secret] = await inspector.getSecret({ name });
      const [version] = await inspector.accessSecretVersion({ name: `${name}/versions/latest` });
      return { labels: { ...secret.labels }, payload: JSON.parse(Buffer.from(version.payload?.data ?? "").toString("utf8")) };
    } catch (error) {
      return (error as { code: number }).code;
    }
  }

  it("create, get, list and delete work end to end; the values live in Secret Manager, not in the local database", async () => {
    const name = uniqueName("db");
    const password = `pw-${uniqueName()}`;

    const created = await gcpRun(["secret", "create", name, "--user=admin", `--password=${password}`]);
    expect(created.result).toMatchObject({ code: 0, stderr: "" });
    expect(created.result.stdout).toContain(`Secret '${name}' created.`);
    // zs hints a create as new: CreateSecret straight away, no GetSecret first.
    expect(created.calls).toEqual({ CreateSecret: 1, AddSecretVersion: 1 });

    const got = await gcpRun(["secret", "get", name, "-o", "json"]);
    expect(got.result).toMatchObject({ code: 0, stderr: "" });
    const secret = JSON.parse(got.result.stdout) as WireSecret;
    expect(secret.values).toEqual({ user: "admin", password });
    expect(got.calls).toEqual({ AccessSecretVersion: 1 });

    const stored = await gcpSecret(secret.id);
    // The payload is exactly the values; the deployment is a label.
    expect(stored).toEqual({ labels: { "zs-secret-id": secret.id, "zs-deployment": expect.stringMatching(/^[0-9a-f-]{36}$/) }, payload: { user: "admin", password } });
    expect(await readFile(path.join(zs.home!, "zs.db"))).not.toContain(Buffer.from(password));

    const listed = await gcpRun(["secret", "list", "-o", "json"]);
    expect(listed.result).toMatchObject({ code: 0, stderr: "" });
    expect((JSON.parse(listed.result.stdout) as WirePage<WireSecret>).items.map((item) => item.name)).toContain(name);
    expect(listed.calls).toEqual({});

    // A delete is soft: the values stay in the backend, untouched, until the recovery window ends.
    const softDeleted = await gcpRun(["secret", "delete", name, "--yes"]);
    expect(softDeleted.result).toMatchObject({ code: 0, stderr: "" });
    expect(softDeleted.calls).toEqual({});
    expect(await gcpSecret(secret.id)).toEqual(stored);
    expect((await gcpRun(["secret", "get", name])).result.code).toBe(1);
    const recovered = await gcpRun(["secret", "recover", name]);
    expect(recovered.result).toMatchObject({ code: 0, stderr: "" });
    expect(recovered.calls).toEqual({});
    expect(JSON.parse((await gcpRun(["secret", "get", name, "-o", "json"])).result.stdout).values).toEqual({ user: "admin", password });

    const deleted = await gcpRun(["secret", "delete", name, "--purge", "--yes"]);
    expect(deleted.result).toMatchObject({ code: 0, stderr: "" });
    expect(deleted.calls).toEqual({ GetSecret: 1, DeleteSecret: 1 });
    expect(await gcpSecret(secret.id)).toBe(grpc.status.NOT_FOUND);
    const gone = await gcpRun(["secret", "get", name]);
    expect(gone.result.code).toBe(1);
    expect(gone.calls).toEqual({});
  });

  it("zs status names the gcp store and its capabilities, without calling Secret Manager", async () => {
    const { result, calls } = await gcpRun(["status"]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(/^Store\s+gcp \(maxValueBytes=65536, versioned=true\)$/m);
    expect(calls).toEqual({});
  });

  it("Secret Manager failing with INTERNAL makes create fail after bounded retries: exit 1, no value printed, no secret left behind", async () => {
    const name = uniqueName("down");
    const password = `pw-${uniqueName()}`;
    emulator.faults.failNext = 1000;
    const { result, calls } = await gcpRun(["secret", "create", name, `--password=${password}`]);
    emulator.faults.failNext = 0;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^Error: gcp: CreateSecret of 'projects/${PROJECT_ID}/secrets/zs-[0-9a-f-]+' failed after 4 attempts: INTERNAL: `));
    expect(result.stdout + result.stderr).not.toContain(password);
    expect(calls).toEqual({ CreateSecret: 4 });
    const listed = await gcpRun(["secret", "list", "-o", "json"]);
    expect((JSON.parse(listed.result.stdout) as WirePage<WireSecret>).items.map((item) => item.name)).not.toContain(name);
  });

  it("an option gcp does not take is a configuration error naming the allowed ones", async () => {
    const { result, calls } = await gcpRun(["secret", "list"], { ZS_SECRETS_STORE_REGION: "eu-west-1" });
    expectError(
      result,
      "Invalid options for values store 'gcp': unknown field 'region'. Allowed options: project_id, api_endpoint, credentials_file, emulator_host. " +
        "Options are set with ZS_SECRETS_STORE_<OPTION>.",
    );
    expect(calls).toEqual({});
  });
});
