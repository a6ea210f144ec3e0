import { describe, expect, it } from "@jest/globals";
import type { SecretValues, SecretValuesStore } from "@zs/core";
import { runValuesStoreConformance, type TestApi } from "../src/index.js";

type Body = () => Promise<void> | void;

/** A test API that only records what the suite registers, so a test can run its hooks by hand. */
function recordingApi(): { api: TestApi; beforeAll: Body[]; afterAll: Body[]; tests: Map<string, Body> } {
  const recorded = { beforeAll: [] as Body[], afterAll: [] as Body[], tests: new Map<string, Body>() };
  const api: TestApi = {
    describe: (_name, body) => body(),
    it: (name, body) => void recorded.tests.set(name, body),
    expect,
    beforeAll: (body) => void recorded.beforeAll.push(body),
    afterAll: (body) => void recorded.afterAll.push(body),
  };
  return { api, ...recorded };
}

/** A values store in a Map, logging its close to `events`. */
function memoryStore(name: string, events: string[]): SecretValuesStore {
  const values = new Map<string, SecretValues>();
  return {
    type: "memory",
    capabilities: { maxValueBytes: 1024 },
    async putValues(id, map) {
      values.set(id, { ...map });
    },
    async getValues(id) {
      return values.get(id);
    },
    async deleteValues(id) {
      return values.delete(id);
    },
    async close() {
      events.push(`close ${name}`);
    },
  };
}

async function runSuite(recorded: ReturnType<typeof recordingApi>, test: string): Promise<void> {
  for (const hook of recorded.beforeAll) await hook();
  await recorded.tests.get(test)?.();
  for (const hook of recorded.afterAll) await hook();
}

describe("runValuesStoreConformance's backend", () => {
  it("is started once, before the first store, handed to every createStore, and closed once after cleanup", async () => {
    const events: string[] = [];
    const recorded = recordingApi();
    let stores = 0;
    runValuesStoreConformance({
      name: "memory",
      api: recorded.api,
      backend: async () => {
        events.push("start backend");
        return { port: 4321, close: () => void events.push("close backend") };
      },
      createStore: async (backend) => {
        events.push(`create on ${backend.port}`);
        return memoryStore(`store ${++stores}`, events);
      },
      cleanup: async () => void events.push("cleanup"),
    });
    await runSuite(recorded, "close can be called twice");
    expect(events).toEqual([
      "start backend",
      "create on 4321",
      "create on 4321",
      "close store 2",
      "close store 2",
      "close store 1",
      "cleanup",
      "close backend",
    ]);
  });

  it("without one, createStore gets undefined; a backend that fails to start fails the suite's setup and is not closed", async () => {
    const withoutBackend = recordingApi();
    const seen: unknown[] = [];
    runValuesStoreConformance({
      name: "memory",
      api: withoutBackend.api,
      createStore: async (backend) => {
        seen.push(backend);
        return memoryStore("store", []);
      },
    });
    await runSuite(withoutBackend, "get returns what put stored");
    expect(seen).toEqual([undefined]);

    const failing = recordingApi();
    runValuesStoreConformance<{ close(): void }>({
      name: "memory",
      api: failing.api,
      backend: () => Promise.reject(new Error("no free port")),
      createStore: async () => memoryStore("store", []),
    });
    await expect(failing.beforeAll[0]!()).rejects.toThrow("no free port");
    await expect(failing.afterAll[0]!()).resolves.toBeUndefined();
  });
});
