import { describe, expect, it } from "@jest/globals";
import { z } from "zod";
import {
  MAX_LISTED_PROBLEMS,
  describeIssues,
  isValidKey,
  parseInput,
  secretCreateSchema,
  secretUpdateSchema,
  secretValuesPatchSchema,
  secretValuesSchema,
  userCreateSchema,
} from "../src/index.js";
import { thrown } from "./support/thrown.js";

const validationError = thrown;

describe("parseInput", () => {
  it("returns the parsed input when it is valid", () => {
    expect(parseInput(secretCreateSchema, { name: "db", values: { user: "u", "db.password": "" } }, "secret")).toEqual({
      name: "db",
      values: { user: "u", "db.password": "" },
    });
  });

  it("a failure is VALIDATION_ERROR saying what was being validated", () => {
    const error = validationError(() => parseInput(secretCreateSchema, { name: "a b", values: {} }, "secret"));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.message).toMatch(/^Invalid secret: /);
    expect(error.message).toContain("name: must be 1-255 characters of A-Z a-z 0-9 _ - and not a UUID");
  });

  it("takes another error code when asked", () => {
    expect(validationError(() => parseInput(z.strictObject({}), { page: 0 }, "list query", "INVALID_FILTER")).code).toBe("INVALID_FILTER");
  });

  it("unknown fields are refused and named", () => {
    const error = validationError(() => parseInput(secretCreateSchema, { name: "db", values: {}, color: "red", size: 3 }, "secret"));
    expect(error.message).toContain("unknown fields 'color', 'size'");
    const single = validationError(() => parseInput(userCreateSchema, { name: "alice", admin: true }, "user"));
    expect(single.message).toContain("unknown field 'admin'");
  });

  it("a missing required field is named", () => {
    const error = validationError(() => parseInput(secretCreateSchema, { name: "db" }, "secret"));
    expect(error.message).toMatch(/values: /);
  });

  it("an invalid record key gives a message naming the key and the rule, not zod's generic 'Invalid key in record'", () => {
    const error = validationError(() => parseInput(secretCreateSchema, { name: "db", values: { "12abc": "x" } }, "secret"));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.message).toContain("values");
    expect(error.message).toContain("'12abc'");
    expect(error.message).toContain("start with a letter or '_'");
    expect(error.message).not.toContain("Invalid key in record");
  });

  it("every broken rule is listed, not just the first", () => {
    const error = validationError(() =>
      parseInput(secretCreateSchema, { name: "a.b", scope: "team", values: { "abc d": "x", ok: "y" }, extra: 1 }, "secret"),
    );
    expect(error.message).toContain("name: must be 1-255 characters");
    expect(error.message).toContain("scope: must be 'workspace' or 'user'");
    expect(error.message).toContain("'abc d'");
    expect(error.message).toContain("unknown field 'extra'");
  });

  it("update values may be null (remove) but not another type", () => {
    expect(parseInput(secretUpdateSchema, { values: { gone: null, kept: "v" } }, "update")).toEqual({ values: { gone: null, kept: "v" } });
    expect(validationError(() => parseInput(secretUpdateSchema, { values: { x: 1 } }, "update")).message).toContain("values.x: ");
  });
});

describe("a rejected value never appears in a validation message", () => {
  it("a wrong-typed value of a valid key", () => {
    const error = validationError(() => parseInput(secretCreateSchema, { name: "db", values: { good_key: 987654321 } }, "secret"));
    expect(error.message).toContain("values.good_key");
    expect(error.message).not.toContain("987654321");
  });

  it("a distinctive string in wrong-typed fields", () => {
    const secret = "hunter2-do-not-print-me";
    const error = validationError(() =>
      parseInput(
        secretUpdateSchema,
        { name: `${secret} with spaces`, scope: secret, expectedVersion: secret, values: { k: { nested: secret } } },
        "update",
      ),
    );
    expect(error.message).toContain("name:");
    expect(error.message).toContain("scope:");
    expect(error.message).toContain("expectedVersion:");
    expect(error.message).toContain("values.k:");
    expect(error.message).not.toContain(secret);
    expect(JSON.stringify(error.details ?? {})).not.toContain(secret);
  });

  it("a values map that is not an object", () => {
    const secret = "s3cr3t-as-a-whole-string";
    const error = validationError(() => parseInput(secretValuesSchema, secret, "values"));
    expect(error.message).not.toContain(secret);
  });
});

describe("describeIssues", () => {
  it("joins 'path: rule' for every issue with '; '", () => {
    const result = z.strictObject({ a: z.string(), b: z.object({ c: z.number() }) }).safeParse({ a: 1, b: { c: "x" } });
    expect(result.success).toBe(false);
    const text = describeIssues(result.error!.issues);
    expect(text.split("; ")).toHaveLength(2);
    expect(text).toMatch(/^a: .+; b\.c: .+$/);
  });

  it("an issue at the root has no path prefix", () => {
    const result = z.string().safeParse(5);
    expect(describeIssues(result.error!.issues)).not.toMatch(/^: /);
  });

  it("uses the nested reasons of an invalid record key", () => {
    const schema = z.record(z.string().refine((key) => key.startsWith("k"), { error: "must start with k" }), z.string());
    const result = schema.safeParse({ k1: "a", bad: "b" });
    expect(result.error?.issues[0]?.code).toBe("invalid_key");
    const text = describeIssues(result.error!.issues);
    expect(text).toContain("bad");
    expect(text).toContain("must start with k");
  });
});

describe("validation errors list at most 20 problems", () => {
  const badKeys = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`${i}bad`, "v"]));

  it("1,500 bad keys: 20 problems listed, then '… and N more'", () => {
    const error = validationError(() => parseInput(secretCreateSchema, { name: "db", values: badKeys(1500) }, "secret"));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.message.match(/invalid key '/g)).toHaveLength(MAX_LISTED_PROBLEMS);
    expect(error.message).toContain("values.0bad: invalid key '0bad'");
    expect(error.message).not.toContain("'20bad'");
    expect(error.message).toMatch(/; … and 1480 more\.$/);
    expect(error.message.length).toBeLessThan(5000);
  });

  it("more keys than any secret or patch can hold (over 2,000) are SECRET_TOO_LARGE before any key is checked", () => {
    for (const [schema, input] of [
      [secretCreateSchema, { name: "db", values: badKeys(45_000) }],
      [secretUpdateSchema, { values: badKeys(45_000) }],
    ] as const) {
      const error = thrown(() => parseInput(schema, input, "secret"));
      expect({ code: error.code, message: error.message }).toEqual({ code: "SECRET_TOO_LARGE", message: "A secret holds at most 1000 keys; these values have 45000." });
    }
    expect(validationError(() => parseInput(secretUpdateSchema, { values: badKeys(2000) }, "update")).code).toBe("VALIDATION_ERROR");
  });

  it("each unknown field counts as a problem, and a long one is quoted shortened", () => {
    const fields = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`field${i}`, 1]));
    const long = "x".repeat(10_000);
    const error = validationError(() => parseInput(secretCreateSchema, { name: "db", values: {}, [long]: 1, ...fields }, "secret"));
    expect(error.message).toContain("', 'field0', 'field1', ");
    expect(error.message).toContain("'field18'");
    expect(error.message).not.toContain("'field19'");
    expect(error.message).toMatch(/… and 11 more\.$/);
    expect(error.message).toContain(`'${"x".repeat(80)}…'`);
    expect(error.message.length).toBeLessThan(2000);
  });

  it("exactly 20 problems are all listed, with no '… and' tail", () => {
    const error = validationError(() => parseInput(secretCreateSchema, { name: "db", values: badKeys(20) }, "secret"));
    expect(error.message.match(/invalid key '/g)).toHaveLength(20);
    expect(error.message).not.toContain("… and");
  });

  it("describing 10,000 problems formats only the first 20", () => {
    // A record of its own: secrets' values refuse that many keys before checking them.
    const result = z.object({ values: z.record(z.string().regex(/^[A-Za-z_]/), z.string()) }).safeParse({ values: badKeys(10_000) });
    let messagesRead = 0;
    const issues = result.error!.issues.map((issue) => {
      const nested = "issues" in issue ? issue.issues.map((inner) => countingMessage(inner, () => messagesRead++)) : [];
      return "issues" in issue ? { ...issue, issues: nested } : issue;
    }) as z.core.$ZodIssue[];
    const text = describeIssues(issues);
    expect(messagesRead).toBe(MAX_LISTED_PROBLEMS);
    expect(text).toMatch(/… and 9980 more$/);
  });
});

/** `issue` whose message getter counts its reads. */
function countingMessage<T extends { message: string }>(issue: T, onRead: () => void): T {
  const { message, ...rest } = issue;
  return Object.defineProperty({ ...rest }, "message", {
    get() {
      onRead();
      return message;
    },
    enumerable: true,
  }) as T;
}

describe("quoteInput: false (unauthenticated routes)", () => {
  it("unknown fields are refused without being named", () => {
    const error = validationError(() =>
      parseInput(z.strictObject({ username: z.string() }), { username: "u", otp_x9: 1, other_y8: 2 }, "login", "VALIDATION_ERROR", { quoteInput: false }),
    );
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.message).toBe("Invalid login: unknown fields are not allowed.");
  });

  it("an invalid record key is refused without being quoted, known fields are still named", () => {
    const error = validationError(() =>
      parseInput(secretCreateSchema, { name: 5, values: { "9zz_key": "v" } }, "secret", "VALIDATION_ERROR", { quoteInput: false }),
    );
    expect(error.message).toContain("name: ");
    expect(error.message).toContain("invalid key");
    expect(error.message).not.toContain("'9zz_key'");
  });
});

describe("the __proto__ key", () => {
  it("is refused in values rather than silently dropped", () => {
    const input = JSON.parse('{"__proto__":"x","b":"y"}');
    expect(() => parseInput(secretValuesSchema, input, "values")).toThrow(/__proto__/);
    expect(() => parseInput(secretValuesPatchSchema, input, "values")).toThrow(/__proto__/);
  });

  it("is refused as a key name", () => {
    expect(isValidKey("__proto__")).toBe(false);
  });
});
