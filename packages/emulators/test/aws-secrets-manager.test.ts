process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
  paginateListSecrets,
} from "@aws-sdk/client-secrets-manager";
import { startAwsSecretsManagerEmulator, type AwsSecretsManagerEmulator } from "../src/index.js";

let emulator: AwsSecretsManagerEmulator;
let client: SecretsManagerClient;

beforeAll(async () => {
  emulator = await startAwsSecretsManagerEmulator({ accessKeyIds: ["AKIDEXAMPLE"] });
  client = new SecretsManagerClient({
    endpoint: emulator.endpoint,
    region: "eu-west-1",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client?.destroy();
  await emulator?.close();
});

describe("AWS Secrets Manager emulator", () => {
  it("create, put, get, describe and force-delete round-trip through the real SDK, counted per operation", async () => {
    emulator.reset();
    const name = `zs/${randomUUID()}`;
    await client.send(new CreateSecretCommand({ Name: name, SecretString: '{"a":"1"}', Tags: [{ Key: "zs-deployment", Value: "d1" }] }));
    await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: '{"a":"2"}' }));
    expect((await client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe('{"a":"2"}');
    expect((await client.send(new DescribeSecretCommand({ SecretId: name }))).Tags).toEqual([{ Key: "zs-deployment", Value: "d1" }]);
    await client.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));
    const missing = await client.send(new GetSecretValueCommand({ SecretId: name })).catch((e: Error) => e);
    expect((missing as Error).name).toBe("ResourceNotFoundException");
    expect(emulator.calls).toEqual({ CreateSecret: 1, PutSecretValue: 1, GetSecretValue: 2, DescribeSecret: 1, DeleteSecret: 1, ListSecrets: 0, UpdateSecretVersionStage: 0, ListSecretVersionIds: 0 });
  });

  it("ListSecrets pages through every secret, oldest first, with NextToken; the SDK's paginator follows it", async () => {
    emulator.reset();
    const names = Array.from({ length: 230 }, (_, i) => `list/${String(i).padStart(3, "0")}`);
    for (const name of names) await client.send(new CreateSecretCommand({ Name: name, SecretString: "v" }));
    const first = await client.send(new ListSecretsCommand({}));
    expect(first.SecretList).toHaveLength(100);
    expect(first.SecretList?.[0]).toMatchObject({ Name: "list/000", ARN: expect.stringContaining(":secret:list/000-") });
    expect(first.SecretList?.[0]).not.toHaveProperty("SecretString");
    const listed: string[] = [];
    for await (const page of paginateListSecrets({ client }, { MaxResults: 50 })) listed.push(...(page.SecretList ?? []).map((s) => s.Name ?? ""));
    expect(listed).toEqual(names);
    expect(emulator.calls.ListSecrets).toBe(6);
    const invalid = await client.send(new ListSecretsCommand({ NextToken: "bogus" })).catch((e: Error) => e);
    expect((invalid as Error).name).toBe("InvalidNextTokenException");
  });

  it("ListSecrets filters: name and tag-key are case-sensitive prefix matches, '!' negates, filters combine with and", async () => {
    emulator.reset();
    await client.send(new CreateSecretCommand({ Name: "prod/db", SecretString: "v", Tags: [{ Key: "zs-deployment", Value: "d" }] }));
    await client.send(new CreateSecretCommand({ Name: "prod/api", SecretString: "v", Tags: [{ Key: "team", Value: "x" }] }));
    await client.send(new CreateSecretCommand({ Name: "Prod/other", SecretString: "v" }));
    const names = async (Filters: { Key: "name" | "tag-key"; Values: string[] }[]) =>
      ((await client.send(new ListSecretsCommand({ Filters }))).SecretList ?? []).map((s) => s.Name);
    expect(await names([{ Key: "name", Values: ["prod/"] }])).toEqual(["prod/db", "prod/api"]);
    expect(await names([{ Key: "tag-key", Values: ["zs-"] }])).toEqual(["prod/db"]);
    expect(await names([{ Key: "name", Values: ["prod/"] }, { Key: "tag-key", Values: ["!zs-"] }])).toEqual(["prod/api"]);
    expect((await client.send(new ListSecretsCommand({ Filters: [{ Key: "name", Values: ["prod/db"] }] }))).SecretList?.[0]?.Tags).toEqual([
      { Key: "zs-deployment", Value: "d" },
    ]);
  });

  it("a second create of the same name fails with ResourceExistsException", async () => {
    const name = `zs/${randomUUID()}`;
    await client.send(new CreateSecretCommand({ Name: name, SecretString: "x" }));
    const error = await client.send(new CreateSecretCommand({ Name: name, SecretString: "y" })).catch((e: Error) => e);
    expect((error as Error).name).toBe("ResourceExistsException");
  });

  it("injected throttling, 5xx and dropped connections reach the SDK as the service's errors", async () => {
    const name = `zs/${randomUUID()}`;
    emulator.faults.throttleNext = 1;
    const throttled = await client.send(new GetSecretValueCommand({ SecretId: name })).catch((e: Error) => e);
    expect((throttled as Error).name).toBe("ThrottlingException");
    emulator.faults.failNext = 1;
    const failed = (await client.send(new GetSecretValueCommand({ SecretId: name })).catch((e: unknown) => e)) as {
      name: string;
      $metadata: { httpStatusCode?: number };
    };
    expect(failed.name).toBe("InternalServiceError");
    expect(failed.$metadata.httpStatusCode).toBe(500);
    emulator.faults.dropNext = 1;
    const dropped = await client.send(new GetSecretValueCommand({ SecretId: name })).catch((e: Error) => e);
    expect(dropped).toBeInstanceOf(Error);
    const after = await client.send(new GetSecretValueCommand({ SecretId: name })).catch((e: Error) => e);
    expect((after as Error).name).toBe("ResourceNotFoundException");
  });

  it("added latency delays the answer", async () => {
    emulator.faults.latencyMs = 150;
    const started = Date.now();
    await client.send(new GetSecretValueCommand({ SecretId: "absent" })).catch(() => undefined);
    emulator.faults.latencyMs = 0;
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("an unknown access key id is refused with UnrecognizedClientException", async () => {
    const stranger = new SecretsManagerClient({
      endpoint: emulator.endpoint,
      region: "eu-west-1",
      credentials: { accessKeyId: "AKIDSTRANGER", secretAccessKey: "secret" },
      maxAttempts: 1,
    });
    const error = await stranger.send(new GetSecretValueCommand({ SecretId: "x" })).catch((e: Error) => e);
    stranger.destroy();
    expect((error as Error).name).toBe("UnrecognizedClientException");
  });

  describe("versions and staging labels", () => {
    const stagesOf = async (name: string) => {
      const described = await client.send(new DescribeSecretCommand({ SecretId: name }));
      return described.VersionIdsToStages ?? {};
    };

    it("PutSecretValue answers the new VersionId (the ClientRequestToken when given); AWSCURRENT moves, AWSPREVIOUS follows", async () => {
      const name = `zs/${randomUUID()}`;
      const created = await client.send(new CreateSecretCommand({ Name: name, SecretString: "v1" }));
      const token = randomUUID();
      const put = await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: "v2", ClientRequestToken: token }));
      expect(put.VersionId).toBe(token);
      expect(put.VersionStages).toEqual(["AWSCURRENT"]);
      expect(await stagesOf(name)).toEqual({ [created.VersionId!]: ["AWSPREVIOUS"], [token]: ["AWSCURRENT"] });
      const third = await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: "v3" }));
      // The first version lost its last label: deprecated, so DescribeSecret no longer lists it.
      expect(await stagesOf(name)).toEqual({ [token]: ["AWSPREVIOUS"], [third.VersionId!]: ["AWSCURRENT"] });
      expect((await client.send(new GetSecretValueCommand({ SecretId: name, VersionId: created.VersionId }))).SecretString).toBe("v1");
      expect((await client.send(new GetSecretValueCommand({ SecretId: name, VersionStage: "AWSPREVIOUS" }))).SecretString).toBe("v2");
      const current = await client.send(new GetSecretValueCommand({ SecretId: name }));
      expect([current.SecretString, current.VersionId, current.VersionStages]).toEqual(["v3", third.VersionId, ["AWSCURRENT"]]);
    });

    it("the same ClientRequestToken and value again is the same version; with another value it is refused", async () => {
      const name = `zs/${randomUUID()}`;
      await client.send(new CreateSecretCommand({ Name: name, SecretString: "v1" }));
      const token = randomUUID();
      await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: "v2", ClientRequestToken: token }));
      const again = await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: "v2", ClientRequestToken: token }));
      expect(again.VersionId).toBe(token);
      const versions = await client.send(new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true }));
      expect(versions.Versions).toHaveLength(2);
      await expect(client.send(new PutSecretValueCommand({ SecretId: name, SecretString: "other", ClientRequestToken: token }))).rejects.toMatchObject({
        name: "ResourceExistsException",
      });
    });

    it("PutSecretValue with VersionStages attaches them; labels are unique per secret and move on attach", async () => {
      const name = `zs/${randomUUID()}`;
      await client.send(new CreateSecretCommand({ Name: name, SecretString: "v1" }));
      const second = await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: "v2", VersionStages: ["AWSCURRENT", "mine"] }));
      expect(second.VersionStages).toEqual(["AWSCURRENT", "mine"]);
      const third = await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: "v3", VersionStages: ["AWSCURRENT", "mine"] }));
      expect(await stagesOf(name)).toEqual({ [second.VersionId!]: ["AWSPREVIOUS"], [third.VersionId!]: ["AWSCURRENT", "mine"] });
      expect((await client.send(new GetSecretValueCommand({ SecretId: name, VersionStage: "mine" }))).SecretString).toBe("v3");
    });

    it("UpdateSecretVersionStage adds, moves (naming the version it leaves) and removes labels; AWSCURRENT cannot be removed", async () => {
      const name = `zs/${randomUUID()}`;
      const first = await client.send(new CreateSecretCommand({ Name: name, SecretString: "v1" }));
      const second = await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: "v2" }));
      await client.send(new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: "keep", MoveToVersionId: first.VersionId }));
      await expect(
        client.send(new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: "keep", MoveToVersionId: second.VersionId })),
      ).rejects.toMatchObject({ name: "InvalidParameterException" });
      await client.send(
        new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: "keep", MoveToVersionId: second.VersionId, RemoveFromVersionId: first.VersionId }),
      );
      expect(await stagesOf(name)).toEqual({ [first.VersionId!]: ["AWSPREVIOUS"], [second.VersionId!]: ["AWSCURRENT", "keep"] });
      await client.send(new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: "keep", RemoveFromVersionId: second.VersionId }));
      expect(await stagesOf(name)).toEqual({ [first.VersionId!]: ["AWSPREVIOUS"], [second.VersionId!]: ["AWSCURRENT"] });
      await expect(
        client.send(new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: "AWSCURRENT", RemoveFromVersionId: second.VersionId })),
      ).rejects.toMatchObject({ name: "InvalidParameterException" });
      await expect(
        client.send(new GetSecretValueCommand({ SecretId: name, VersionStage: "keep" })),
      ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    });

    it("at most 20 staging labels per secret: one more is LimitExceededException", async () => {
      const name = `zs/${randomUUID()}`;
      const first = await client.send(new CreateSecretCommand({ Name: name, SecretString: "v1" }));
      for (let i = 1; i < 20; i++) await client.send(new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: `l${i}`, MoveToVersionId: first.VersionId }));
      await expect(
        client.send(new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: "l20", MoveToVersionId: first.VersionId })),
      ).rejects.toMatchObject({ name: "LimitExceededException" });
    });

    it("versions without a label are removed once a secret has more than 100; labelled ones stay, whatever their age", async () => {
      const name = `zs/${randomUUID()}`;
      const first = await client.send(new CreateSecretCommand({ Name: name, SecretString: "v0" }));
      await client.send(new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: "pinned", MoveToVersionId: first.VersionId }));
      const ids: string[] = [];
      for (let i = 1; i <= 105; i++) ids.push((await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: `v${i}` }))).VersionId!);
      const listed = await client.send(new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true, MaxResults: 100 }));
      expect(listed.NextToken).toBeUndefined();
      const all = (listed.Versions ?? []).map((v) => v.VersionId);
      expect(all).toHaveLength(100);
      expect(all).toContain(first.VersionId);
      // Newest first; the oldest unlabelled ones went.
      expect(all[0]).toBe(ids[104]);
      expect(all).not.toContain(ids[0]);
      await expect(client.send(new GetSecretValueCommand({ SecretId: name, VersionId: ids[0] }))).rejects.toMatchObject({ name: "ResourceNotFoundException" });
      expect((await client.send(new GetSecretValueCommand({ SecretId: name, VersionId: first.VersionId }))).SecretString).toBe("v0");
      const labelled = await client.send(new ListSecretVersionIdsCommand({ SecretId: name }));
      expect(labelled.Versions?.map((v) => v.VersionStages)).toEqual([["AWSCURRENT"], ["AWSPREVIOUS"], ["pinned"]]);
    });
  });
});
