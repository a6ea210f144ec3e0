/**
 * Runs `run` and reports what it cost an emulator: the change in each of its per-operation
 * counters (an emulator's `calls`), read by `counters` before and after, with the unchanged
 * ones left out — `{}` when `run` made no call at all.
 */
export async function withCallCounts<Operation extends string, Result>(
  counters: () => Readonly<Record<Operation, number>>,
  run: () => Promise<Result>,
): Promise<{ result: Result; calls: Partial<Record<Operation, number>> }> {
  const before = { ...counters() };
  const result = await run();
  const calls: Partial<Record<Operation, number>> = {};
  for (const [operation, count] of Object.entries(counters()) as [Operation, number][]) {
    if (count !== before[operation]) calls[operation] = count - before[operation];
  }
  return { result, calls };
}
