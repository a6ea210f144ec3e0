process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
// No credential lookup happens with emulator_host; this only keeps a mistake from probing GCE.
process.env.METADATA_SERVER_DETECTION = "none";

import {
  assertTrustedByThisProcess,
  loadTestCertificateAuthority,
  startAwsSecretsManagerEmulator,
  startAzureKeyVaultEmulator,
  startGcpSecretManagerEmulator,
  startVaultEmulator,
} from "@zs/emulators";

// Each cloud values store's emulator, started and driven the way the server tests need:
// the settings that point a store at it, its credentials, its call counts and its faults.

/** A cloud store's emulator, as these tests drive it. */
export interface CloudBackend {
  /** The `ZS_SECRETS_STORE_*` settings that point the store at the emulator. */
  env: Record<string, string>;
  /** The credentials among them: the server must never log one. */
  credentials: string[];
  /** Calls received so far, per operation (Azure's token requests included). */
  calls(): Readonly<Record<string, number>>;
  /** The operation that reads a secret's values. */
  readOperation: string;
  /** What the store's write costs when core creates a secret (a put hinted new). */
  createCalls: Record<string, number>;
  /** What the store's write costs when core updates one (a put hinted existing), core's own read apart. */
  updateWriteCalls: Record<string, number>;
  /** Makes every call answer a 5xx until `heal`. */
  failEveryCall(): void;
  /**
   * Makes the calls that write values answer a 5xx until `heal`: the operations singled out,
   * or `undefined` when the emulator cannot single them out and every call fails instead.
   */
  failValueWrites(): string[] | undefined;
  heal(): void;
  close(): Promise<void>;
}

/** More failures than any retry policy makes attempts: a fault that lasts until it is cleared. */
const PERSISTENT = Number.MAX_SAFE_INTEGER;

async function awsBackend(): Promise<CloudBackend> {
  const emulator = await startAwsSecretsManagerEmulator();
  const credentials = { accessKeyId: "AKIAZSSERVERTEST0001", secretAccessKey: "zs-server-test-aws-secret-access-key" };
  return {
    env: {
      ZS_SECRETS_STORE_REGION: "eu-west-1",
      ZS_SECRETS_STORE_ENDPOINT: emulator.endpoint,
      ZS_SECRETS_STORE_ACCESS_KEY_ID: credentials.accessKeyId,
      ZS_SECRETS_STORE_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      // The emulator has no quota: the default (40 writes a second, for the real service) would only slow the tests.
      ZS_SECRETS_STORE_MAX_WRITES_PER_SECOND: "100000",
    },
    credentials: [credentials.secretAccessKey],
    calls: () => emulator.calls,
    readOperation: "GetSecretValue",
    // CreateSecret only creates, so a new id needs no DescribeSecret; PutSecretValue overwrites anything, so an update does.
    createCalls: { CreateSecret: 1, UpdateSecretVersionStage: 1 },
    updateWriteCalls: { DescribeSecret: 1, PutSecretValue: 1 },
    failEveryCall: () => void (emulator.faults.failNext = PERSISTENT),
    // A put describes the secret before it creates or writes it, and every call counts down alike.
    failValueWrites: () => {
      emulator.faults.failNext = PERSISTENT;
      return undefined;
    },
    heal: () => void (emulator.faults.failNext = 0),
    close: () => emulator.close(),
  };
}

async function vaultBackend(): Promise<CloudBackend> {
  const emulator = await startVaultEmulator();
  return {
    env: { ZS_SECRETS_STORE_VAULT_ADDR: emulator.address, ZS_SECRETS_STORE_VAULT_TOKEN: emulator.token },
    credentials: [emulator.token],
    calls: () => emulator.calls,
    readOperation: "readData",
    // A check-and-set 0 write only creates, then the path is tagged (custom_metadata); an update
    // needs the current version for its check-and-set, and finds the tag in place.
    createCalls: { writeData: 1, writeMetadata: 1 },
    updateWriteCalls: { readData: 1, writeData: 1 },
    failEveryCall: () => emulator.faults.failNext(PERSISTENT, 503),
    // A put reads the version it then writes with check-and-set, and every request counts down alike.
    failValueWrites: () => {
      emulator.faults.failNext(PERSISTENT, 503);
      return undefined;
    },
    heal: () => emulator.faults.failNext(0),
    close: () => emulator.close(),
  };
}

async function gcpBackend(): Promise<CloudBackend> {
  const emulator = await startGcpSecretManagerEmulator();
  return {
    env: { ZS_SECRETS_STORE_PROJECT_ID: "zs-server-test", ZS_SECRETS_STORE_EMULATOR_HOST: emulator.host },
    credentials: [],
    calls: () => emulator.calls,
    readOperation: "AccessSecretVersion",
    // CreateSecret labels what it creates; an update checks the labels (the payload names no owner),
    // adds the new version and destroys the one before it.
    createCalls: { CreateSecret: 1, AddSecretVersion: 1 },
    updateWriteCalls: { GetSecret: 1, AddSecretVersion: 1 },
    // UNAVAILABLE (14), what gRPC calls a 503.
    failEveryCall: () => Object.assign(emulator.faults, { unavailableNext: PERSISTENT, methods: undefined }),
    failValueWrites: () => {
      // The secret itself is created; adding the version that holds the values fails.
      Object.assign(emulator.faults, { unavailableNext: PERSISTENT, methods: ["AddSecretVersion"] });
      return ["AddSecretVersion"];
    },
    heal: () => Object.assign(emulator.faults, { unavailableNext: 0, methods: undefined }),
    close: () => emulator.close(),
  };
}

async function azureBackend(): Promise<CloudBackend> {
  const client = { clientId: "7a1c9e42-0b3d-4f85-a6e2-95d8c3b1f047", clientSecret: "zs-server-test-azure-client-secret" };
  const emulator = await startAzureKeyVaultEmulator({ certificateAuthority: await loadTestCertificateAuthority(), clients: [client] });
  await assertTrustedByThisProcess(emulator.vaultUrl);
  return {
    env: {
      ZS_SECRETS_STORE_VAULT_URL: emulator.vaultUrl,
      ZS_SECRETS_STORE_AUTHORITY_HOST: emulator.authorityHost,
      ZS_SECRETS_STORE_TENANT_ID: emulator.tenantId,
      ZS_SECRETS_STORE_CLIENT_ID: client.clientId,
      ZS_SECRETS_STORE_CLIENT_SECRET: client.clientSecret,
      ZS_SECRETS_STORE_DISABLE_INSTANCE_DISCOVERY: "true",
      ZS_SECRETS_STORE_DISABLE_CHALLENGE_RESOURCE_VERIFICATION: "true",
    },
    credentials: [client.clientSecret],
    calls: () => ({ ...emulator.calls, Token: emulator.authCalls.token }),
    readOperation: "GetSecret",
    // SetSecret creates or overwrites, so every write checks the owner first.
    createCalls: { GetSecret: 1, SetSecret: 1 },
    updateWriteCalls: { GetSecret: 1, SetSecret: 1 },
    failEveryCall: () => Object.assign(emulator.faults, { failNext: PERSISTENT, onlyOperation: undefined }),
    failValueWrites: () => {
      Object.assign(emulator.faults, { failNext: PERSISTENT, onlyOperation: "SetSecret" });
      return ["SetSecret"];
    },
    heal: () => Object.assign(emulator.faults, { failNext: 0, onlyOperation: undefined }),
    close: () => emulator.close(),
  };
}

export const CLOUD_BACKENDS: [string, () => Promise<CloudBackend>][] = [
  ["aws", awsBackend],
  ["vault", vaultBackend],
  ["gcp", gcpBackend],
  ["azure", azureBackend],
];

/** A backend's settings as a store's options (`ZS_SECRETS_STORE_REGION` → `region`). */
export function storeOptionsOf(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([name, value]) => [name.replace(/^ZS_SECRETS_STORE_/, "").toLowerCase(), value]));
}
