import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import {
  ZsError,
  findMalformedReferences,
  renameReferences,
  findReferences,
  isReference,
  parseReference,
  parseTemplate,
  renderTemplate,
  type SecretReference,
} from "../src/index.js";

const ref = (name: string, key: string, raw: string) => ({ name, key, raw });
const nameKey = (references: SecretReference[]) => references.map(({ name, key }) => ({ name, key }));

describe("findReferences", () => {
  it.each<[string, SecretReference[]]>([
    ["{{db.password}}", [ref("db", "password", "{{db.password}}")]],
    ["{{ db.password }}", [ref("db", "password", "{{ db.password }}")]],
    ["{{   db.password}}", [ref("db", "password", "{{   db.password}}")]],
    ["{{db.a.b}}", [ref("db", "a.b", "{{db.a.b}}")]],
    ["{{my-db_2.api-key}}", [ref("my-db_2", "api-key", "{{my-db_2.api-key}}")]],
    ["{{db._x}}", [ref("db", "_x", "{{db._x}}")]],
    [
      "postgres://{{db.user}}:{{db.password}}@host/app",
      [ref("db", "user", "{{db.user}}"), ref("db", "password", "{{db.password}}")],
    ],
    ["{{a.x}}{{b.y}}", [ref("a", "x", "{{a.x}}"), ref("b", "y", "{{b.y}}")]],
    ["no references here", []],
    ["", []],
  ])("%j holds %j", (text, expected) => {
    expect(findReferences(text)).toEqual(expected);
  });

  it("{{ db.password }} is equivalent to {{db.password}}", () => {
    const [spaced] = findReferences("{{ db.password }}");
    const [tight] = findReferences("{{db.password}}");
    expect({ name: spaced?.name, key: spaced?.key }).toEqual({ name: tight?.name, key: tight?.key });
  });

  it.each([
    ["{{db . password}}", "spaces around the dot"],
    ["{db.password}", "single braces"],
    ["${{db.password}}", "a dollar before the braces"],
    ["{{nodot}}", "no dot"],
    ["{{db.}}", "an empty key"],
    ["{{.password}}", "an empty name"],
    ["{{db.12abc}}", "a key starting with a digit"],
    ["{{d b.password}}", "a space in the name"],
    ["{{db.pass word}}", "a space in the key"],
    ["{{db.password}", "an unclosed reference"],
    ["{{\tdb.password}}", "a tab instead of a space"],
    ["\\{{db.password}}", "an escaped opening"],
  ])("%j is not a reference (%s)", (text) => {
    expect(findReferences(text)).toEqual([]);
    expect(isReference(text)).toBe(false);
  });
});

describe("parseTemplate", () => {
  it("splits text into literal text and references", () => {
    expect(parseTemplate("postgres://{{db.user}}:{{db.password}}@host/app")).toEqual([
      { kind: "text", text: "postgres://" },
      { kind: "reference", name: "db", key: "user", raw: "{{db.user}}" },
      { kind: "text", text: ":" },
      { kind: "reference", name: "db", key: "password", raw: "{{db.password}}" },
      { kind: "text", text: "@host/app" },
    ]);
  });

  it("'\\{{' is a literal '{{'", () => {
    expect(parseTemplate("\\{{db.password}}")).toEqual([{ kind: "text", text: "{{db.password}}" }]);
    expect(parseTemplate("a \\{{ b {{s.k}}")).toEqual([
      { kind: "text", text: "a {{ b " },
      { kind: "reference", name: "s", key: "k", raw: "{{s.k}}" },
    ]);
  });

  it("a non-reference keeps its text verbatim", () => {
    for (const text of ["${{db.password}}", "{{db . password}}", "{db.password}", "{{nodot}}", "}}{{"]) {
      expect(parseTemplate(text)).toEqual([{ kind: "text", text }]);
    }
  });

  it("the empty string has no segments", () => {
    expect(parseTemplate("")).toEqual([]);
  });
});

describe("findMalformedReferences", () => {
  it("reports {{…}} spans that look like references but are not", () => {
    expect(findMalformedReferences("url={{db . password}}")).toEqual(["{{db . password}}"]);
    expect(findMalformedReferences("{{nodot}} and {{db.12abc}}")).toEqual(["{{nodot}}", "{{db.12abc}}"]);
  });

  it("reports a span once, not again for each '{' inside it", () => {
    expect(findMalformedReferences("{{{{x}}")).toEqual(["{{{{x}}"]);
    expect(findMalformedReferences("{{{x}} {{y}}")).toEqual(["{{{x}}", "{{y}}"]);
  });

  it("reports nothing for valid references, plain text, escapes or ${{…}}", () => {
    for (const text of ["{{db.password}}", "postgres://{{db.user}}@h", "plain", "\\{{db . password}}", "${{db . password}}", "{single}"]) {
      expect(findMalformedReferences(text)).toEqual([]);
    }
  });
});

describe("isReference and parseReference", () => {
  it("a string that is exactly one reference is a reference", () => {
    expect(isReference("{{db.password}}")).toBe(true);
    expect(isReference("{{ db.a.b }}")).toBe(true);
    expect(parseReference("{{ db.a.b }}")).toEqual({ name: "db", key: "a.b", raw: "{{ db.a.b }}" });
  });

  it.each(["x{{db.password}}", "{{db.password}} ", "{{a.b}}{{c.d}}", "", "db.password", "{{db . password}}", "{{nodot}}"])(
    "%j is not exactly one reference: parseReference throws INVALID_REFERENCE",
    (text) => {
      expect(isReference(text)).toBe(false);
      let caught: unknown;
      try {
        parseReference(text);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ZsError);
      expect((caught as ZsError).code).toBe("INVALID_REFERENCE");
      expect((caught as ZsError).message).toContain("{{secret_name.key}}");
    },
  );
});

describe("renderTemplate", () => {
  const values: Record<string, string> = { "db.user": "app", "db.password": "p@ss:word", "db.a.b": "nested" };
  const valueOf = (reference: SecretReference) => values[`${reference.name}.${reference.key}`] ?? "<missing>";

  it("replaces every reference and keeps the text around it", () => {
    expect(renderTemplate(parseTemplate("postgres://{{db.user}}:{{ db.password }}@host/app"), valueOf)).toBe("postgres://app:p@ss:word@host/app");
  });

  it("renders escapes as literal '{{' and leaves non-references as written", () => {
    expect(renderTemplate(parseTemplate("\\{{db.user}} ${{db.user}} {{db . user}} {{db.a.b}}"), valueOf)).toBe("{{db.user}} ${{db.user}} {{db . user}} nested");
  });

  it("a value that looks like a reference is inserted verbatim, never resolved again", () => {
    expect(renderTemplate(parseTemplate("{{x.y}}"), () => "{{db.password}}")).toBe("{{db.password}}");
  });

  it("text without references renders unchanged", () => {
    const text = "no {refs} here }} {{";
    expect(renderTemplate(parseTemplate(text), valueOf)).toBe(text);
  });
});

describe("nasty inputs never throw", () => {
  it.each([
    "{{",
    "}}",
    "{{{",
    "{{}}",
    "{{ }}",
    "{{.}}",
    "{{{{a.b}}}}",
    "{{a.b}}}}",
    "{{{{a.b}}",
    "\\",
    "\\{",
    "\\{{",
    "\\\\{{a.b}}",
    "{{a.b",
    "a.b}}",
    "{{a.b}}}",
    "$",
    "${{",
    "\u0000{{a.b}}\u0000",
    "{{😀.key}}",
    "{{a.😀}}",
  ])("%j", (text) => {
    expect(() => parseTemplate(text)).not.toThrow();
    expect(() => findMalformedReferences(text)).not.toThrow();
    expect(() => isReference(text)).not.toThrow();
    expect(renderTemplate(parseTemplate(text), () => "")).toEqual(expect.any(String));
  });

  it("{{{{a.b}}}} holds the reference a.b surrounded by literal braces", () => {
    expect(parseTemplate("{{{{a.b}}}}")).toEqual([
      { kind: "text", text: "{{" },
      { kind: "reference", name: "a", key: "b", raw: "{{a.b}}" },
      { kind: "text", text: "}}" },
    ]);
  });

  it("an unbalanced template keeps all its text", () => {
    const text = "{{a.b}} {{ {{c.d}";
    expect(renderTemplate(parseTemplate(text), (r) => `<${r.name}.${r.key}>`)).toBe("<a.b> {{ {{c.d}");
  });

  it("a very long string with many references is parsed completely", () => {
    const text = "x{{s.k}}".repeat(20_000);
    expect(findReferences(text)).toHaveLength(20_000);
    expect(renderTemplate(parseTemplate(text), () => "v")).toBe("xv".repeat(20_000));
  });

  it("a very long reference-like string is not a reference and does not throw", () => {
    const longName = "n".repeat(100_000);
    expect(isReference(`{{${longName}.key}}`)).toBe(true);
    expect(isReference(`{{${longName}}}`)).toBe(false);
    expect(findMalformedReferences(`{{${longName}}}`)).toEqual([`{{${longName}}}`]);
  });

  it("a quarter megabyte of unbalanced braces is scanned in linear time (a request body cannot stall the server)", () => {
    // A quadratic scan of inputs this size takes minutes; a linear one, milliseconds.
    const size = 1 << 18;
    for (const text of ["{".repeat(size), "{{ a".repeat(size / 4), "{{a.b".repeat(Math.floor(size / 5)), `${"{".repeat(size)}}}`]) {
      const started = performance.now();
      const malformed = findMalformedReferences(text);
      const segments = parseTemplate(text);
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(segments.length).toBeGreaterThan(0);
      expect(malformed.join("").length).toBeLessThanOrEqual(text.length);
    }
  });
});

describe("properties (fast-check), over names and keys from the allowed alphabets", () => {
  // model.md: names are A-Z a-z 0-9 _ -; keys start with a letter or _, then may hold dots.
  const name = fc.stringMatching(/^[A-Za-z0-9_-]{1,24}$/);
  const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,24}$/);
  const spaces = fc.stringMatching(/^ {0,3}$/);
  // Text around a reference that cannot itself open, close or escape one.
  const plain = fc.stringMatching(/^[^{}\\$]{0,16}$/);
  const runs = { numRuns: 300 };

  it("{{n.k}} and {{ n.k }} with any spacing parse to the same (name, key), as a whole value", () => {
    fc.assert(
      fc.property(name, key, spaces, spaces, (n, k, before, after) => {
        const tight = `{{${n}.${k}}}`;
        const spaced = `{{${before}${n}.${k}${after}}}`;
        expect(nameKey(findReferences(spaced))).toEqual([{ name: n, key: k }]);
        expect(nameKey(findReferences(tight))).toEqual([{ name: n, key: k }]);
        expect(isReference(spaced)).toBe(true);
        expect(parseReference(spaced)).toEqual({ name: n, key: k, raw: spaced });
        expect(findMalformedReferences(spaced)).toEqual([]);
      }),
      runs,
    );
  });

  it("a key with dots keeps them all: only the first dot separates name and key", () => {
    fc.assert(
      fc.property(name, key, key, (n, k1, k2) => {
        expect(nameKey(findReferences(`{{${n}.${k1}.${k2}}}`))).toEqual([{ name: n, key: `${k1}.${k2}` }]);
      }),
      runs,
    );
  });

  it("a reference embedded in longer text parses to the same (name, key) and renders in place", () => {
    fc.assert(
      fc.property(plain, name, key, spaces, plain, name, key, plain, (a, n1, k1, sp, b, n2, k2, c) => {
        const text = `${a}{{${sp}${n1}.${k1}${sp}}}${b}{{${n2}.${k2}}}${c}`;
        expect(nameKey(findReferences(text))).toEqual([
          { name: n1, key: k1 },
          { name: n2, key: k2 },
        ]);
        expect(renderTemplate(parseTemplate(text), (r) => `<${r.name}|${r.key}>`)).toBe(`${a}<${n1}|${k1}>${b}<${n2}|${k2}>${c}`);
        // Two references are never "exactly one".
        expect(isReference(text)).toBe(false);
      }),
      runs,
    );
  });

  it("{{name . key}}, {name.key}, $name.key, ${{name.key}} and {{namekeynodot}} are not references", () => {
    fc.assert(
      fc.property(plain, name, key, fc.stringMatching(/^ {1,3}$/), plain, (a, n, k, sp, b) => {
        for (const form of [`{{${n}${sp}.${k}}}`, `{{${n}.${sp}${k}}}`, `{${n}.${k}}`, `$${n}.${k}`, `\${{${n}.${k}}}`, `{{${n}}}`, `{{${n}${k.replaceAll(".", "")}}}`]) {
          const text = `${a}${form}${b}`;
          expect(findReferences(text)).toEqual([]);
          expect(renderTemplate(parseTemplate(text), () => "VALUE")).toBe(text);
        }
      }),
      runs,
    );
  });

  it("\\{{ is a literal {{: an escaped reference renders as written without the backslash", () => {
    fc.assert(
      fc.property(plain, name, key, plain, (a, n, k, b) => {
        const text = `${a}\\{{${n}.${k}}}${b}`;
        expect(findReferences(text)).toEqual([]);
        expect(renderTemplate(parseTemplate(text), () => "VALUE")).toBe(`${a}{{${n}.${k}}}${b}`);
      }),
      runs,
    );
  });

  // Any string, and strings made mostly of the characters the parser cares about.
  const anyText = fc.oneof(
    fc.string({ unit: "binary", maxLength: 64 }),
    fc.string({ unit: fc.constantFrom("{", "}", "\\", "$", ".", " ", "a", "_", "-", "1"), maxLength: 64 }),
  );

  it("no input crashes the parser, and no text is lost: rendering every reference as written gives the input back, escapes unescaped", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const segments = parseTemplate(text);
        expect(renderTemplate(segments, (r) => r.raw)).toBe(text.replaceAll("\\{{", "{{"));
        for (const reference of findReferences(text)) expect(parseReference(reference.raw)).toEqual(reference);
        for (const span of findMalformedReferences(text)) expect(text).toContain(span);
        expect(typeof isReference(text)).toBe("boolean");
      }),
      { numRuns: 2000 },
    );
  });
});

describe("renameReferences", () => {
  it("renames exactly the references the parser finds, keeping spacing, escapes and other text byte for byte", () => {
    const text = "a {{db.password}} b {{ db.user }} \\{{db.x}} ${{db.y}} {{dbx.k}} {{db . k}} db.k {{other.db}}";
    expect(renameReferences(text, "db", "main-db")).toBe(
      "a {{main-db.password}} b {{ main-db.user }} \\{{db.x}} ${{db.y}} {{dbx.k}} {{db . k}} db.k {{other.db}}",
    );
    expect(renameReferences("nothing here", "db", "x")).toBe("nothing here");
  });
});
