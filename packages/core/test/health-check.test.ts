import { describe, expect, it } from "@jest/globals";
import { ZsError, runHealthCheck } from "../src/index.js";
import { rejection } from "./support/thrown.js";

describe("runHealthCheck", () => {
  it("a probe that answers is a healthy store", async () => {
    await expect(runHealthCheck("kv", async () => undefined)).resolves.toBeUndefined();
  });

  it("any failure is BACKEND_UNAVAILABLE with its message, prefixed with the store's type once", async () => {
    const fail = (error: unknown) => async () => {
      throw error;
    };
    const configuration = await rejection(runHealthCheck("kv", fail(new ZsError("CONFIGURATION_ERROR", "kv: the token was refused."))));
    expect([configuration.code, configuration.message]).toEqual(["BACKEND_UNAVAILABLE", "kv: the token was refused."]);
    expect((await rejection(runHealthCheck("kv", fail(new Error("connect ECONNREFUSED"))))).message).toBe("kv: connect ECONNREFUSED");
    expect((await rejection(runHealthCheck("kv", fail("timeout")))).message).toBe("kv: timeout");
  });
});
