import { describe, expect, it } from "@jest/globals";
import { withCallCounts } from "../src/index.js";

describe("withCallCounts", () => {
  it("reports the change of each counter that moved, and the run's result", async () => {
    const calls = { Get: 2, Put: 0, Delete: 5 };
    const { result, calls: made } = await withCallCounts(
      () => calls,
      async () => {
        calls.Get += 1;
        calls.Put += 2;
        return "done";
      },
    );
    expect(result).toBe("done");
    expect(made).toEqual({ Get: 1, Put: 2 });
  });

  it("is {} when the run made no call", async () => {
    const calls = { Get: 3 };
    expect((await withCallCounts(() => calls, async () => undefined)).calls).toEqual({});
  });
});
