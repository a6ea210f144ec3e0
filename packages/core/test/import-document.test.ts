import { describe, expect, it } from "@jest/globals";
import { documentImportSource, documentSecrets } from "../src/index.js";
import { thrown } from "./support/thrown.js";

describe("documentSecrets", () => {
  it("a map of maps holds one secret per top-level key", () => {
    expect(documentSecrets({ db: { user: "u" }, api: { key: "k", port: 1 } }, "'s.json'")).toEqual({
      kind: "secrets",
      secrets: new Map([
        ["db", { user: "u" }],
        ["api", { key: "k", port: 1 }],
      ]),
    });
  });

  it("a map without maps holds the values of one secret", () => {
    expect(documentSecrets({ user: "u", port: 5432, hosts: ["a"] }, "'s.json'")).toEqual({ kind: "values", values: { user: "u", port: 5432, hosts: ["a"] } });
  });

  it("anything else is a validation error naming the file, never a value", () => {
    for (const document of [null, "text", ["a"], 42]) {
      expect(thrown(() => documentSecrets(document, "'s.yaml'")).message).toMatch(/^'s\.yaml' must be a mapping/);
    }
    expect(thrown(() => documentSecrets({}, "'s.yaml'")).message).toBe("'s.yaml' holds nothing to import.");
    const mixed = thrown(() => documentSecrets({ db: { user: "u" }, token: "mixed-secret-value" }, "'s.yaml'"));
    expect(mixed).toMatchObject({ code: "VALIDATION_ERROR" });
    expect(mixed.message).toBe("'s.yaml' mixes maps (one secret each: 'db') with plain values ('token'); it must hold one or the other.");
  });
});

describe("documentImportSource", () => {
  it("lists the secrets by name and reads each one's map", async () => {
    const source = documentImportSource(new Map([["db", { user: "u" }]]));
    expect(await source.list("")).toEqual([{ externalName: "db" }]);
    expect(await source.read("db")).toEqual({ kind: "map", map: { user: "u" } });
    await source.close();
  });
});
