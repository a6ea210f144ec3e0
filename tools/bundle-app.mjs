// Bundles an app (the CLI, the server) into its dist/ with esbuild, from the workspace
// packages' TypeScript sources (the `source` export condition): one file to load at start-up.
// Code loaded on demand stays in split chunks. Some packages stay in node_modules, loaded
// from there at run time, so each app lists them in its runtime `dependencies`: sqlite3 (a
// native addon) and the GCP client (google-gax reads its `.proto` files, and the Secret
// Manager client its `protos.json`, from their package folders). The drivers knex names for
// databases zs does not use are left out, and so is the dialect code knex has for them.
// dist/meta.json is esbuild's metafile: which sources went into which chunk (module-loading
// tests check with it that the sql store loads no cloud SDK).
import { build } from "esbuild";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/** Loaded from node_modules at run time: each is in the runtime `dependencies` of every app. */
const FROM_NODE_MODULES = ["sqlite3", "@google-cloud/secret-manager", "google-gax"];

/** Drivers knex can load for databases zs does not use: never loaded, so never bundled. */
const UNUSED_DRIVERS = [
  "better-sqlite3",
  "mysql",
  "mysql2",
  "oracledb",
  "tedious",
  "pg-native",
  "pg-query-stream",
  "mariadb",
  "mariadb/callback",
];

/** Dialects knex bundles for databases zs does not use (it runs on `sqlite3` and `pg`). */
const UNUSED_KNEX_DIALECTS = ["better-sqlite3", "cockroachdb", "mssql", "mysql", "mariadb", "mysql2", "oracle", "oracledb", "pgnative", "redshift"];

/**
 * Leaves knex's unused dialects out: knex's dialect table requires each one only when a
 * database of that kind is configured, so their code (some 100 kB) was parsed on every start
 * and never run. A stub in their place throws if it ever is required.
 * @type {import("esbuild").Plugin}
 */
const leaveOutUnusedKnexDialects = {
  name: "leave-out-unused-knex-dialects",
  setup(build) {
    const filter = new RegExp(`^\\./(${UNUSED_KNEX_DIALECTS.join("|")})$`);
    build.onResolve({ filter }, (args) =>
      /[\\/]knex[\\/]lib[\\/]dialects[\\/]index\.js$/.test(args.importer) ? { path: args.path.slice(2), namespace: "unused-knex-dialect" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "unused-knex-dialect" }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`knex's ${args.path} dialect is not bundled: zs runs on SQLite and PostgreSQL.`)});`,
      loader: "js",
    }));
  },
};

/**
 * @param {URL} appDir the app's directory (with a trailing slash)
 * @param {Record<string, string>} entryPoints output name → source file
 */
export async function bundleApp(appDir, entryPoints) {
  const { version } = JSON.parse(await readFile(new URL("package.json", appDir), "utf8"));
  // Built aside, then swapped in: a process started meanwhile (a test, a benchmark) finds a whole dist.
  const dist = new URL("dist", appDir);
  const staging = new URL(`dist.building-${process.pid}`, appDir);
  const previous = new URL(`dist.previous-${process.pid}`, appDir);
  const result = await build({
    // Paths (and metafile inputs) are relative to the app, wherever the build is started from.
    absWorkingDir: fileURLToPath(appDir),
    entryPoints,
    outdir: fileURLToPath(staging),
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    conditions: ["source"],
    // The AWS SDK's packages ship an ES module build under "module" and no "exports" map; the
    // CommonJS build they name in "main" loses its named exports when its chunk is import()-ed.
    // No other bundled package has "module" without "exports", so nothing else changes.
    mainFields: ["module", "main"],
    external: [...FROM_NODE_MODULES, ...UNUSED_DRIVERS],
    plugins: [leaveOutUnusedKnexDialects],
    minify: true,
    sourcemap: true,
    legalComments: "none",
    logLevel: "warning",
    define: { ZS_VERSION: JSON.stringify(version) },
    chunkNames: "chunks/[name]-[hash]",
    metafile: true,
    // CommonJS code in the bundle (knex, pg) calls require(); give it one.
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __zsCreateRequire } from 'node:module';\nconst require = __zsCreateRequire(import.meta.url);" },
  });
  // Output paths name the staging folder; record them as they will be, under dist/.
  const metafile = JSON.stringify(result.metafile).replaceAll(`dist.building-${process.pid}/`, "dist/");
  await writeFile(new URL("./meta.json", `${staging.href}/`), metafile);
  await rename(dist, previous).catch(() => undefined);
  await rename(staging, dist);
  await rm(previous, { recursive: true, force: true });
}
