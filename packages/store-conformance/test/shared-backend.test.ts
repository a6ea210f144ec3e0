import { describe, expect, it } from "@jest/globals";
import { sharedBackend } from "../src/index.js";

describe("sharedBackend", () => {
  it("starts the backend on first use only, and closes it once", async () => {
    let starts = 0;
    let closes = 0;
    const backend = sharedBackend(async () => ({ id: ++starts, close: () => void closes++ }));
    const [first, second] = await Promise.all([backend.get(), backend.get()]);
    expect([first.id, second.id, (await backend.get()).id, starts]).toEqual([1, 1, 1, 1]);
    await backend.close();
    await backend.close();
    expect(closes).toBe(1);
  });

  it("closing a backend never started, or one that failed to start, does nothing", async () => {
    await expect(sharedBackend(async () => ({ close() {} })).close()).resolves.toBeUndefined();
    const failing = sharedBackend<{ close(): void }>(() => Promise.reject(new Error("no port")));
    await expect(failing.get()).rejects.toThrow("no port");
    await expect(failing.close()).resolves.toBeUndefined();
  });
});
