/** Reports `done` of `total`; what a long operation is given to show its progress. */
export type ProgressReporter = (done: number, total: number) => void;

/**
 * Runs `work` with a progress bar on stderr when stderr is a terminal (cli.md), and with a
 * reporter that does nothing otherwise; the bar is gone before `work`'s result is printed.
 */
export async function withProgressBar<T>(label: string, work: (report: ProgressReporter) => Promise<T>): Promise<T> {
  if (!process.stderr.isTTY) return work(() => undefined);
  const { SingleBar, Presets } = await import("cli-progress");
  const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total}`, hideCursor: true }, Presets.shades_classic);
  let started = false;
  try {
    return await work((done, total) => {
      if (!started) bar.start(total, 0);
      started = true;
      bar.update(done);
    });
  } finally {
    if (started) bar.stop();
  }
}
