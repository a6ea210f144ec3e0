import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** What `traceSdkLoading` loads, and what it watches for. */
export interface SdkLoadingProbe {
  /** Absolute path of the store's module; its default export is the store definition. */
  packageEntry: string;
  /** Module specifiers, or their beginnings, that belong to the SDK: `["@aws-sdk/"]`. */
  sdkPrefixes: string[];
  /** Options as a user sets them: the definition's schema accepts them and `create` makes no call with them. */
  options: Record<string, unknown>;
  /** Modules Node loads first with `--import`, resolved from `packageEntry` (`tsx`, to run TypeScript sources). @default none */
  imports?: string[];
  /** Export conditions Node resolves with (`source`, to load sibling packages from their sources). @default none */
  conditions?: string[];
  /** Added to the environment of the process that loads the store. @default none */
  env?: Record<string, string>;
}

/** The `sdkPrefixes` some module had been resolved under, after each step. */
export interface SdkLoadingTrace {
  /** After importing the store's module. */
  afterImport: string[];
  /** After parsing the options with the definition's schema. */
  afterParse: string[];
  /** After `create`. */
  afterCreate: string[];
}

// A resolve hook, registered after any --import loader's, records every specifier imported to
// a file, which the probe reads after each step, so what each step loaded is exact. Node 20's
// hooks do not see require(), so CommonJS modules are looked up in require's cache as well
// (grpc-js, say, which google-gax requires).
const PROBE = `
import { createRequire, register } from "node:module";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const { log, entry, prefixes, options } = JSON.parse(process.env.ZS_SDK_PROBE);
register("data:text/javascript," + encodeURIComponent(\`
import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  appendFileSync(\${JSON.stringify(log)}, specifier + "\\\\n");
  return next(specifier, context);
}\`));
const requireCache = createRequire(import.meta.url).cache;
const loaded = () => {
  const specifiers = readFileSync(log, "utf8").split("\\n");
  const files = Object.keys(requireCache).map((file) => file.replaceAll("\\\\", "/"));
  return prefixes.filter(
    (prefix) => specifiers.some((specifier) => specifier.startsWith(prefix)) || files.some((file) => file.includes("/node_modules/" + prefix)),
  );
};
const trace = {};
const definition = (await import(pathToFileURL(entry).href)).default;
trace.afterImport = loaded();
const parsed = definition.optionsSchema.parse(options);
trace.afterParse = loaded();
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const store = await definition.create(parsed, { deploymentId: "00000000-0000-4000-8000-000000000000", configDir: process.cwd(), logger: silent });
trace.afterCreate = loaded();
await store.close?.();
process.stdout.write("\\n" + JSON.stringify(trace));
`;

/**
 * Loads a store in a fresh Node process, step by step as a server does (import the module,
 * parse the options, create the store), and reports which parts of its SDK each step had
 * loaded: a store that imports its SDK only in `create` shows none before it.
 */
export async function traceSdkLoading(probe: SdkLoadingProbe): Promise<SdkLoadingTrace> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "zs-sdk-loading-"));
  try {
    const log = path.join(dir, "resolved.log");
    await writeFile(log, "");
    await writeFile(path.join(dir, "probe.mjs"), PROBE);
    const resolveFromStore = createRequire(probe.packageEntry);
    const args = [
      ...(probe.conditions ?? []).map((condition) => `--conditions=${condition}`),
      ...(probe.imports ?? []).flatMap((specifier) => ["--import", resolveFromStore.resolve(specifier)]),
      path.join(dir, "probe.mjs"),
    ];
    const { stdout } = await execFileAsync(process.execPath, args, {
      env: {
        ...process.env,
        ...probe.env,
        ZS_SDK_PROBE: JSON.stringify({ log, entry: probe.packageEntry, prefixes: probe.sdkPrefixes, options: probe.options }),
      },
    });
    return JSON.parse(stdout.trim().split("\n").pop() ?? "") as SdkLoadingTrace;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
