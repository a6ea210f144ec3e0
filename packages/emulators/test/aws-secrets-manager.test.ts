process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
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
    expect(emulator.calls).toEqual({ CreateSecret: 1, PutSecretValue: 1, GetSecretValue: 2, DescribeSecret: 1, DeleteSecret: 1 });
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
});
