import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { startZsServer } from "./zs-server";

const run = promisify(execFile);

/** Where the committed, generated API types live. */
export const SCHEMA_FILE = path.join(__dirname, "..", "..", "src", "api", "schema.ts");

const HEADER = "// Generated from zs-server's /openapi.json by `pnpm --filter @zs/dashboard generate-schema`. Do not edit.\n";

/**
 * The TypeScript types of zs-server's API: the document a real server serves at
 * `/openapi.json`, through openapi-typescript.
 */
export async function renderApiSchema(): Promise<string> {
  const server = await startZsServer();
  const workDir = await mkdtemp(path.join(os.tmpdir(), "zs-dashboard-schema-"));
  try {
    const response = await fetch(new URL("/openapi.json", server.url));
    if (!response.ok) throw new Error(`GET /openapi.json answered ${response.status}`);
    await writeFile(path.join(workDir, "openapi.json"), await response.text());
    const cli = path.join(path.dirname(createRequire(__filename).resolve("openapi-typescript/package.json")), "bin", "cli.js");
    await run(process.execPath, [cli, "openapi.json", "--output", "schema.ts"], { cwd: workDir });
    return HEADER + (await readFile(path.join(workDir, "schema.ts"), "utf8"));
  } finally {
    await server.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}
