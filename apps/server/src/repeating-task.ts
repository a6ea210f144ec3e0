/** A task run at once and then every interval; `stop` waits for a run in progress. */
export interface RepeatingTask {
  stop(): Promise<void>;
}

/**
 * Runs `work` at once and then every `intervalMs`, one run at a time (a run that is late
 * queues behind the one under way). `work` handles its own failures. The timer never keeps
 * the process alive.
 */
export function runRepeatedly(work: () => Promise<unknown>, intervalMs: number): RepeatingTask {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const pass = () => {
    running = running.then(() => (stopped ? undefined : work()));
  };
  pass();
  const timer = setInterval(pass, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
