import { describe, expect, it } from "@jest/globals";
import {
  DEFAULT_RETRY_POLICY,
  ZsError,
  backendCaller,
  callWithRetry,
  retryDelay,
  type BackendCallOptions,
  type BackendErrorClassifier,
  type Logger,
  type RetryPolicy,
} from "../src/index.js";
import { rejection } from "./support/thrown.js";

/** A backend failure as an SDK throws it: a name the store classifies by, and a message. */
class FakeBackendError extends Error {
  constructor(
    override readonly name: string,
    message = `${name} happened`,
  ) {
    super(message);
  }
}

const THROTTLED = "Throttled";
const FORBIDDEN = "Forbidden";
const NOT_FOUND = "NotFound";

/** A call that fails with each of `failures` in turn, then resolves with `result`; counts its calls. */
function scriptedCall<T>(failures: unknown[], result: T): (() => Promise<T>) & { calls: number } {
  const call = Object.assign(
    async () => {
      const failure = failures[call.calls++];
      if (failure !== undefined) throw failure;
      return result;
    },
    { calls: 0 },
  );
  return call;
}

interface Recorder {
  options: BackendCallOptions;
  /** Every delay `sleep` was asked for, in order. */
  sleeps: number[];
  /** Every debug entry. */
  logged: { object: Record<string, unknown>; message: string | undefined }[];
  /** The attempt counts `toError` saw. */
  converted: number[];
}

/** Options with a fake sleep (no time passes), a recording logger and a classifier by error name. */
function recorder(overrides: Partial<BackendCallOptions> = {}): Recorder {
  const sleeps: number[] = [];
  const logged: Recorder["logged"] = [];
  const converted: number[] = [];
  const record = (object: Record<string, unknown>, message?: string) => void logged.push({ object, message });
  const logger: Logger = { debug: record, info: record, warn: record, error: record };
  const options: BackendCallOptions = {
    store: "fake",
    operation: "GetThing",
    objectName: "zs/1234",
    logger,
    sleep: async (ms) => void sleeps.push(ms),
    isTransient: (error) => (error as Error).name === THROTTLED,
    isHandled: (error) => (error as Error).name === NOT_FOUND,
    toError: (error, attempts) => {
      converted.push(attempts);
      return new ZsError("BACKEND_UNAVAILABLE", `fake: GetThing failed after ${attempts} attempt(s): ${(error as Error).name}`);
    },
    ...overrides,
  };
  return { options, sleeps, logged, converted };
}

describe("callWithRetry", () => {
  it("a call that succeeds at once is made once, without waiting", async () => {
    const { options, sleeps } = recorder();
    const call = scriptedCall([], "value");
    expect(await callWithRetry(call, options)).toBe("value");
    expect(call.calls).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it("transient failures are retried until the call succeeds, waiting before each retry", async () => {
    const { options, sleeps, converted } = recorder();
    const call = scriptedCall([new FakeBackendError(THROTTLED), new FakeBackendError(THROTTLED)], "value");
    expect(await callWithRetry(call, options)).toBe("value");
    expect(call.calls).toBe(3);
    expect(sleeps).toHaveLength(2);
    expect(converted).toEqual([]);
  });

  it("attempts are bounded by maxAttempts; the last failure is converted with the count", async () => {
    const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 100 };
    const { options, sleeps, converted } = recorder({ policy });
    const call = scriptedCall(Array.from({ length: 50 }, () => new FakeBackendError(THROTTLED)), "never");
    const error = await rejection(callWithRetry(call, options));
    expect(error.code).toBe("BACKEND_UNAVAILABLE");
    expect(error.message).toBe("fake: GetThing failed after 5 attempt(s): Throttled");
    expect(call.calls).toBe(5);
    expect(sleeps).toHaveLength(4);
    expect(converted).toEqual([5]);
  });

  it("the default policy makes 4 attempts", async () => {
    const { options } = recorder();
    const call = scriptedCall(Array.from({ length: 50 }, () => new FakeBackendError(THROTTLED)), "never");
    await rejection(callWithRetry(call, options));
    expect(call.calls).toBe(DEFAULT_RETRY_POLICY.maxAttempts);
    expect(DEFAULT_RETRY_POLICY).toEqual({ maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 2000 });
  });

  it("maxAttempts 1 (or less) means no retry", async () => {
    for (const maxAttempts of [1, 0, -3]) {
      const { options, sleeps } = recorder({ policy: { ...DEFAULT_RETRY_POLICY, maxAttempts } });
      const call = scriptedCall([new FakeBackendError(THROTTLED)], "value");
      await rejection(callWithRetry(call, options));
      expect([maxAttempts, call.calls, sleeps.length]).toEqual([maxAttempts, 1, 0]);
    }
  });

  it("a failure that is not transient is converted at once, not retried", async () => {
    const { options, sleeps, converted } = recorder();
    const call = scriptedCall([new FakeBackendError(FORBIDDEN)], "value");
    const error = await rejection(callWithRetry(call, options));
    expect(error.message).toContain("after 1 attempt(s): Forbidden");
    expect(call.calls).toBe(1);
    expect(sleeps).toEqual([]);
    expect(converted).toEqual([1]);
  });

  it("a handled failure is rethrown untouched (the same object), never retried nor converted", async () => {
    const { options, sleeps, converted } = recorder();
    const absent = new FakeBackendError(NOT_FOUND);
    const call = scriptedCall([absent], "value");
    await expect(callWithRetry(call, options)).rejects.toBe(absent);
    expect(call.calls).toBe(1);
    expect([sleeps, converted]).toEqual([[], []]);
  });

  it("a handled failure wins over transient: it is rethrown even when the classifier calls it transient", async () => {
    const throttledButHandled = new FakeBackendError(THROTTLED);
    const { options } = recorder({ isHandled: (error) => error === throttledButHandled });
    const call = scriptedCall([throttledButHandled], "value");
    await expect(callWithRetry(call, options)).rejects.toBe(throttledButHandled);
    expect(call.calls).toBe(1);
  });

  it("a handled failure after transient ones is still rethrown untouched", async () => {
    const { options, sleeps } = recorder();
    const absent = new FakeBackendError(NOT_FOUND);
    const call = scriptedCall([new FakeBackendError(THROTTLED), absent], "value");
    await expect(callWithRetry(call, options)).rejects.toBe(absent);
    expect([call.calls, sleeps.length]).toEqual([2, 1]);
  });

  it("without isHandled, every failure goes through the classifier", async () => {
    const { options, converted } = recorder({ isHandled: undefined });
    const call = scriptedCall([new FakeBackendError(NOT_FOUND)], "value");
    await rejection(callWithRetry(call, options));
    expect(converted).toEqual([1]);
  });

  it("each delay lies within [0, min(maxDelayMs, baseDelayMs × 2^(retry-1))] with real randomness", async () => {
    const policy: RetryPolicy = { maxAttempts: 9, baseDelayMs: 10, maxDelayMs: 300 };
    const ceilings = [10, 20, 40, 80, 160, 300, 300, 300];
    for (let round = 0; round < 50; round++) {
      const { options, sleeps } = recorder({ policy });
      await rejection(callWithRetry(scriptedCall(Array.from({ length: 9 }, () => new FakeBackendError(THROTTLED)), ""), options));
      expect(sleeps).toHaveLength(8);
      sleeps.forEach((delay, index) => {
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(ceilings[index]!);
      });
    }
  });

  it("the jitter is full: the random factor scales the whole ceiling, from 0 up to it", async () => {
    const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 250 };
    const failures = () => Array.from({ length: 4 }, () => new FakeBackendError(THROTTLED));
    const delaysWith = async (value: number) => {
      const { options, sleeps } = recorder({ policy, random: () => value });
      await rejection(callWithRetry(scriptedCall(failures(), ""), options));
      return sleeps;
    };
    expect(await delaysWith(0)).toEqual([0, 0, 0]);
    expect(await delaysWith(0.5)).toEqual([50, 100, 125]);
    expect(await delaysWith(0.999)).toEqual([99.9, 199.8, 249.75]);
  });

  it("retryDelay never leaves its bounds, even with a random source out of [0, 1)", () => {
    const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(retryDelay(1, policy, () => 1.5)).toBe(100);
    expect(retryDelay(2, policy, () => -1)).toBe(0);
    expect(retryDelay(30, policy, () => 0.5)).toBe(500);
  });

  it("a retryAfterMs hint longer than the jittered delay is waited instead, per failure", async () => {
    const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 2000 };
    const hints = new Map<unknown, number | undefined>();
    const failure = (hint: number | undefined) => {
      const error = new FakeBackendError(THROTTLED);
      hints.set(error, hint);
      return error;
    };
    const { options, sleeps } = recorder({ policy, random: () => 0.5, retryAfterMs: (error) => hints.get(error) });
    const call = scriptedCall([failure(1000), failure(undefined), failure(20)], "value");
    expect(await callWithRetry(call, options)).toBe("value");
    // 1000 beats the jittered 50; no hint leaves the jittered 100; 20 is shorter than the jittered 200.
    expect(sleeps).toEqual([1000, 100, 200]);
  });

  it("a retryAfterMs hint never stretches a delay past maxDelayMs", async () => {
    const policy: RetryPolicy = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 2000 };
    const { options, sleeps } = recorder({ policy, random: () => 0.5, retryAfterMs: () => 120_000 });
    await rejection(callWithRetry(scriptedCall(Array.from({ length: 3 }, () => new FakeBackendError(THROTTLED)), ""), options));
    expect(sleeps).toEqual([2000, 2000]);
  });

  it("a retryAfterMs hint that is negative, NaN or infinite is ignored", async () => {
    for (const hint of [-500, Number.NaN, Number.POSITIVE_INFINITY]) {
      const { options, sleeps } = recorder({ random: () => 0.5, retryAfterMs: () => hint });
      await callWithRetry(scriptedCall([new FakeBackendError(THROTTLED)], "value"), options);
      expect([hint, sleeps]).toEqual([hint, [50]]);
    }
  });

  it("the retryAfterMs hint is asked only of transient failures that will be retried, and the log shows the delay waited", async () => {
    const asked: unknown[] = [];
    const { options, logged } = recorder({
      policy: { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 2000 },
      random: () => 0.5,
      retryAfterMs: (error) => {
        asked.push(error);
        return 700;
      },
    });
    const first = new FakeBackendError(THROTTLED);
    await rejection(callWithRetry(scriptedCall([first, new FakeBackendError(THROTTLED)], ""), options));
    await rejection(callWithRetry(scriptedCall([new FakeBackendError(FORBIDDEN)], ""), options));
    await expect(callWithRetry(scriptedCall([new FakeBackendError(NOT_FOUND)], ""), options)).rejects.toMatchObject({ name: NOT_FOUND });
    expect(asked).toEqual([first]);
    expect(logged.map((entry) => entry.object.delayMs)).toEqual([700]);
  });

  it("logs each retry at debug level with store, operation, object name, attempt, delay and the error's name", async () => {
    const { options, logged, sleeps } = recorder({ random: () => 0.5 });
    const call = scriptedCall([new FakeBackendError(THROTTLED), new FakeBackendError(THROTTLED)], "value");
    await callWithRetry(call, options);
    expect(logged).toEqual([
      { object: { store: "fake", operation: "GetThing", objectName: "zs/1234", attempt: 1, delayMs: 50, error: THROTTLED }, message: "retrying a backend call" },
      { object: { store: "fake", operation: "GetThing", objectName: "zs/1234", attempt: 2, delayMs: 100, error: THROTTLED }, message: "retrying a backend call" },
    ]);
    expect(sleeps).toEqual([50, 100]);
  });

  it("describeError names the failure in the log", async () => {
    const { options, logged } = recorder({ describeError: (error) => `code ${(error as Error).name.length}` });
    await callWithRetry(scriptedCall([new FakeBackendError(THROTTLED)], "value"), options);
    expect(logged[0]?.object.error).toBe("code 9");
  });

  it("the log never carries an error's message, where a backend may echo what it was sent", async () => {
    const secret = "s3cr3t-value-in-an-error-message";
    const { options, logged } = recorder();
    await callWithRetry(scriptedCall([new FakeBackendError(THROTTLED, `rejected body {"password":"${secret}"}`)], "value"), options);
    expect(logged).toHaveLength(1);
    expect(JSON.stringify(logged)).not.toContain(secret);
  });

  it("a failure that is not an Error object is classified and logged by its type", async () => {
    const { options, logged } = recorder({ isTransient: (error) => error === "busy" });
    expect(await callWithRetry(scriptedCall(["busy"], "value"), options)).toBe("value");
    expect(logged[0]?.object.error).toBe("string");
  });

  it("without a sleep option, it waits on a real timer", async () => {
    const { options } = recorder({ sleep: undefined, policy: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    expect(await callWithRetry(scriptedCall([new FakeBackendError(THROTTLED)], "value"), options)).toBe("value");
  });
});

describe("backendCaller", () => {
  const absent = new FakeBackendError(NOT_FOUND);

  /** A store's classifier by error name, recording what `toZsError` was told. */
  function classifier(overrides: Partial<BackendErrorClassifier> = {}) {
    const converted: [string, string, number][] = [];
    const errors: BackendErrorClassifier = {
      store: "fake",
      isTransient: (error) => (error as Error).name === THROTTLED,
      isAbsent: (error) => (error as Error).name === NOT_FOUND,
      toZsError: (error, operation, objectName, attempts) => {
        converted.push([operation, objectName, attempts]);
        return new ZsError("BACKEND_UNAVAILABLE", `fake: ${operation} of '${objectName}' failed: ${(error as Error).name}`);
      },
      ...overrides,
    };
    return { errors, converted };
  }

  it("absent failures come back untouched; others become the store's error, told the operation, object and attempts", async () => {
    const { errors, converted } = classifier();
    const call = backendCaller(errors, { sleep: async () => undefined });
    await expect(call("GetThing", "zs/1", scriptedCall([absent], "v"))).rejects.toBe(absent);
    const error = await rejection(call("PutThing", "zs/2", scriptedCall([new FakeBackendError(THROTTLED), new FakeBackendError(FORBIDDEN)], "v")));
    expect(error.message).toBe("fake: PutThing of 'zs/2' failed: Forbidden");
    expect(converted).toEqual([["PutThing", "zs/2", 2]]);
  });

  it("a call's own handled failures replace the absent ones", async () => {
    const { errors, converted } = classifier();
    const call = backendCaller(errors);
    const forbidden = new FakeBackendError(FORBIDDEN);
    await expect(call("GetThing", "zs/1", scriptedCall([forbidden], "v"), (e) => e === forbidden)).rejects.toBe(forbidden);
    await rejection(call("GetThing", "zs/1", scriptedCall([absent], "v"), (e) => e === forbidden));
    expect(converted).toEqual([["GetThing", "zs/1", 1]]);
  });

  it("retries with the instance's policy and logs under the store's name, with its describeError and retryAfterMs", async () => {
    const sleeps: number[] = [];
    const logged: Record<string, unknown>[] = [];
    const record = (object: Record<string, unknown>) => void logged.push(object);
    const { errors } = classifier({ describeError: () => "THROTTLED!", retryAfterMs: () => 300 });
    const call = backendCaller(errors, {
      policy: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 1000 },
      logger: { debug: record, info: record, warn: record, error: record },
      sleep: async (ms) => void sleeps.push(ms),
      random: () => 0.5,
    });
    const run = scriptedCall(Array.from({ length: 3 }, () => new FakeBackendError(THROTTLED)), "v");
    await rejection(call("GetThing", "zs/1", run));
    expect(run.calls).toBe(3);
    expect(sleeps).toEqual([300, 300]);
    expect(logged.map((entry) => [entry.store, entry.objectName, entry.error])).toEqual([
      ["fake", "zs/1", "THROTTLED!"],
      ["fake", "zs/1", "THROTTLED!"],
    ]);
  });
});
