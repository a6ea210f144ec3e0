/** What a suite starts and must close: an emulator, a local server. */
export interface ClosableBackend {
  close(): Promise<void> | void;
}

/** A backend started once, on first use, for every store a suite creates. */
export interface SharedBackend<T extends ClosableBackend> {
  /** The backend, started by the first call. */
  get(): Promise<T>;
  /** Closes it if it was started; for the suite's `cleanup`. */
  close(): Promise<void>;
}

/**
 * Shares one backend between the stores a suite creates (`runValuesStoreConformance` calls
 * `createStore` more than once) and closes it once afterwards.
 */
export function sharedBackend<T extends ClosableBackend>(start: () => Promise<T>): SharedBackend<T> {
  let started: Promise<T> | undefined;
  return {
    get: () => (started ??= start()),
    async close() {
      const backend = started;
      started = undefined;
      // A backend that failed to start has nothing to close; its failure was reported by get().
      await backend?.then(
        (running) => running.close(),
        () => undefined,
      );
    },
  };
}
