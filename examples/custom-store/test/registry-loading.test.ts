import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";

// How a user's zs finds this store: by package name from the config's node_modules, or by a
// path to its built entry. The loading runs in a plain Node process (registry-probe.mjs), so
// it is Node's own resolution and ESM loader at work, on the dist/ that globalSetup built.
// Failures core's store-registry tests already cover with fixtures (a module that throws,
// apiVersion 0 or 2, every not-a-store shape) are not repeated here; these are the ones a
// user of this package meets.

const execFileAsync = promisify(execFile);
const EXAMPLE_DIR = path.resolve(__dirname, "..");
const PROBE = path.join(__dirname, "support", "registry-probe.mjs");
const DEPLOYMENT = "2d9e4c1b-7a3f-4e5d-8b6c-9f0a1b2c3d4e";

interface ProbeCase {
  type: string;
  options: Record<string, string>;
  configDir: string;
}

type ProbeResult =
  | { loaded: true; type: string; maxValueBytes: number; secretId: string; values: Record<string, string> }
  | { loaded: false; code: string; reason: string; message: string };

let root: string;
/** A config directory whose node_modules holds the example, linked as a package manager would. */
let installed: string;
/** A config directory with the example's source tree vendored under stores/ (a symlink to it). */
let vendored: string;
/** A config directory where nothing is installed. */
let bare: string;
let results: Record<string, ProbeResult>;

const CASES: Record<string, (dirs: { installed: string; vendored: string; bare: string }) => ProbeCase> = {
  byName: ({ installed }) => ({ type: "@zs-examples/file-store", options: { directory: "./values" }, configDir: installed }),
  byVendoredPath: ({ vendored }) => ({
    type: "./stores/file-store/dist/index.js",
    options: { directory: "values", max_value_bytes: "4096" },
    configDir: vendored,
  }),
  byParentPath: ({ bare }) => ({
    type: path.relative(bare, path.join(EXAMPLE_DIR, "dist", "index.js")),
    options: { directory: "values" },
    configDir: bare,
  }),
  notInstalledHere: ({ bare }) => ({ type: "@zs-examples/file-store", options: { directory: "values" }, configDir: bare }),
  wrongFileOfThePackage: ({ vendored }) => ({ type: "./stores/file-store/dist/file-values-store.js", options: {}, configDir: vendored }),
  typeScriptSource: ({ vendored }) => ({ type: "./stores/file-store/src/index.ts", options: {}, configDir: vendored }),
  invalidOptions: ({ installed }) => ({
    type: "@zs-examples/file-store",
    options: { max_value_bytes: "0", colour: "red" },
    configDir: installed,
  }),
};

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "zs-file-store-registry-"));
  installed = path.join(root, "installed");
  vendored = path.join(root, "vendored");
  bare = path.join(root, "bare");
  await mkdir(path.join(installed, "node_modules", "@zs-examples"), { recursive: true });
  await symlink(EXAMPLE_DIR, path.join(installed, "node_modules", "@zs-examples", "file-store"), "dir");
  await mkdir(path.join(vendored, "stores"), { recursive: true });
  await symlink(EXAMPLE_DIR, path.join(vendored, "stores", "file-store"), "dir");
  await mkdir(bare);

  const names = Object.keys(CASES);
  const cases = names.map((name) => ({ ...CASES[name]!({ installed, vendored, bare }), deploymentId: DEPLOYMENT }));
  // Without pnpm's NODE_PATH (set for `pnpm test`), which would find every workspace package.
  const env = { ...process.env, NODE_PATH: "" };
  const { stdout } = await execFileAsync(process.execPath, [PROBE, JSON.stringify(cases)], { cwd: root, env, timeout: 30_000 });
  const list = JSON.parse(stdout) as ProbeResult[];
  results = Object.fromEntries(names.map((name, index) => [name, list[index]!]));
});

afterAll(() => rm(root, { recursive: true, force: true }));

/** The probe's result for `name`, asserting it loaded. */
function loaded(name: string): Extract<ProbeResult, { loaded: true }> {
  const result = results[name]!;
  if (!result.loaded) throw new Error(`${name} did not load: ${result.message}`);
  return result;
}

/** The probe's result for `name`, asserting it failed. */
function refused(name: string): Extract<ProbeResult, { loaded: false }> {
  const result = results[name]!;
  if (result.loaded) throw new Error(`${name} loaded, but should have failed`);
  return result;
}

describe("StoreRegistry loads the example store", () => {
  it("by package name, resolved from the config's directory (ZS_SECRETS_STORE_TYPE=@zs-examples/file-store)", async () => {
    const result = loaded("byName");
    expect(result).toMatchObject({ type: "file", maxValueBytes: 65536, values: { password: "pw" } });
    // The relative directory option is resolved from the config's directory too.
    const stored = JSON.parse(await readFile(path.join(installed, "values", `${result.secretId}.json`), "utf8"));
    expect(stored).toEqual({ "zs-deployment": DEPLOYMENT, "secret-id": result.secretId, values: { password: "pw" } });
  });

  it("by a relative path to its built entry (ZS_SECRETS_STORE_TYPE=./stores/file-store/dist/index.js)", async () => {
    const result = loaded("byVendoredPath");
    expect(result).toMatchObject({ type: "file", maxValueBytes: 4096, values: { password: "pw" } });
    await expect(readFile(path.join(vendored, "values", `${result.secretId}.json`), "utf8")).resolves.toContain(DEPLOYMENT);
  });

  it("by a ../ path from the config's directory to the built entry", () => {
    expect(CASES.byParentPath!({ installed, vendored, bare }).type).toMatch(/^\.\.\//);
    expect(loaded("byParentPath")).toMatchObject({ type: "file", values: { password: "pw" } });
  });
});

describe("StoreRegistry's errors for the example store, each its own", () => {
  it("installed elsewhere but not where the config is: not_installed, naming where it looked", () => {
    const result = refused("notInstalledHere");
    expect(result).toMatchObject({ code: "CONFIGURATION_ERROR", reason: "not_installed" });
    expect(result.message).toContain("'@zs-examples/file-store'");
    expect(result.message).toContain(bare);
    expect(result.message).toContain("install the package there or give a path to the module");
  });

  it("a path to a module of the package that is not its entry: not_a_store", () => {
    const result = refused("wrongFileOfThePackage");
    expect(result).toMatchObject({ code: "CONFIGURATION_ERROR", reason: "not_a_store" });
    expect(result.message).toContain("default export must be a store definition");
  });

  it("a path to the TypeScript source, which Node cannot run: not_loadable, with Node's reason", () => {
    const result = refused("typeScriptSource");
    expect(result).toMatchObject({ code: "CONFIGURATION_ERROR", reason: "not_loadable" });
    expect(result.message).toContain("'./stores/file-store/src/index.ts'");
    expect(result.message).toContain('Unknown file extension ".ts"');
  });

  it("invalid options: every invalid one listed at once, with the allowed ones", () => {
    const result = refused("invalidOptions");
    expect(result).toMatchObject({ code: "CONFIGURATION_ERROR", reason: "invalid_options" });
    expect(result.message).toContain("Invalid options for values store '@zs-examples/file-store'");
    expect(result.message).toMatch(/directory: /);
    expect(result.message).toContain("max_value_bytes: must be a whole number of bytes");
    expect(result.message).toContain("'colour'");
    expect(result.message).toContain("Allowed options: directory, max_value_bytes.");
  });
});
