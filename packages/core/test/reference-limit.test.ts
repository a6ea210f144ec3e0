import { describe, expect, it } from "@jest/globals";
import { LIMITS, ReferenceResolver, ZsError, assertReferenceLimit, assertTextLimit, countReferences, type Caller, type ReferenceSecrets } from "../src/index.js";
import { thrown } from "./support/thrown.js";

const times = (text: string, n: number) => Array.from({ length: n }, () => text).join("");

describe("countReferences", () => {
  it("counts every occurrence in every text, and only well-formed references", () => {
    expect(countReferences(["{{a.b}}{{a.b}} {{ c.d.e }}", "\\{{a.b}} ${{a.b}} {{x . y}} {{nodot}}", "{{z.k}}"])).toBe(4);
    expect(countReferences([])).toBe(0);
  });
});

describe("the limit of one resolution (operations.md)", () => {
  it("is 1,000 references", () => {
    expect(LIMITS.maxReferencesPerResolution).toBe(1000);
  });

  it("1,000 pass; 1,001 are LIMIT_EXCEEDED naming what holds them, the count and the limit", () => {
    expect(() => assertReferenceLimit(1000, "the text")).not.toThrow();
    expect(thrown(() => assertReferenceLimit(1234, "stack 'web'"))).toMatchObject({
      code: "LIMIT_EXCEEDED",
      message: "Stack 'web' holds 1,234 references; one resolution may hold at most 1,000: split it into smaller ones.",
      details: { limit: 1000, count: 1234 },
    });
    expect(() => assertTextLimit(1000)).not.toThrow();
    expect(thrown(() => assertTextLimit(1001))).toMatchObject({ code: "LIMIT_EXCEEDED", message: expect.stringContaining("1,001 texts") });
  });

  it("a resolver renders at most 1,000 references in all, refusing the text that would pass it before that text's lookups", async () => {
    const calls: string[] = [];
    const secrets: ReferenceSecrets = {
      findSecret: async (_caller, name) => {
        calls.push(`find ${name}`);
        return { id: `id-${name}`, name, keys: ["k"] } as Awaited<ReturnType<ReferenceSecrets["findSecret"]>>;
      },
      getSecret: async (_caller, id) => {
        calls.push(`get ${id}`);
        return { values: { k: "v" } } as unknown as Awaited<ReturnType<ReferenceSecrets["getSecret"]>>;
      },
    };
    const caller: Caller = { userId: "u", userName: "u", isAdmin: false, workspace: "default" };
    const resolver = new ReferenceResolver(secrets, caller, "default");
    expect(await resolver.render(times("{{a.k}}", 600), "text 1")).toBe(times("v", 600));
    calls.length = 0;
    const error = await resolver.render(times("{{b.k}}", 401), "text 2").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZsError);
    expect(error).toMatchObject({ code: "LIMIT_EXCEEDED", details: { count: 1001 } });
    expect(calls).toEqual([]);
  });
});
