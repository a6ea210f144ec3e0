import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { isBuiltin } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";

// Runs the real bundle under a loader hook that records every module it loads, then checks
// each loaded file, and every source esbuild bundled into each loaded chunk (dist/meta.json,
// written by build.mjs), against packages a local command must never load.
const CLI_DIR = path.join(__dirname, "..");
const ZS = path.join(CLI_DIR, "dist", "zs.js");
const RECORDER = pathToFileURL(path.join(__dirname, "support", "record-loads.mjs")).href;

/** Cloud SDKs (and their transports), express, and the server and cloud stores of this repository. */
const MUST_NOT_LOAD = [
  /^@aws-sdk\//,
  /^@smithy\//,
  /^@google-cloud\//,
  /^google-gax$/,
  /^@grpc\//,
  /^@azure\//,
  /^@azure-rest\//,
  /^node-vault$/,
  /^express$/,
  /^@zs\/server$/,
  /^@zs\/store-(aws|gcp|azure|vault)$/,
];
const SERVER_OR_CLOUD_STORE_SOURCE = /\/(apps\/server|packages\/store-(aws|gcp|azure|vault))\//;

/** Store code: `zs --version` (and `--help`) must start without it. */
const STORE_CODE = ["@zs/client", "@zs/builtin-stores", "@zs/store-sql", "knex", "pg", "sqlite3"];

/** Each cloud store the CLI ships: its package and the SDK packages only it may load. */
const CLOUD_STORES = {
  aws: { store: "@zs/store-aws", sdk: [/^@aws-sdk\//, /^@smithy\//] },
  gcp: { store: "@zs/store-gcp", sdk: [/^@google-cloud\//, /^google-gax$/, /^@grpc\//] },
  azure: { store: "@zs/store-azure", sdk: [/^@azure\//, /^@azure-rest\//] },
  vault: { store: "@zs/store-vault", sdk: [/^node-vault$/] },
} as const;

/**
 * Packages the bundle leaves in node_modules (tools/bundle-app.mjs `FROM_NODE_MODULES`): the
 * GCP client reads `.proto` files from its package folder, so it cannot be bundled.
 */
const GCP_FROM_NODE_MODULES = ["@google-cloud/secret-manager", "google-gax"];

/** What a loaded file or bundled source is: its path and the package it belongs to. */
interface Source {
  file: string;
  owner: string;
}

const isForbidden = (source: Source) =>
  MUST_NOT_LOAD.some((pattern) => pattern.test(source.owner)) || SERVER_OR_CLOUD_STORE_SOURCE.test(source.file.split(path.sep).join("/"));

const owners = new Map<string, string>();

/** The package `file` belongs to: from its node_modules path, else the nearest package.json with a name. */
function ownerOf(file: string): string {
  const posix = file.split(path.sep).join("/");
  const inModules = posix.lastIndexOf("/node_modules/");
  if (inModules !== -1) {
    const [first, second] = posix.slice(inModules + "/node_modules/".length).split("/");
    return first!.startsWith("@") ? `${first}/${second}` : first!;
  }
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const known = owners.get(dir);
    if (known !== undefined) return known;
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string };
      if (name) {
        owners.set(dir, name);
        return name;
      }
    }
    if (path.dirname(dir) === dir) return "(none)";
  }
}

interface Metafile {
  outputs: Record<string, { inputs: Record<string, unknown>; imports?: { path: string; kind: string; external?: boolean }[] }>;
}

interface Recorded {
  code: number;
  stdout: string;
  stderr: string;
  /** Every module file the program loaded (node: builtins left out), in load order. */
  loaded: string[];
  /** The loaded files of dist/: the entry and the chunks. */
  distFiles: string[];
  /** Loaded files outside dist/ and the sources bundled into each loaded dist file. */
  sources: Source[];
}

let root: string;
let env: NodeJS.ProcessEnv;
let meta: Metafile;
let runs = 0;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "zs-cli-modules-"));
  const inherited = Object.entries(process.env).filter(([name]) => !/^(ZS_|XDG_|NODE_OPTIONS$)/.test(name));
  env = { ...Object.fromEntries(inherited), HOME: root, ZS_HOME: path.join(root, "home"), XDG_CONFIG_HOME: path.join(root, "config") };
  meta = JSON.parse(await readFile(path.join(CLI_DIR, "dist", "meta.json"), "utf8")) as Metafile;
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Runs `zs ARGS` under the recorder and sorts out what it loaded. */
function recorded(...args: string[]): Promise<Recorded> {
  return recordedWith({}, ...args);
}

/** `recorded`, with `extraEnv` added to the environment. */
async function recordedWith(extraEnv: Record<string, string>, ...args: string[]): Promise<Recorded> {
  const record = path.join(root, `loads-${++runs}.txt`);
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(process.execPath, ["--import", RECORDER, ZS, ...args], { env: { ...env, ...extraEnv, ZS_RECORD_LOADS: record }, timeout: 20_000 }, (error, out, err) =>
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout: out, stderr: err }),
    );
    child.stdin?.end();
  });
  const lines = existsSync(record) ? (await readFile(record, "utf8")).split("\n").filter(Boolean) : [];
  const loaded = lines.filter((line) => !line.startsWith("node:")).map((line) => (line.startsWith("file:") ? fileURLToPath(line) : line));
  const distDir = path.join(CLI_DIR, "dist") + path.sep;
  const distFiles = loaded.filter((file) => file.startsWith(distDir));
  const sources: Source[] = loaded.filter((file) => !file.startsWith(distDir)).map((file) => ({ file, owner: ownerOf(file) }));
  for (const file of distFiles) {
    const output = meta.outputs[path.relative(CLI_DIR, file).split(path.sep).join("/")];
    // A loaded chunk the metafile does not know means dist/ and meta.json are from different builds.
    if (!output) throw new Error(`${file} is not in dist/meta.json; rebuild with build.mjs.`);
    for (const input of Object.keys(output.inputs)) {
      const file = path.resolve(CLI_DIR, input.replace(/^\([a-z-]+\):/, ""));
      sources.push({ file, owner: ownerOf(file) });
    }
  }
  return { code, stdout, stderr, loaded, distFiles, sources };
}

const ownersIn = (run: Recorded) => new Set(run.sources.map((source) => source.owner));

/** The sources `wrong` picks, one line per package (with one of its files) for a short failure message. */
function offenders(run: Recorded, wrong: (source: Source) => boolean): string[] {
  const found = new Map<string, string>();
  for (const source of run.sources.filter(wrong)) if (!found.has(source.owner)) found.set(source.owner, `${source.owner}: ${source.file}`);
  return [...found.values()].sort();
}

describe("modules a local command loads with the default sql store", () => {
  beforeAll(async () => {
    const created = await recorded("secret", "create", "existing", "--user=admin");
    expect(created.code).toBe(0);
  });

  it.each([
    ["secret create", ["secret", "create", "fresh", "--user=admin", "--password=pw"], "Secret 'fresh' created."],
    ["secret get", ["secret", "get", "existing"], "admin"],
    ["secret list", ["secret", "list"], "existing"],
    ["status", ["status"], "local"],
    ["component list", ["component", "list"], "No components found."],
    ["stack list", ["stack", "list"], "No stacks found."],
    ["resolve", ["resolve", "-"], ""],
    ["run", ["run", "--env", "X=ran", "--", process.execPath, "-e", "process.stdout.write(process.env.X)"], "ran"],
  ])("`zs %s` loads no cloud SDK, express or server code, neither as files nor bundled into a chunk", async (_label, args, expected) => {
    const run = await recorded(...args);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toContain(expected);

    // The recorder saw the program: the entry and chunks (ESM hook) and sqlite3 (require hook),
    // and the same check finds the store code these commands do use, so it would find an SDK.
    expect(run.distFiles).toContain(ZS);
    expect(run.distFiles.length).toBeGreaterThan(1);
    expect(run.loaded.some((file) => file.endsWith(`${path.sep}node_sqlite3.node`))).toBe(true);
    expect([...ownersIn(run)]).toEqual(expect.arrayContaining(["@zs/cli", "@zs/client", "@zs/core", "@zs/store-sql", "knex", "sqlite3"]));

    expect(offenders(run, isForbidden)).toEqual([]);
  });

  it("`zs --version` loads no store code: no @zs/client, @zs/store-sql, knex, pg or sqlite3 file or chunk", async () => {
    const run = await recorded("--version");
    const { version } = JSON.parse(await readFile(path.join(CLI_DIR, "package.json"), "utf8")) as { version: string };
    expect(run).toMatchObject({ code: 0, stdout: `${version}\n` });
    expect(run.distFiles).toContain(ZS);
    expect(ownersIn(run)).toContain("commander");

    expect(offenders(run, (source) => STORE_CODE.includes(source.owner))).toEqual([]);
    expect(offenders(run, isForbidden)).toEqual([]);
  });
});

/** The outputs (entry and chunks) holding a source whose package `owner` matches. */
function outputsOf(owner: RegExp): string[] {
  return Object.entries(meta.outputs)
    .filter(([output, { inputs }]) => output.endsWith(".js") && Object.keys(inputs).some((input) => owner.test(ownerOf(path.resolve(CLI_DIR, input)))))
    .map(([output]) => output);
}

/** The outputs `from` loads as soon as it is loaded: itself and its static imports, transitively. */
function staticClosure(from: string): Set<string> {
  const seen = new Set<string>();
  const visit = (output: string) => {
    if (seen.has(output)) return;
    seen.add(output);
    for (const edge of meta.outputs[output]?.imports ?? []) if (edge.kind === "import-statement" && edge.path in meta.outputs) visit(edge.path);
  };
  visit(from);
  return seen;
}

/** Where the bundle imports a package it leaves in node_modules: the importing output, the package, and how. */
function externalImportsOf(owner: RegExp): { output: string; path: string; kind: string }[] {
  return Object.entries(meta.outputs).flatMap(([output, { imports = [] }]) =>
    imports.filter((edge) => edge.external && !edge.path.startsWith("node:") && owner.test(ownerOf(`/node_modules/${edge.path}/`))).map((edge) => ({ output, path: edge.path, kind: edge.kind })),
  );
}

/** What loading the CLI, the client or the built-in store list loads at once. */
function eagerOutputs(): Set<string> {
  return new Set([...staticClosure("dist/zs.js"), ...outputsOf(/^@zs\/(client|builtin-stores)$/).flatMap((output) => [...staticClosure(output)])]);
}

describe("the cloud stores in the bundle", () => {
  it.each(Object.entries(CLOUD_STORES))("%s is bundled apart: only import() reaches its store and its SDK, each in chunks of their own or in node_modules", (_type, cloud) => {
    const eager = eagerOutputs();
    const storeOutputs = outputsOf(new RegExp(`^${cloud.store}$`));
    const sdkOutputs = cloud.sdk.flatMap((pattern) => outputsOf(pattern));
    const sdkImports = cloud.sdk.flatMap((pattern) => externalImportsOf(pattern));
    expect(storeOutputs.length).toBeGreaterThan(0);
    expect(sdkOutputs.length + sdkImports.length).toBeGreaterThan(0);
    // Loading the CLI, the client or the built-in list loads neither.
    expect([...storeOutputs, ...sdkOutputs].filter((output) => eager.has(output))).toEqual([]);
    // Nor does loading the store: its SDK is a further import(), made when the store is created.
    const storeClosure = storeOutputs.flatMap((output) => [...staticClosure(output)]);
    expect(storeClosure.filter((output) => sdkOutputs.includes(output))).toEqual([]);
    expect(sdkImports.filter((edge) => eager.has(edge.output) || edge.kind !== "dynamic-import")).toEqual([]);
  });

  it("the GCP client stays in node_modules: no @google-cloud, google-gax or @grpc source is bundled, and only the gcp store's chunk import()s it", () => {
    expect(CLOUD_STORES.gcp.sdk.flatMap((pattern) => outputsOf(pattern))).toEqual([]);
    const storeOutputs = outputsOf(/^@zs\/store-gcp$/);
    const imports = externalImportsOf(/^(@google-cloud\/.*|google-gax|@grpc\/.*)$/);
    expect([...new Set(imports.map((edge) => edge.path))].sort()).toEqual(GCP_FROM_NODE_MODULES);
    expect(imports.filter((edge) => !storeOutputs.includes(edge.output) || edge.kind !== "dynamic-import")).toEqual([]);
  });

  it("every package the bundle leaves in node_modules that zs can load is a runtime dependency of @zs/cli", async () => {
    const { dependencies = {} } = JSON.parse(await readFile(path.join(CLI_DIR, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    const external = new Set(
      Object.values(meta.outputs).flatMap(({ imports = [] }) =>
        imports.filter((edge) => edge.external && !isBuiltin(edge.path)).map((edge) => ownerOf(`/node_modules/${edge.path}/`)),
      ),
    );
    expect([...external]).toEqual(expect.arrayContaining(["sqlite3", ...GCP_FROM_NODE_MODULES]));
    // The others are knex's drivers for databases zs does not use: installed nowhere in the workspace, never loaded.
    const installed = await readdir(path.join(CLI_DIR, "..", "..", "node_modules", ".pnpm"));
    const isInstalled = (name: string) => installed.some((entry) => entry.startsWith(`${name.replace("/", "+")}@`));
    expect([...external].filter((owner) => isInstalled(owner) && !(owner in dependencies))).toEqual([]);
    // The bundled gcp store imports the app's copies: the versions it was built and tested with.
    const gcpStore = JSON.parse(await readFile(path.join(CLI_DIR, "..", "..", "packages", "store-gcp", "package.json"), "utf8")) as { dependencies: Record<string, string> };
    for (const name of GCP_FROM_NODE_MODULES) expect([name, dependencies[name]]).toEqual([name, gcpStore.dependencies[name]]);
  });

  it.each([
    ["vault", { ZS_SECRETS_STORE_VAULT_ADDR: "http://127.0.0.1:9", ZS_SECRETS_STORE_VAULT_TOKEN: "t" }],
    ["aws", { ZS_SECRETS_STORE_REGION: "eu-west-1", ZS_SECRETS_STORE_ACCESS_KEY_ID: "a", ZS_SECRETS_STORE_SECRET_ACCESS_KEY: "b" }],
    ["gcp", { ZS_SECRETS_STORE_PROJECT_ID: "zs-modules", ZS_SECRETS_STORE_EMULATOR_HOST: "127.0.0.1:9", METADATA_SERVER_DETECTION: "none" }],
    [
      "azure",
      {
        ZS_SECRETS_STORE_VAULT_URL: "https://127.0.0.1:9",
        ZS_SECRETS_STORE_TENANT_ID: "t",
        ZS_SECRETS_STORE_CLIENT_ID: "c",
        ZS_SECRETS_STORE_CLIENT_SECRET: "s",
        ZS_SECRETS_STORE_AUTHORITY_HOST: "https://127.0.0.1:9",
        ZS_SECRETS_STORE_DISABLE_INSTANCE_DISCOVERY: "true",
      },
    ],
  ] as const)("with ZS_SECRETS_STORE_TYPE=%s, `zs secret list` loads that store and its SDK, and no other cloud's", async (type, options) => {
    // Listing reads metadata only: the store is created (its SDK loaded) but never called. A home
    // of its own: the shared one holds secrets whose values are in the sql store.
    const home = { ZS_HOME: path.join(root, `home-${type}`) };
    const run = await recordedWith({ ...home, ZS_SECRETS_STORE_TYPE: type, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...options }, "secret", "list");
    expect(run).toMatchObject({ code: 0, stderr: "" });
    const own = CLOUD_STORES[type];
    expect(ownersIn(run)).toContain(own.store);
    expect([...ownersIn(run)].some((owner) => own.sdk.some((pattern) => pattern.test(owner)))).toBe(true);
    const isOwn = (source: Source) =>
      source.owner === own.store || own.sdk.some((pattern) => pattern.test(source.owner)) || source.file.split(path.sep).join("/").includes(`/packages/store-${type}/`);
    expect(offenders(run, (source) => isForbidden(source) && !isOwn(source))).toEqual([]);
  });
});

describe("the package check itself", () => {
  it("names every package that must not load, and not the ones that may", () => {
    const source = (owner: string, file = `/x/node_modules/${owner}/index.js`): Source => ({ file, owner });
    for (const owner of [
      "@aws-sdk/client-secrets-manager",
      "@smithy/smithy-client",
      "@google-cloud/secret-manager",
      "google-gax",
      "@grpc/grpc-js",
      "@azure/keyvault-secrets",
      "@azure/identity",
      "node-vault",
      "express",
      "@zs/server",
      "@zs/store-aws",
      "@zs/store-gcp",
      "@zs/store-azure",
      "@zs/store-vault",
    ]) {
      expect([owner, isForbidden(source(owner))]).toEqual([owner, true]);
    }
    expect(isForbidden(source("(none)", "/repo/apps/server/src/app.ts"))).toBe(true);
    for (const owner of ["@zs/store-sql", "@zs/client", "@zs/core", "knex", "sqlite3", "express-rate-limit-like", "expressive"]) {
      expect([owner, isForbidden(source(owner))]).toEqual([owner, false]);
    }
  });

  it("tells a file's package from its node_modules path or the nearest named package.json", () => {
    expect(ownerOf("/r/node_modules/.pnpm/@aws-sdk+client-sts@3.1/node_modules/@aws-sdk/client-sts/dist/index.js")).toBe("@aws-sdk/client-sts");
    expect(ownerOf("/r/node_modules/.pnpm/express@5.3.0/node_modules/express/lib/router.js")).toBe("express");
    expect(ownerOf(path.join(CLI_DIR, "..", "..", "packages", "client", "src", "client.ts"))).toBe("@zs/client");
    expect(ownerOf(ZS)).toBe("@zs/cli");
  });
});
