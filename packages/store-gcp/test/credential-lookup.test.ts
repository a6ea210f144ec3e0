import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);
const tsxLoader = createRequire(path.resolve(__dirname, "../../../package.json")).resolve("tsx");
let gcloudConfig: string;

beforeAll(async () => {
  gcloudConfig = await mkdtemp(path.join(os.tmpdir(), "zs-gcp-gcloud-"));
});

afterAll(async () => {
  if (gcloudConfig) await rm(gcloudConfig, { recursive: true, force: true });
});

describe("gcp store credentials", () => {
  it("with emulator_host no credentials are looked for and no metadata server is probed; without it ADC is, and finding none is a CONFIGURATION_ERROR", async () => {
    const { METADATA_SERVER_DETECTION: _detection, GOOGLE_APPLICATION_CREDENTIALS: _adc, ...env } = process.env;
    const { stdout } = await execFileAsync(
      process.execPath,
      ["--conditions=source", "--import", tsxLoader, path.join(__dirname, "support", "credential-lookup-probe.ts")],
      // An empty gcloud configuration: no application_default_credentials.json to find.
      { env: { ...env, CLOUDSDK_CONFIG: gcloudConfig }, cwd: path.resolve(__dirname, "..") },
    );
    const outcome = JSON.parse(stdout) as {
      emulatorHostLookups: number;
      roundTrip: boolean;
      defaultCredentialsLookups: number;
      error: { code?: string; message?: string };
    };
    expect(outcome.roundTrip).toBe(true);
    expect(outcome.emulatorHostLookups).toBe(0);
    // The same probe does see a lookup, so the zero above means something.
    expect(outcome.defaultCredentialsLookups).toBeGreaterThan(0);
    expect(outcome.error.code).toBe("CONFIGURATION_ERROR");
    expect(outcome.error.message).toMatch(/^gcp: Secret Manager could not authenticate AccessSecretVersion: Could not load the default credentials.*credentials_file/);
  });
});
