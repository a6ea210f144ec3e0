import { afterEach, beforeEach, describe, expect, it, jest } from "@jest/globals";
import { awsStoreOptionsSchema } from "../src/index.js";
import { WriteRateLimit } from "../src/write-rate-limit.js";

// Secrets Manager allows 50 write calls a second per region and account: the store spaces its
// writes out to `max_writes_per_second` (default 40), on a clock the test moves by hand.

describe("the aws store's write rate limit", () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it("lets the first call through at once and each next one a 1/rate second later, in order", async () => {
    const limit = new WriteRateLimit(10);
    const passed: number[] = [];
    const calls = [0, 1, 2, 3].map((i) => limit.acquire().then(() => passed.push(i)));
    await jest.advanceTimersByTimeAsync(0);
    expect(passed).toEqual([0]);
    await jest.advanceTimersByTimeAsync(99);
    expect(passed).toEqual([0]);
    await jest.advanceTimersByTimeAsync(1);
    expect(passed).toEqual([0, 1]);
    await jest.advanceTimersByTimeAsync(200);
    expect(passed).toEqual([0, 1, 2, 3]);
    await Promise.all(calls);
  });

  it("does not bank unused time: after a pause, calls are spaced again", async () => {
    const limit = new WriteRateLimit(10);
    await limit.acquire();
    await jest.advanceTimersByTimeAsync(5_000);
    const passed: number[] = [];
    void limit.acquire().then(() => passed.push(1));
    void limit.acquire().then(() => passed.push(2));
    await jest.advanceTimersByTimeAsync(0);
    expect(passed).toEqual([1]);
    await jest.advanceTimersByTimeAsync(100);
    expect(passed).toEqual([1, 2]);
  });

  it("defaults to 40 a second and refuses a rate that is not a whole number of 1 or more", () => {
    expect(awsStoreOptionsSchema.parse({}).max_writes_per_second).toBe(40);
    expect(awsStoreOptionsSchema.parse({ max_writes_per_second: "500" }).max_writes_per_second).toBe(500);
    for (const bad of ["0", "-5", "2.5", "fast", ""]) {
      expect(awsStoreOptionsSchema.safeParse({ max_writes_per_second: bad }).success).toBe(false);
    }
  });
});
