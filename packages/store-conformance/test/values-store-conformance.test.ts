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

/** A values store in a Map, logging its close to `events`; `put` decides what an overwrite keeps. */
function memoryStore(
  name: string,
  events: string[],
  values = new Map<string, SecretValues>(),
  put: (before: SecretValues | undefined, map: SecretValues) => SecretValues = (_, map) => ({ ...map }),
): SecretValuesStore {
  return {
    type: "memory",
    capabilities: { maxValueBytes: 1024 },
    async putValues(id, map) {
      values.set(id, put(values.get(id), map));
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

/** Records the suite with the `describe` titles each test sits in. */
function groupedRecording(): { api: TestApi; beforeAll: Body[]; afterAll: Body[]; tests: { path: string[]; name: string; body: Body }[] } {
  const recorded = { beforeAll: [] as Body[], afterAll: [] as Body[], tests: [] as { path: string[]; name: string; body: Body }[] };
  const path: string[] = [];
  const api: TestApi = {
    describe: (name, body) => {
      path.push(name);
      body();
      path.pop();
    },
    it: (name, body) => void recorded.tests.push({ path: [...path], name, body }),
    expect,
    beforeAll: (body) => void recorded.beforeAll.push(body),
    afterAll: (body) => void recorded.afterAll.push(body),
  };
  return { api, ...recorded };
}

/** Runs the group "as a backup or migration target" on the store `create` makes: the titles of the cases that failed. */
async function failedMigrationCases(create: () => SecretValuesStore): Promise<string[]> {
  const recorded = groupedRecording();
  runValuesStoreConformance({ name: "memory", api: recorded.api, createStore: async () => create() });
  const group = recorded.tests.filter((test) => test.path.includes("as a backup or migration target"));
  expect(group.length).toBeGreaterThan(5);
  const failed: string[] = [];
  for (const hook of recorded.beforeAll) await hook();
  for (const test of group) await Promise.resolve(test.body()).catch(() => failed.push(test.name));
  for (const hook of recorded.afterAll) await hook();
  return failed;
}

describe("runValuesStoreConformance as a backup or migration target", () => {
  it("a store that keeps every values map as it was given passes every case, a second instance on the same data included", async () => {
    const shared = new Map<string, SecretValues>();
    expect(await failedMigrationCases(() => memoryStore("faithful", [], shared))).toEqual([]);
  });

  it("a store that merges an overwrite into the values before fails 'an overwrite replaces every key'", async () => {
    const merging = memoryStore("merging", [], new Map(), (before, map) => ({ ...before, ...map }));
    expect(await failedMigrationCases(() => merging)).toEqual(["an overwrite replaces every key: keys left out are gone, none is merged back"]);
  });

  it("a store whose instances do not share what they hold fails 'another store instance on the same backend reads what this one wrote'", async () => {
    expect(await failedMigrationCases(() => memoryStore("isolated", []))).toEqual(["another store instance on the same backend reads what this one wrote"]);
  });
});

/** Runs the group "versioned values" on the store `create` makes: the titles of the cases that failed. */
async function failedVersionedCases(create: () => SecretValuesStore): Promise<string[]> {
  const recorded = groupedRecording();
  runValuesStoreConformance({ name: "memory", api: recorded.api, createStore: async () => create() });
  const group = recorded.tests.filter((test) => test.path.includes("versioned values"));
  expect(group.length).toBeGreaterThan(4);
  const failed: string[] = [];
  for (const hook of recorded.beforeAll) await hook();
  for (const test of group) await Promise.resolve(test.body()).catch(() => failed.push(test.name));
  for (const hook of recorded.afterAll) await hook();
  return failed;
}

/** A versioned store in Maps: each put keeps its values under `<id>#<n>`, pruning beyond `keep` unless `prunes` is false. */
function memoryVersionedStore(prunes = true): SecretValuesStore {
  const current = new Map<string, SecretValues>();
  const versions = new Map<string, SecretValues>();
  let written = 0;
  return {
    type: "memory-versioned",
    capabilities: { maxValueBytes: 1024, versioned: true },
    async putValues(id, map, _hint, versioned) {
      current.set(id, { ...map });
      if (!versioned) return {};
      const backendVersion = `${id}#${++written}`;
      versions.set(backendVersion, { ...map });
      const own = [...versions.keys()].filter((key) => key.startsWith(`${id}#`));
      if (prunes) for (const key of own.slice(0, Math.max(0, own.length - 1 - versioned.keep))) versions.delete(key);
      return { backendVersion };
    },
    async getValues(id, options) {
      if (options && "backendVersion" in options) return versions.get(options.backendVersion);
      return current.get(id);
    },
    async deleteValues(id) {
      for (const key of [...versions.keys()]) if (key.startsWith(`${id}#`)) versions.delete(key);
      return current.delete(id);
    },
  };
}

describe("runValuesStoreConformance's versioned values", () => {
  it("a versioned store that keeps `keep` earlier versions and prunes the rest passes every case", async () => {
    const store = memoryVersionedStore();
    expect(await failedVersionedCases(() => store)).toEqual([]);
  });

  it("a versioned store that never prunes fails the retention cases", async () => {
    const store = memoryVersionedStore(false);
    expect(await failedVersionedCases(() => store)).toEqual([
      "versioned, if declared: after 12 puts keeping 10, the current and the 10 earlier versions read back by their backendVersion, older ones are undefined",
      "versioned, if declared: keep 0 prunes every earlier version in the same write",
    ]);
  });

  it("a store without the capability passes when it takes a VersionedWrite without harm", async () => {
    const shared = new Map<string, SecretValues>();
    expect(await failedVersionedCases(() => memoryStore("plain", [], shared))).toEqual([]);
  });
});
