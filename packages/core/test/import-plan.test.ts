import { describe, expect, it } from "@jest/globals";
import { CREATED_BY_ZS, planImport, type ExternalEntry } from "../src/index.js";

const entries = (...names: string[]): ExternalEntry[] => names.map((externalName) => ({ externalName }));
const base = { existingNames: new Set<string>(), workspace: "default" };

describe("planImport", () => {
  it("imports each listed secret under its mapped name, in external name order", () => {
    expect(planImport(entries("b/x", "a"), base)).toEqual([
      { externalName: "a", action: "import", name: "a" },
      { externalName: "b/x", action: "import", name: "b_x" },
    ]);
  });

  it("keeps only names under the prefix, and takes it off", () => {
    expect(planImport(entries("prod/db", "dev/db", "prod/api"), { ...base, prefix: "prod/" })).toEqual([
      { externalName: "prod/api", action: "import", name: "api" },
      { externalName: "prod/db", action: "import", name: "db" },
    ]);
  });

  it("secrets created by zs are skipped, whatever their names", () => {
    expect(planImport([{ externalName: "zs/3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b", skipReason: CREATED_BY_ZS }], base)).toEqual([
      { externalName: "zs/3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b", action: "skip", reason: "created by zs" },
    ]);
  });

  it("a name that has no zs form fails, saying why", () => {
    expect(planImport(entries("café"), base)).toEqual([{ externalName: "café", action: "fail", reason: expect.stringMatching(/^no secret name for it: .*U\+00E9/) }]);
  });

  it("a name taken in the workspace is skipped, naming it and the workspace", () => {
    expect(planImport(entries("db"), { ...base, existingNames: new Set(["db"]), workspace: "team" })).toEqual([
      { externalName: "db", action: "skip", reason: "a secret named 'db' already exists in workspace 'team'" },
    ]);
  });

  it("with a rename prefix a taken name is imported renamed; if that is taken too, skipped; if invalid, failed", () => {
    const existingNames = new Set(["db", "api", "old-api"]);
    expect(planImport(entries("db", "api", "free"), { ...base, existingNames, renamePrefix: "old-" })).toEqual([
      { externalName: "api", action: "skip", reason: "a secret named 'api' already exists in workspace 'default', and so does 'old-api'" },
      { externalName: "db", action: "import", name: "old-db", renamedFrom: "db" },
      { externalName: "free", action: "import", name: "free" },
    ]);
    const long = "x".repeat(255);
    expect(planImport(entries(long), { ...base, existingNames: new Set([long]), renamePrefix: "old-" })).toEqual([
      { externalName: long, action: "fail", reason: expect.stringContaining("cannot be a secret name") },
    ]);
  });

  it("two external names mapping to one secret name: the first is imported, the second fails naming the first", () => {
    expect(planImport(entries("a_b", "a/b", "a.b"), base)).toEqual([
      { externalName: "a.b", action: "import", name: "a_b" },
      { externalName: "a/b", action: "fail", reason: "'a.b' is imported as 'a_b' too" },
      { externalName: "a_b", action: "fail", reason: "'a.b' is imported as 'a_b' too" },
    ]);
  });
});
