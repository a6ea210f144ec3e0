import { silentLogger, type Logger } from "./values-store.js";

/** How often and how patiently a store retries a failed backend call. */
export interface RetryPolicy {
  /** Attempts per call, the first included. @default 4 */
  maxAttempts: number;
  /** Ceiling of the delay before the first retry; it doubles per retry. @default 100 */
  baseDelayMs: number;
  /** Ceiling of any one delay. @default 2000 */
  maxDelayMs: number;
}

/** The policy every cloud store uses unless a test or an embedder passes its own. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({ maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 2000 });

/** One backend call as `callWithRetry` runs it: what it is, and how the store classifies its failures. */
export interface BackendCallOptions {
  /** The store's type, for the log: `aws`. */
  store: string;
  /** The backend operation, for the log and messages: `GetSecretValue`. */
  operation: string;
  /** The backend object the call is about (a name or path, never a value). */
  objectName: string;
  /** @default DEFAULT_RETRY_POLICY */
  policy?: Readonly<RetryPolicy>;
  /** Gets one debug entry per retry. @default a silent logger */
  logger?: Logger;
  /** Worth another attempt: throttling, 5xx, a lost connection. */
  isTransient(error: unknown): boolean;
  /**
   * Failures the caller deals with itself (absent, a check-and-set conflict): rethrown
   * untouched at once, never retried nor converted. @default none
   */
  isHandled?(error: unknown): boolean;
  /** The error callers get for a failure that is not handled, given the attempts made. */
  toError(error: unknown, attempts: number): Error;
  /**
   * How long the backend asked to be left alone after this failure (an HTTP `Retry-After`),
   * in ms: the retry then waits at least that long, though never longer than the policy's
   * `maxDelayMs`. `undefined` (or a value that is not a finite, non-negative number) leaves
   * the jittered delay as it is. @default no hint
   */
  retryAfterMs?(error: unknown): number | undefined;
  /** Names a failure in the log: its class or the service's error code, never its message. @default the error's `name` */
  describeError?(error: unknown): string;
  /** Waits between attempts; tests inject a fake. @default a timer */
  sleep?(ms: number): Promise<void>;
  /** A number in [0, 1) for the jitter; tests inject a fixed one. @default Math.random */
  random?(): number;
}

const timerSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function errorName(error: unknown): string {
  if (typeof error === "object" && error !== null && typeof (error as { name?: unknown }).name === "string") {
    return (error as { name: string }).name;
  }
  return typeof error;
}

/**
 * The delay before retry number `retry` (1 for the first): full jitter over an exponentially
 * growing ceiling, `random() × min(maxDelayMs, baseDelayMs × 2^(retry-1))`.
 */
export function retryDelay(retry: number, policy: Readonly<RetryPolicy>, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.max(0, Math.min(ceiling, random() * ceiling));
}

/** The jittered `delay`, raised to the backend's `retryAfterMs` when that is longer, and capped at `maxDelayMs`. */
function withRetryAfter(delay: number, retryAfterMs: number | undefined, policy: Readonly<RetryPolicy>): number {
  if (retryAfterMs === undefined || !Number.isFinite(retryAfterMs) || retryAfterMs <= delay) return delay;
  return Math.max(delay, Math.min(policy.maxDelayMs, retryAfterMs));
}

/**
 * Runs one backend call, retrying transient failures with bounded exponential backoff and
 * full jitter (never sooner than a `retryAfterMs` hint asks, within `maxDelayMs`). Handled
 * failures are rethrown as they are; any other failure, once it is not transient or the
 * attempts are spent, becomes `toError(error, attempts)`. Each retry is logged at
 * debug level with the store, operation, object name, attempt and delay, and the error's
 * name: never its message, which a backend might fill with what it was sent.
 */
export async function callWithRetry<T>(call: () => Promise<T>, options: BackendCallOptions): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const maxAttempts = Math.max(1, Math.floor(policy.maxAttempts));
  const logger = options.logger ?? silentLogger;
  const sleep = options.sleep ?? timerSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (options.isHandled?.(error)) throw error;
      if (attempt >= maxAttempts || !options.isTransient(error)) throw options.toError(error, attempt);
      const delay = withRetryAfter(retryDelay(attempt, policy, options.random), options.retryAfterMs?.(error), policy);
      logger.debug(
        {
          store: options.store,
          operation: options.operation,
          objectName: options.objectName,
          attempt,
          delayMs: Math.round(delay),
          error: (options.describeError ?? errorName)(error),
        },
        "retrying a backend call",
      );
      await sleep(delay);
    }
  }
}

/**
 * How a store tells its backend's failures apart: what `callWithRetry` needs besides the call,
 * the operation and the object. Each cloud store keeps its own in its `backend-errors.ts`.
 */
export interface BackendErrorClassifier {
  /** The store's type, for the log: `aws`. */
  store: string;
  /** Worth another attempt: throttling, 5xx, a lost connection. */
  isTransient(error: unknown): boolean;
  /** The object does not exist: by default such a failure goes back to the caller untouched. */
  isAbsent(error: unknown): boolean;
  /** The error callers get for any other failure, given the call and the attempts made. */
  toZsError(error: unknown, operation: string, objectName: string, attempts: number): Error;
  /** @see BackendCallOptions.describeError */
  describeError?(error: unknown): string;
  /** @see BackendCallOptions.retryAfterMs */
  retryAfterMs?(error: unknown): number | undefined;
}

/**
 * Runs one backend call through `callWithRetry` with a store's classification and policy.
 * Failures `handled` accepts (by default the classifier's absent ones) are rethrown untouched
 * for the caller; every other failure becomes the classifier's `ZsError`.
 */
export type BackendCaller = <T>(
  operation: string,
  objectName: string,
  call: () => Promise<T>,
  handled?: (error: unknown) => boolean,
) => Promise<T>;

/** A store's `BackendCaller`: its classifier, with the policy and logger of one store instance. */
export function backendCaller(
  classifier: BackendErrorClassifier,
  options: Pick<BackendCallOptions, "policy" | "logger" | "sleep" | "random"> = {},
): BackendCaller {
  return (operation, objectName, call, handled = (error) => classifier.isAbsent(error)) =>
    callWithRetry(call, {
      ...options,
      store: classifier.store,
      operation,
      objectName,
      isTransient: (error) => classifier.isTransient(error),
      isHandled: handled,
      toError: (error, attempts) => classifier.toZsError(error, operation, objectName, attempts),
      describeError: classifier.describeError?.bind(classifier),
      retryAfterMs: classifier.retryAfterMs?.bind(classifier),
    });
}
