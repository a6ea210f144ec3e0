import { describe, expect, it } from "@jest/globals";
import { ZsError, describeImportSummary, importSecrets, planImport, type ExternalValue, type SecretValues } from "../src/index.js";

/** An in-memory source and target: what a test needs to watch an import. */
function fixture(source: Record<string, ExternalValue | Error>, existing: string[] = []) {
  const created = new Map<string, SecretValues>();
  const plan = planImport(
    Object.keys(source).map((externalName) => ({ externalName })),
    { existingNames: new Set(existing), workspace: "default" },
  );
  const options = {
    read: async (name: string) => {
      const value = source[name]!;
      if (value instanceof Error) throw value;
      return value;
    },
    create: async (name: string, values: SecretValues) => {
      if (created.has(name)) throw new ZsError("SECRET_EXISTS", `A secret named '${name}' already exists.`);
      created.set(name, values);
    },
  };
  return { created, plan, options };
}

describe("importSecrets", () => {
  it("reads, converts and creates each planned secret; the summary counts and lists every outcome in plan order", async () => {
    const { created, plan, options } = fixture(
      {
        "app/db": { kind: "text", text: '{"user":"u","password":"p"}' },
        token: { kind: "text", text: "t0ken" },
        taken: { kind: "text", text: "x" },
      },
      ["taken"],
    );
    const progress: number[] = [];
    const summary = await importSecrets(plan, { ...options, onProgress: (done, total) => progress.push(done, total) });
    expect(Object.fromEntries(created)).toEqual({ app_db: { user: "u", password: "p" }, token: { value: "t0ken" } });
    expect(summary).toEqual({
      imported: 2,
      skipped: 1,
      failed: 0,
      outcomes: [
        { externalName: "app/db", status: "imported", name: "app_db" },
        { externalName: "taken", status: "skipped", reason: "a secret named 'taken' already exists in workspace 'default'" },
        { externalName: "token", status: "imported", name: "token" },
      ],
    });
    expect(progress).toEqual([1, 2, 2, 2]);
    expect(describeImportSummary(summary)).toBe("2 imported, 1 skipped, 0 failed");
  });

  it("a secret that cannot be read, converted or created fails alone, with a reason that never quotes a value", async () => {
    const { created, plan, options } = fixture({
      binary: { kind: "binary", description: "a binary secret (SecretBinary)" },
      broken: new ZsError("BACKEND_UNAVAILABLE", "aws: GetSecretValue of 'broken' failed after 4 attempts: InternalServiceError"),
      bug: new TypeError("secret-value-in-a-message"),
      good: { kind: "text", text: "fine" },
      tooBig: { kind: "map", map: { "bad key": "secret-in-bad-key" } },
    });
    const summary = await importSecrets(plan, { ...options, concurrency: 2 });
    expect([...created.keys()]).toEqual(["good"]);
    expect(summary).toMatchObject({ imported: 1, skipped: 0, failed: 4 });
    expect(summary.outcomes).toEqual([
      { externalName: "binary", status: "failed", reason: "a binary secret (SecretBinary): zs secrets hold text only" },
      { externalName: "broken", status: "failed", reason: "cannot be read: aws: GetSecretValue of 'broken' failed after 4 attempts: InternalServiceError" },
      { externalName: "bug", status: "failed", reason: "cannot be read: TypeError" },
      { externalName: "good", status: "imported", name: "good" },
      { externalName: "tooBig", status: "failed", reason: expect.stringContaining("'bad key' cannot be zs keys") },
    ]);
    expect(JSON.stringify(summary)).not.toMatch(/secret-value|secret-in/);
  });

  it("a skip found on reading, and a name created meanwhile (SECRET_EXISTS), are skips", async () => {
    const { created, plan, options } = fixture({ mine: { kind: "skip", reason: "created by zs" }, raced: { kind: "text", text: "v" } });
    created.set("raced", { value: "someone else's" });
    const summary = await importSecrets(plan, options);
    expect(summary.outcomes).toEqual([
      { externalName: "mine", status: "skipped", reason: "created by zs" },
      { externalName: "raced", status: "skipped", reason: "a secret named 'raced' was created meanwhile" },
    ]);
    expect(created.get("raced")).toEqual({ value: "someone else's" });
  });

  it("a renamed import reports the name it would have had", async () => {
    const plan = planImport([{ externalName: "db" }], { existingNames: new Set(["db"]), workspace: "default", renamePrefix: "old-" });
    const summary = await importSecrets(plan, { read: async () => ({ kind: "text", text: "v" }), create: async () => undefined });
    expect(summary.outcomes).toEqual([{ externalName: "db", status: "imported", name: "old-db", renamedFrom: "db" }]);
  });
});
