/**
 * `pnpm bench` (cli): wall time of whole `zs` processes, the way a person or a script runs
 * them, next to `node -e 0` measured in the same run as the baseline. Median of RUNS runs each,
 * interleaved so that a change in machine load hits every command alike:
 * - `zs --version` (no store code is loaded),
 * - `zs secret get NAME` and `zs secret list` on a local store holding SECRETS secrets.
 * Target: `secret get` within 4× of the baseline. Builds dist/ first when a source is newer.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { Client } from "@zs/client";

const SECRETS = 1_000;
const RUNS = 15;
const TARGET_RATIO = 4;

const CLI_DIR = fileURLToPath(new URL("..", import.meta.url));
const ZS = path.join(CLI_DIR, "dist", "zs.js");
const META = path.join(CLI_DIR, "dist", "meta.json");

/** True when dist/ is missing or older than any source esbuild bundled into it (or the build script). */
function bundleIsStale(): boolean {
  if (!existsSync(ZS) || !existsSync(META)) return true;
  const built = statSync(ZS).mtimeMs;
  const { inputs } = JSON.parse(readFileSync(META, "utf8")) as { inputs: Record<string, unknown> };
  const sources = [...Object.keys(inputs).map((input) => path.resolve(CLI_DIR, input)), path.join(CLI_DIR, "build.mjs"), path.join(CLI_DIR, "package.json")];
  return sources.some((source) => !existsSync(source) || statSync(source).mtimeMs > built);
}

function buildIfNeeded(): void {
  if (!bundleIsStale()) return;
  console.log("Building dist/zs.js …");
  const result = spawnSync(process.execPath, [path.join(CLI_DIR, "build.mjs")], { cwd: CLI_DIR, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`build.mjs failed (exit ${result.status}).`);
}

const median = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const ms = (n: number) => `${n.toFixed(1)} ms`.padStart(9);

interface Benchmark {
  label: string;
  args: string[];
  samples: number[];
}

/** Runs one process to its end; a failing command stops the bench (its time would mean nothing). */
function timeOnce(benchmark: Benchmark, env: NodeJS.ProcessEnv): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, benchmark.args, { env, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  const elapsed = performance.now() - start;
  if (result.status !== 0) throw new Error(`\`${benchmark.label}\` failed (exit ${result.status}): ${result.stderr || result.error?.message}`);
  return elapsed;
}

async function seed(env: NodeJS.ProcessEnv): Promise<number> {
  const start = performance.now();
  const client = new Client({ env });
  try {
    for (let i = 0; i < SECRETS; i++) {
      await client.createSecret(`svc-${String(i).padStart(4, "0")}`, { user: `app${i}`, password: randomBytes(12).toString("hex") });
    }
  } finally {
    await client.close();
  }
  return performance.now() - start;
}

async function main(): Promise<void> {
  buildIfNeeded();
  const dir = await mkdtemp(path.join(os.tmpdir(), "zs-cli-bench-"));
  try {
    // Only the temp store counts: none of the developer's zs or XDG settings, no loader options.
    const inherited = Object.entries(process.env).filter(([name]) => !/^(ZS_|XDG_|NODE_OPTIONS$)/.test(name));
    const env: NodeJS.ProcessEnv = { ...Object.fromEntries(inherited), HOME: dir, ZS_HOME: path.join(dir, "home"), XDG_CONFIG_HOME: path.join(dir, "config") };

    const seeding = await seed(env);
    const benchmarks: Benchmark[] = [
      { label: "node -e 0 (baseline)", args: ["-e", "0"], samples: [] },
      { label: "zs --version", args: [ZS, "--version"], samples: [] },
      { label: "zs secret get svc-0500", args: [ZS, "secret", "get", "svc-0500"], samples: [] },
      { label: `zs secret list (${SECRETS.toLocaleString("en")} secrets)`, args: [ZS, "secret", "list"], samples: [] },
    ];
    // One unmeasured round warms the file cache; then every round runs each command once.
    for (const benchmark of benchmarks) timeOnce(benchmark, env);
    for (let run = 0; run < RUNS; run++) {
      for (const benchmark of benchmarks) benchmark.samples.push(timeOnce(benchmark, env));
    }

    const baseline = median(benchmarks[0]!.samples);
    const width = Math.max(...benchmarks.map((b) => b.label.length));
    console.log(`\nzs start-up, median wall time of ${RUNS} runs (seeded ${SECRETS.toLocaleString("en")} secrets in ${(seeding / 1000).toFixed(1)} s):`);
    for (const benchmark of benchmarks) {
      const value = median(benchmark.samples);
      console.log(`  ${benchmark.label.padEnd(width)}  ${ms(value)}  ${(value / baseline).toFixed(2)}x  (min ${ms(Math.min(...benchmark.samples)).trim()}, max ${ms(Math.max(...benchmark.samples)).trim()})`);
    }
    const getRatio = median(benchmarks[2]!.samples) / baseline;
    console.log(`  target: secret get within ${TARGET_RATIO}x of node -e 0: ${getRatio <= TARGET_RATIO ? "met" : "MISSED"} (${getRatio.toFixed(2)}x)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
