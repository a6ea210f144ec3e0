import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);
const storeEntry = path.resolve(__dirname, "../src/index.ts");
const tsxLoader = createRequire(path.resolve(__dirname, "../../../package.json")).resolve("tsx");

// A resolve hook, registered after tsx's, records every module specifier to a file; the
// script reads that file after each step, so the order is exact.
const probe = `
import { register } from "node:module";
import { readFileSync } from "node:fs";
const log = process.env.ZS_PROBE_LOG;
register("data:text/javascript," + encodeURIComponent(\`
import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  appendFileSync(\${JSON.stringify(log)}, specifier + "\\\\n");
  return next(specifier, context);
}\`));
const sdkLoaded = () => readFileSync(log, "utf8").split("\\n").some((s) => /^(@google-cloud\\/|google-gax|@grpc\\/)/.test(s));
const steps = {};
const mod = await import(process.argv[2]);
steps.afterImport = sdkLoaded();
const options = mod.default.optionsSchema.parse({ project_id: "zs-lazy-test", emulator_host: "127.0.0.1:9" });
steps.afterParse = sdkLoaded();
const store = await mod.default.create(options, { deploymentId: "d", configDir: ".", logger: { debug() {}, info() {}, warn() {}, error() {} } });
steps.afterCreate = sdkLoaded();
await store.close();
process.stdout.write(JSON.stringify(steps));
`;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "zs-gcp-lazy-"));
  await writeFile(path.join(dir, "probe.mjs"), probe);
  await writeFile(path.join(dir, "resolved.log"), "");
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("gcp store module loading", () => {
  it("importing the store definition and parsing options loads neither the SDK, google-gax nor grpc-js; creating the store does", async () => {
    const { stdout } = await execFileAsync(
      process.execPath,
      ["--conditions=source", "--import", tsxLoader, path.join(dir, "probe.mjs"), storeEntry],
      { env: { ...process.env, ZS_PROBE_LOG: path.join(dir, "resolved.log"), METADATA_SERVER_DETECTION: "none" } },
    );
    expect(JSON.parse(stdout)).toEqual({ afterImport: false, afterParse: false, afterCreate: true });
  });
});
