/**
 * Calls `work` for every item, at most `concurrency` at a time (at least one), in order of the
 * items; resolves once all started have finished. Once `signal` is aborted no further item is
 * started. `work` must not throw: a failure is its to record.
 */
export async function forEachConcurrently<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !signal?.aborted) await work(items[next++]!);
  };
  const workers = Math.max(1, Math.min(concurrency, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
}
