import { describe, expect, it } from "@jest/globals";
import { diffKeys, isEmptyDiff, locateVersionValues, versionedWriteFor, type HistoryReader, type HistoryRow, type SecretValuesStore } from "../src/index.js";

/** A secret's history as rows, read the way the repository answers (newest first, filters applied). */
function historyOf(rows: HistoryRow[]): HistoryReader {
  const newestFirst = [...rows].sort((a, b) => b.version - a.version);
  return {
    async listEntries(_id, page, size) {
      return { items: newestFirst.slice((page - 1) * size, page * size), total: rows.length };
    },
    async findEntry(_id, version) {
      return rows.find((row) => row.version === version);
    },
    async latestValuesWrite(_id, atMost) {
      return newestFirst.find((row) => row.valuesWritten && (atMost === undefined || row.version <= atMost));
    },
  };
}

function row(version: number, valuesWritten: boolean, backendVersion?: string, extra: Partial<HistoryRow> = {}): HistoryRow {
  return {
    secretId: "s",
    version,
    time: 0,
    actor: "a",
    action: valuesWritten ? "merge" : "rename",
    keysAdded: [],
    keysRemoved: [],
    keysChanged: [],
    valuesWritten,
    backendVersion,
    ...extra,
  };
}

const versioned = { type: "sql", capabilities: { maxValueBytes: 1, versioned: true } };
const plain = { type: "file", capabilities: { maxValueBytes: 1 } };
const secret = { id: "s", name: "db", version: 5 };

describe("key diffs", () => {
  it("name the keys added, removed and changed, sorted, and never a value", () => {
    const diff = diffKeys({ a: "val-a", b: "val-b", c: "val-c" }, { c: "val-c2", b: "val-b", d: "val-d", A: "val-A" });
    expect(diff).toEqual({ added: ["A", "d"], removed: ["a"], changed: ["c"] });
    expect(JSON.stringify(diff)).not.toContain("val-");
  });

  it("an empty string is a value like any other: setting one is a change, and identical maps differ in nothing", () => {
    expect(diffKeys({ k: "v" }, { k: "" })).toEqual({ added: [], removed: [], changed: ["k"] });
    expect(isEmptyDiff(diffKeys({ k: "" }, { k: "" }))).toBe(true);
  });
});

describe("retention", () => {
  it("tells only a store declaring versioned which version it writes and how many to keep", () => {
    expect(versionedWriteFor(versioned as SecretValuesStore, 4, 10)).toEqual({ version: 4, keep: 10 });
    expect(versionedWriteFor(plain as SecretValuesStore, 4, 10)).toBeUndefined();
  });
});

describe("where the values of version N are", () => {
  const rows = [row(1, true, "1"), row(2, true, "2"), row(3, false), row(4, true, "4"), row(5, false)];

  it("the current version, and any version no later version rewrote, are the current values on every store", async () => {
    for (const store of [versioned, plain]) {
      expect(await locateVersionValues(historyOf(rows), secret, 5, store)).toEqual({ kind: "current" });
      expect(await locateVersionValues(historyOf(rows), secret, 4, store)).toEqual({ kind: "current" });
    }
  });

  it("an earlier version reads what the newest values write at or before it kept", async () => {
    expect(await locateVersionValues(historyOf(rows), secret, 3, versioned)).toEqual({ kind: "kept", backendVersion: "2", writtenAt: 2 });
    expect(await locateVersionValues(historyOf(rows), secret, 1, versioned)).toEqual({ kind: "kept", backendVersion: "1", writtenAt: 1 });
  });

  it("NOT_FOUND beyond the current version; HISTORY_UNAVAILABLE without a kept version, before history, or after a migration", async () => {
    await expect(locateVersionValues(historyOf(rows), secret, 6, versioned)).rejects.toMatchObject({ code: "NOT_FOUND" });
    const unkept = [row(1, true), row(2, true), row(3, false)];
    await expect(locateVersionValues(historyOf(unkept), { ...secret, version: 3 }, 1, plain)).rejects.toMatchObject({
      code: "HISTORY_UNAVAILABLE",
      details: { reason: "not_versioned" },
    });
    await expect(locateVersionValues(historyOf(rows.slice(2)), secret, 2, versioned)).rejects.toMatchObject({ details: { reason: "before_history" } });
    const moved = [row(1, true, undefined, { valuesMoved: true }), row(2, true, "2")];
    await expect(locateVersionValues(historyOf(moved), { ...secret, version: 2 }, 1, versioned)).rejects.toMatchObject({ details: { reason: "migrated" } });
  });
});
