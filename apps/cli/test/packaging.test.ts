process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startAwsSecretsManagerEmulator, type AwsSecretsManagerEmulator } from "@zs/emulators";

// The packages as people install them (cli.md "Installing, and scripting with zs"): `pnpm pack`
// tarballs installed with npm outside the repository — a service's project that takes only
// @zs/client and @zs/store-aws, and @zs/cli with @zs/server installed globally into a prefix —
// then used from there.
//
// npm resolves every other dependency from the registry, through the shared npm cache
// (--prefer-offline). sqlite3 is the exception: its install script would compile it again for
// each install (~20 s each, most of this file's time); instead it finds, through
// prebuild-install's per-package local prebuilds setting, the binary the workspace already
// built from the same sqlite3 version on this machine. Everything else in the install is npm's.

const execFileAsync = promisify(execFile);
const ROOT = path.join(__dirname, "..", "..", "..");
const ACCESS_KEY_ID = "AKIAZSPACKAGING00001";

/** The tarballs the service's project installs: the client, what it needs, one cloud store. */
const SERVICE_PACKAGES = ["@zs/core", "@zs/store-sql", "@zs/builtin-stores", "@zs/client", "@zs/store-aws"];
/** The tarballs installed globally: the two commands, which bundle every built-in store. */
const GLOBAL_PACKAGES = ["@zs/cli", "@zs/server"];

/** The child's environment: ours without npm's, pnpm's or zs's settings (`pnpm test` sets npm_*). */
function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const inherited = Object.entries(process.env).filter(
    (entry): entry is [string, string] => entry[1] !== undefined && !/^(npm_|pnpm_|PNPM_|ZS_|XDG_)/i.test(entry[0]),
  );
  return { ...Object.fromEntries(inherited), ...extra };
}

const tarballName = (name: string, version: string) => `${name.slice(1).replace("/", "-")}-${version}.tgz`;

async function versionOf(packageDir: string): Promise<string> {
  return (JSON.parse(await readFile(path.join(packageDir, "package.json"), "utf8")) as { version: string }).version;
}

/** The script the service runs: a secret through the client, as JSON on stdout (or the error). */
const SERVICE_SCRIPT = `
import { Client, isZsError } from "@zs/client";
const client = new Client({ home: process.env.ZS_HOME, env: process.env });
try {
  await client.createSecret("db", { user: "app", password: process.env.SECRET_VALUE });
  const db = await client.getSecret("db");
  const status = await client.status();
  console.log(JSON.stringify({ values: db.values, store: status.store.type, mode: status.mode }));
} catch (error) {
  if (!isZsError(error)) throw error;
  console.log(JSON.stringify({ code: error.code, message: error.message }));
} finally {
  await client.close();
}
`;

describe("the packages, packed and installed with npm outside the repository", () => {
  let tmp: string;
  let emulator: AwsSecretsManagerEmulator;
  let project: string;
  let prefix: string;
  let userHome: string;

  beforeAll(async () => {
    tmp = await realpath(await mkdtemp(path.join(os.tmpdir(), "zs-packaging-")));
    const packs = path.join(tmp, "packs");
    const prebuilds = path.join(tmp, "prebuilds");
    project = path.join(tmp, "service");
    prefix = path.join(tmp, "global");
    userHome = path.join(tmp, "home");
    await Promise.all([packs, prebuilds, project, prefix, userHome].map((dir) => mkdir(dir, { recursive: true })));
    emulator = await startAwsSecretsManagerEmulator({ accessKeyIds: [ACCESS_KEY_ID] });

    // One pnpm run packs them all (`workspace:*` become versions, publishConfig applies).
    const all = [...SERVICE_PACKAGES, ...GLOBAL_PACKAGES];
    await execFileAsync("pnpm", [...all.flatMap((name) => ["--filter", name]), "pack", "--pack-destination", packs], { cwd: ROOT, env: cleanEnv({}) });
    const tarball = async (name: string) => {
      const dir = path.join(ROOT, name === "@zs/cli" || name === "@zs/server" ? "apps" : "packages", name.slice("@zs/".length));
      return path.join(packs, tarballName(name, await versionOf(dir)));
    };

    // The workspace's sqlite3 binary, named as prebuild-install looks for a local prebuild.
    const sqlite3 = await realpath(path.join(ROOT, "packages", "store-sql", "node_modules", "sqlite3"));
    const sqlite3Prebuild = `sqlite3-v${await versionOf(sqlite3)}-napi-v6-${process.platform}-${process.arch}.tar.gz`;
    await execFileAsync("tar", ["czf", path.join(prebuilds, sqlite3Prebuild), "-C", sqlite3, "build/Release/node_sqlite3.node"]);

    const npmEnv = cleanEnv({
      npm_config_sqlite3_local_prebuilds: prebuilds,
      // Should prebuild-install not take it, sqlite3 compiles against the system SQLite when it can.
      ...(existsSync("/usr/include/sqlite3.h") ? { npm_config_sqlite: "/usr" } : {}),
    });
    const npmFlags = ["--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"];
    await writeFile(path.join(project, "package.json"), JSON.stringify({ name: "zs-packaging-service", private: true, type: "module" }));
    await writeFile(path.join(project, "service.mjs"), SERVICE_SCRIPT);
    await Promise.all([
      execFileAsync("npm", ["install", ...npmFlags, ...(await Promise.all(SERVICE_PACKAGES.map(tarball)))], { cwd: project, env: npmEnv }),
      execFileAsync("npm", ["install", "--global", "--prefix", prefix, ...npmFlags, ...(await Promise.all(GLOBAL_PACKAGES.map(tarball)))], { cwd: tmp, env: npmEnv }),
    ]);
  }, 300_000);

  afterAll(async () => {
    await emulator?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  /** Runs `node service.mjs` in the project, a fresh ZS_HOME each time, and parses its JSON line. */
  async function runService(env: Record<string, string>): Promise<Record<string, unknown>> {
    const home = await mkdtemp(path.join(tmp, "zs-home-"));
    const { stdout } = await execFileAsync(process.execPath, ["service.mjs"], {
      cwd: project,
      env: cleanEnv({ HOME: userHome, XDG_CONFIG_HOME: path.join(userHome, ".config"), ZS_HOME: home, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...env }),
    });
    return JSON.parse(stdout) as Record<string, unknown>;
  }

  describe("a service's project with @zs/client and @zs/store-aws", () => {
    it("holds the client, the AWS SDK and no GCP, Azure or Vault SDK or store", () => {
      const modules = path.join(project, "node_modules");
      for (const present of ["@zs/client", "@zs/core", "@zs/store-sql", "@zs/store-aws", "@aws-sdk/client-secrets-manager", "sqlite3/build/Release/node_sqlite3.node"]) {
        expect([present, existsSync(path.join(modules, present))]).toEqual([present, true]);
      }
      for (const absent of ["@google-cloud", "google-gax", "@grpc", "@azure", "node-vault", "@zs/store-gcp", "@zs/store-azure", "@zs/store-vault"]) {
        expect([absent, existsSync(path.join(modules, absent))]).toEqual([absent, false]);
      }
    });

    it("the installed manifests name real versions, Node's engine and exports without the workspace's `source` condition", async () => {
      for (const name of SERVICE_PACKAGES) {
        const text = await readFile(path.join(project, "node_modules", name, "package.json"), "utf8");
        const manifest = JSON.parse(text) as { engines?: { node?: string }; exports: Record<string, Record<string, string>> };
        expect([name, text.includes("workspace:"), manifest.engines?.node]).toEqual([name, false, ">=20.19"]);
        expect([name, manifest.exports["."]]).toEqual([name, { types: "./dist/index.d.ts", default: "./dist/index.js" }]);
      }
    });

    it("stores and reads a secret through the client in local mode", async () => {
      const value = `s3 "cr€t' ${randomBytes(4).toString("hex")}`;
      expect(await runService({ SECRET_VALUE: value })).toEqual({ values: { user: "app", password: value }, store: "sql", mode: "local" });
    });

    it("keeps the values in AWS Secrets Manager (the emulator) through the installed @zs/store-aws", async () => {
      const value = `aws-${randomBytes(6).toString("hex")}`;
      const before = emulator.calls.CreateSecret;
      const result = await runService({
        SECRET_VALUE: value,
        ZS_SECRETS_STORE_TYPE: "aws",
        ZS_SECRETS_STORE_REGION: "eu-west-1",
        ZS_SECRETS_STORE_ENDPOINT: emulator.endpoint,
        ZS_SECRETS_STORE_ACCESS_KEY_ID: ACCESS_KEY_ID,
        ZS_SECRETS_STORE_SECRET_ACCESS_KEY: "zs-packaging-secret-access-key",
        ZS_SECRETS_STORE_MAX_WRITES_PER_SECOND: "1000",
      });
      expect(result).toEqual({ values: { user: "app", password: value }, store: "aws", mode: "local" });
      expect(emulator.calls.CreateSecret).toBe(before + 1);
    });

    it("a cloud store whose package is not installed is a configuration error naming the package to install", async () => {
      expect(await runService({ SECRET_VALUE: "x", ZS_SECRETS_STORE_TYPE: "gcp", ZS_SECRETS_STORE_PROJECT_ID: "p" })).toEqual({
        code: "CONFIGURATION_ERROR",
        message: "Values store 'gcp' needs the package @zs/store-gcp, which is not installed: npm install @zs/store-gcp",
      });
    });
  });

  describe("@zs/cli and @zs/server installed globally into a prefix", () => {
    const zsEnv = () => cleanEnv({ HOME: userHome, XDG_CONFIG_HOME: path.join(userHome, ".config"), ZS_HOME: path.join(tmp, "cli-home") });
    const zs = async (args: string[]) => {
      const { stdout } = await execFileAsync(path.join(prefix, "bin", "zs"), args, { cwd: userHome, env: zsEnv(), encoding: "buffer" });
      return stdout;
    };

    it("zs --version and zs-server --version print the packages' versions, from a directory outside the repository", async () => {
      expect((await zs(["--version"])).toString()).toBe(`${await versionOf(path.join(ROOT, "apps", "cli"))}\n`);
      const { stdout } = await execFileAsync(path.join(prefix, "bin", "zs-server"), ["--version"], { cwd: userHome, env: zsEnv() });
      expect(stdout).toBe(`${await versionOf(path.join(ROOT, "apps", "server"))}\n`);
    });

    it("creates a secret in local mode; `get -k` writes exactly the value to stdout and `-o json` parses", async () => {
      const value = `p@ss "wörd" ${randomBytes(4).toString("hex")}`;
      await zs(["secret", "create", "db", "--user=app", `--password=${value}`]);
      expect((await zs(["secret", "get", "db", "-k", "password"])).equals(Buffer.from(value))).toBe(true);
      expect((JSON.parse((await zs(["secret", "get", "db", "-o", "json"])).toString()) as { values: unknown }).values).toEqual({ user: "app", password: value });
    });
  });
});
