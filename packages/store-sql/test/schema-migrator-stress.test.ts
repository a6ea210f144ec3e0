import { spawn, type ChildProcess, type ChildProcessByStdio } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import sqlite3 from "sqlite3";

// Several processes opening one new SQLite database at once, round after round: each must
// open it, print nothing but its answer, and all must report the same deployment id; every
// other round one of them stalls while switching the file to WAL. The
// default size keeps CI fast; to run it bigger, and under CPU load (busy-looping processes,
// which stretch the moments between two of SQLite's lock steps where the race lives):
//   ZS_MIGRATOR_STRESS_ROUNDS=200 ZS_MIGRATOR_STRESS_PROCESSES=8 ZS_MIGRATOR_STRESS_CPU_LOAD=2 \
//     pnpm exec jest test/schema-migrator-stress.test.ts
const ROUNDS = positive("ZS_MIGRATOR_STRESS_ROUNDS", 15);
const PROCESSES = positive("ZS_MIGRATOR_STRESS_PROCESSES", 4);
const CPU_LOAD = positive("ZS_MIGRATOR_STRESS_CPU_LOAD", 0);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function positive(variable: string, fallback: number): number {
  const value = Number(process.env[variable] ?? fallback);
  if (!Number.isInteger(value) || value < (fallback === 0 ? 0 : 1)) throw new Error(`${variable} must be a whole number, not '${process.env[variable]}'`);
  return value;
}

/** What one process answered for one open: its deployment id or error, and anything else it printed. */
interface Answer {
  deploymentId?: string;
  error?: string;
  stray: string[];
}

/** A process of its own (support/open-database-worker.ts) that opens the databases it is sent. */
class Worker {
  private readonly child: ChildProcessByStdio<Writable, Readable, Readable>;
  private readonly lines: AsyncIterator<string>;
  readonly stderr: string[] = [];

  constructor() {
    const script = path.join(__dirname, "support/open-database-worker.ts");
    this.child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", script], { stdio: ["pipe", "pipe", "pipe"] });
    this.lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
    this.child.stderr.setEncoding("utf8").on("data", (chunk: string) => this.stderr.push(chunk));
  }

  /** Asks the worker to open `url`; resolves with its answer line and any other line printed before it. */
  async open(url: string): Promise<Answer> {
    this.child.stdin.write(`${url}\n`);
    const stray: string[] = [];
    for (;;) {
      const { value, done } = await this.lines.next();
      if (done) return { error: `the worker exited; stderr: ${this.stderr.join("")}`, stray };
      try {
        return { ...(JSON.parse(value) as { deploymentId?: string; error?: string }), stray };
      } catch {
        stray.push(value);
      }
    }
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.stdin.end();
    await exited;
  }
}

/** Takes the write lock of `file` (created empty, as `SqlDatabase.open` creates it) in rollback mode, as a process switching it to WAL holds it. */
async function stalledSwitch(file: string): Promise<{ release(afterMs: number): Promise<void> }> {
  await writeFile(file, "", { mode: 0o600 });
  const connection = new sqlite3.Database(file);
  const exec = (sql: string) => new Promise<void>((resolve, reject) => connection.exec(sql, (error) => (error ? reject(error) : resolve())));
  await exec("begin immediate");
  return {
    async release(afterMs) {
      await new Promise((resolve) => setTimeout(resolve, afterMs));
      await exec("rollback");
      await new Promise<void>((resolve, reject) => connection.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

describe(`${PROCESSES} processes opening one new SQLite database at once, ${ROUNDS} rounds${CPU_LOAD > 0 ? `, ${CPU_LOAD} busy processes` : ""}`, () => {
  let workers: Worker[] = [];
  let burners: ChildProcess[] = [];
  beforeAll(() => {
    workers = Array.from({ length: PROCESSES }, () => new Worker());
    burners = Array.from({ length: CPU_LOAD }, () => spawn(process.execPath, ["-e", "for (;;);"], { stdio: "ignore" }));
  });
  afterAll(async () => {
    for (const burner of burners) burner.kill();
    await Promise.all(workers.map((worker) => worker.stop()));
  });

  it(
    "in every round every process opens it, prints only its deployment id, and all agree on one deployment",
    async () => {
      const problems: string[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        const dir = await mkdtemp(path.join(os.tmpdir(), "zs-migrator-stress-"));
        try {
          const file = path.join(dir, "zs.db");
          // Every other round, a process stalls half-way through switching the new file to WAL
          // (what a process descheduled under load does): it holds the write lock of the still
          // empty file in rollback mode for a few milliseconds while the others open it.
          const stall = round % 2 === 0 ? await stalledSwitch(file) : undefined;
          const opening = Promise.all(workers.map((worker) => worker.open(`sqlite:${file}`)));
          await stall?.release(5 + Math.random() * 40);
          const answers = await opening;
          const ids = new Set(answers.flatMap((answer) => (answer.deploymentId === undefined ? [] : [answer.deploymentId])));
          answers.forEach((answer, i) => {
            if (answer.error !== undefined) problems.push(`round ${round}, process ${i + 1} failed: ${answer.error}`);
            else if (!UUID.test(answer.deploymentId ?? "")) problems.push(`round ${round}, process ${i + 1} answered '${answer.deploymentId}'`);
            if (answer.stray.length > 0) problems.push(`round ${round}, process ${i + 1} also printed: ${answer.stray.join(" | ")}`);
          });
          if (ids.size > 1) problems.push(`round ${round}: ${ids.size} deployment ids`);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }
      const stderr = workers.flatMap((worker, i) => (worker.stderr.length > 0 ? [`process ${i + 1} stderr: ${worker.stderr.join("")}`] : []));
      expect([...problems, ...stderr]).toEqual([]);
    },
    60_000 + ROUNDS * PROCESSES * 1_000,
  );
});
