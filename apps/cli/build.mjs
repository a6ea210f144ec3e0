// Bundles the CLI into dist/ with esbuild, from the workspace packages' TypeScript sources
// (the `source` export condition): one file to load at start-up, so `zs` starts quickly.
// Commands load their code on demand (split chunks). sqlite3 is a native addon, loaded from
// node_modules; the drivers knex names for databases zs does not use are left out.
import { build } from "esbuild";
import { readFile, rm } from "node:fs/promises";

const { version } = JSON.parse(await readFile(new URL("./package.json", import.meta.url), "utf8"));

const NOT_BUNDLED = [
  "sqlite3",
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

await rm(new URL("./dist", import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { zs: "src/main.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  conditions: ["source"],
  external: NOT_BUNDLED,
  minify: true,
  sourcemap: true,
  legalComments: "none",
  logLevel: "warning",
  define: { ZS_VERSION: JSON.stringify(version) },
  chunkNames: "chunks/[name]-[hash]",
  // CommonJS code in the bundle (knex, pg) calls require(); give it one.
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __zsCreateRequire } from 'node:module';\nconst require = __zsCreateRequire(import.meta.url);" },
});
