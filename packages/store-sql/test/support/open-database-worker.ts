// Run as a process of its own that opens databases on request, as a CLI or server starting
// would: each line on stdin is a database URL; the answer is one JSON line on stdout,
// `{"deploymentId": …}` or `{"error": …}`. A worker lives across rounds, so a stress test
// pays for process start-up once, and the opens of several workers coincide closely.
import { createInterface } from "node:readline";
import { SqlDatabase } from "../../src/index.js";

for await (const url of createInterface({ input: process.stdin })) {
  let answer: { deploymentId: string } | { error: string };
  try {
    const database = await SqlDatabase.open(url);
    answer = { deploymentId: database.deploymentId };
    await database.close();
  } catch (error) {
    answer = { error: `${(error as { code?: string }).code ?? ""} ${(error as Error).message}` };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}
