// Run by credential-lookup.test.ts in a plain Node process (under jest, gaxios cannot load
// its fetch, so a metadata-server probe would fail before reaching the network and prove
// nothing). google-auth-library may look for credentials as in production, but the
// metadata server it would ask is a local one that counts the requests and knows nothing.
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { silentLogger } from "@zs/core";
import { startGcpSecretManagerEmulator } from "@zs/emulators";
import { createGcpValuesStore } from "../../src/index.js";

let lookups = 0;
const metadataServer = http.createServer((_req, res) => {
  lookups += 1;
  res.writeHead(404).end();
});
await new Promise<void>((resolve) => metadataServer.listen(0, "127.0.0.1", resolve));
process.env.GCE_METADATA_HOST = `127.0.0.1:${(metadataServer.address() as AddressInfo).port}`;
const emulator = await startGcpSecretManagerEmulator();
const context = { deploymentId: randomUUID(), logger: silentLogger, configDir: process.cwd() };
const fast = { retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, requestTimeoutMs: 2000 };

const viaEmulatorHost = await createGcpValuesStore({ project_id: "zs-probe", emulator_host: emulator.host }, context, fast);
const secretId = randomUUID();
await viaEmulatorHost.putValues(secretId, { k: "v" });
const roundTrip = (await viaEmulatorHost.getValues(secretId))?.k === "v";
await viaEmulatorHost.close();
const emulatorHostLookups = lookups;

const viaDefaultCredentials = await createGcpValuesStore({ project_id: "zs-probe", api_endpoint: emulator.host }, context, fast);
const error = (await viaDefaultCredentials.getValues(randomUUID()).catch((e: unknown) => e)) as { code?: string; message?: string };
await viaDefaultCredentials.close();
// A stray rejection of the SDK's would surface now and end this process with an error.
await new Promise((resolve) => setTimeout(resolve, 100));

await emulator.close();
metadataServer.close();
process.stdout.write(
  JSON.stringify({ emulatorHostLookups, roundTrip, defaultCredentialsLookups: lookups - emulatorHostLookups, error: { code: error?.code, message: error?.message } }),
);
