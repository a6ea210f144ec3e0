import { readFile, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "@jest/globals";
import { request } from "./support/http-client.js";
import { SERVER_BIN, startServerProcess } from "./support/server-process.js";

// The real server bundle with the default sql store, under the CLI tests' loader hook that
// records every module loaded: neither a loaded file nor any source bundled into a loaded
// chunk (dist/meta.json) may belong to a cloud SDK or a cloud store.
const RECORDER = pathToFileURL(path.join(__dirname, "..", "..", "cli", "test", "support", "record-loads.mjs")).href;
const CLOUD = /(@aws-sdk|@smithy|@google-cloud|google-gax|@grpc|@azure|node-vault)\/|packages\/store-(aws|gcp|azure|vault)\//;

/** Starts the bundle with `env`, runs `work` against it, stops it; every file it loaded, and the sources bundled in its loaded chunks. */
async function recordLoads(env: Record<string, string>, work: (url: string) => Promise<void> = async () => undefined) {
  const dir = await mkdtemp(path.join(os.tmpdir(), "zs-server-loads-"));
  try {
    const record = path.join(dir, "loads.txt");
    const server = await startServerProcess({ ZS_DATA_DIR: dir, ZS_ADMIN_PASSWORD: "admin-password-1", ZS_RECORD_LOADS: record, NODE_OPTIONS: `--import ${RECORDER}`, ...env });
    await work(server.url);
    server.child.kill("SIGTERM");
    await server.exited;
    const files = (await readFile(record, "utf8")).split("\n").filter(Boolean).map((entry) => (entry.startsWith("file:") ? fileURLToPath(entry) : entry));
    const dist = path.dirname(SERVER_BIN);
    const meta = JSON.parse(await readFile(path.join(dist, "meta.json"), "utf8")) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
    const chunks = files.filter((file) => file.startsWith(dist + path.sep) && file.endsWith(".js")).map((file) => `dist/${path.relative(dist, file)}`);
    return { files: files.map((file) => file.split(path.sep).join("/")), chunks, bundled: chunks.flatMap((chunk) => Object.keys(meta.outputs[chunk]?.inputs ?? {})) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("zs-server with the sql store", () => {
  let loads: Awaited<ReturnType<typeof recordLoads>>;

  beforeAll(async () => {
    loads = await recordLoads({}, async (url) => {
      const token = (await request(url, "POST", "/api/v1/login", { body: { username: "admin", password: "admin-password-1" } })).json.access_token;
      await request(url, "POST", "/api/v1/secrets", { token, body: { name: "db", values: { k: "loads-value-1" } } });
      expect((await request(url, "GET", "/api/v1/secrets/db", { token })).status).toBe(200);
    });
  });

  it("loads no cloud SDK file", () => {
    expect(loads.files.length).toBeGreaterThan(10);
    expect(loads.files.filter((file) => CLOUD.test(file))).toEqual([]);
  });

  it("loads no chunk that bundles a cloud SDK or cloud store", () => {
    expect(loads.chunks).toContain("dist/zs-server.js");
    expect(loads.bundled.length).toBeGreaterThan(10);
    expect(loads.bundled.filter((input) => CLOUD.test(input))).toEqual([]);
  });
});

describe("the recording sees a cloud store when one is configured", () => {
  it("with ZS_SECRETS_STORE_TYPE=vault the vault store and node-vault load", async () => {
    const loads = await recordLoads({ ZS_SECRETS_STORE_TYPE: "vault", ZS_SECRETS_STORE_VAULT_ADDR: "http://127.0.0.1:9", ZS_SECRETS_STORE_VAULT_TOKEN: "test-token-1" });
    expect(loads.bundled.some((input) => /packages\/store-vault\//.test(input))).toBe(true);
    expect([...loads.files, ...loads.bundled].some((entry) => /node-vault\//.test(entry))).toBe(true);
  });
});
