import { beforeAll, describe, expect, it } from "@jest/globals";
import { parse as parseYaml } from "yaml";
import { cells } from "./support/fixtures.js";
import { HARNESS_FACTORIES, expectError, expectUsageError, useZsHarness, type DescribeHarness, type WirePage, type WireSecret } from "./support/zs-process.js";

type Listed = Omit<WireSecret, "values"> & { updated_by: string | null };

/** The names a `list` table shows, in order; also checks the table's layout. */
function namesOfTable(stdout: string): string[] {
  const lines = stdout.split("\n");
  expect(cells(lines[0]!)).toEqual(["NAME", "ID", "SCOPE", "KEYS", "UPDATED"]);
  const blank = lines.indexOf("");
  expect(lines.slice(blank + 2)).toEqual([""]);
  expect(lines[blank + 1]).toMatch(/^Page \d+\/\d+, \d+ secrets?\.$/);
  return lines.slice(1, blank).map((line) => cells(line)[0]!);
}

async function listNames(zs: DescribeHarness, ...args: string[]): Promise<string[]> {
  const page = await zs.json<WirePage<Listed>>(["secret", "list", "--size", "1000", ...args]);
  return page.items.map((s) => s.name);
}

describe.each(HARNESS_FACTORIES)("zs secret list: an empty store ($mode)", (factory) => {
  const zs = useZsHarness(factory);

  it("prints 'No secrets found.'", async () => {
    expect(await zs.run(["secret", "list"])).toEqual({ code: 0, stdout: "No secrets found.\n", stderr: "" });
  });

  it("-o json is an empty first page of one", async () => {
    expect(await zs.json(["secret", "list"])).toEqual({ index: 1, max_size: 20, total_pages: 1, total: 0, items: [] });
  });

  it("page 2 of an empty result is PAGE_OUT_OF_RANGE naming the last page", async () => {
    expectError(await zs.run(["secret", "list", "--page", "2"]), "Page 2 is out of range: the last page is 1.");
  });
});

describe.each(HARNESS_FACTORIES)("zs secret list: pages of 52 secrets ($mode)", (factory) => {
  const zs = useZsHarness(factory);
  const names = Array.from({ length: 52 }, (_, i) => `page-${String(i).padStart(2, "0")}`);

  beforeAll(async () => {
    // One `zs secret import` for the 52, rather than 52 `zs` processes.
    const file = await zs.writeFile("pages.json", JSON.stringify(Object.fromEntries(names.map((name) => [name, { n: `${name}-value` }]))));
    await zs.ok(["secret", "import", "-f", file]);
  }, 60_000);

  it("shows 20 secrets and 'Page 1/3, 52 secrets.' by default", async () => {
    const result = await zs.ok(["secret", "list"]);
    expect(result.stderr).toBe("");
    expect(namesOfTable(result.stdout)).toHaveLength(20);
    expect(result.stdout.endsWith("\n\nPage 1/3, 52 secrets.\n")).toBe(true);
  });

  it("--page 3 holds the last 12; the three pages neither overlap nor skip", async () => {
    const last = await zs.ok(["secret", "list", "--page", "3"]);
    expect(namesOfTable(last.stdout)).toHaveLength(12);
    expect(last.stdout.endsWith("\n\nPage 3/3, 52 secrets.\n")).toBe(true);
    const ids: string[] = [];
    for (const page of ["1", "2", "3"]) {
      const listed = await zs.json<WirePage<Listed>>(["secret", "list", "--page", page, "--sort-by", "name"]);
      expect(listed).toMatchObject({ index: Number(page), max_size: 20, total_pages: 3, total: 52 });
      ids.push(...listed.items.map((s) => s.id));
    }
    expect(new Set(ids).size).toBe(52);
  });

  it("--size sets the page size", async () => {
    const page = await zs.json<WirePage<Listed>>(["secret", "list", "--size", "25", "--page", "3", "--sort-by", "name"]);
    expect(page).toMatchObject({ index: 3, max_size: 25, total_pages: 3, total: 52 });
    expect(page.items.map((s) => s.name)).toEqual(["page-50", "page-51"]);
    const table = await zs.ok(["secret", "list", "--size", "50", "--page", "2"]);
    expect(namesOfTable(table.stdout)).toHaveLength(2);
    expect(table.stdout.endsWith("Page 2/2, 52 secrets.\n")).toBe(true);
  });

  it("a page beyond the last is PAGE_OUT_OF_RANGE (exit 1) naming the last page", async () => {
    expectError(await zs.run(["secret", "list", "--page", "4"]), "Page 4 is out of range: the last page is 3.");
    expectError(await zs.run(["secret", "list", "--size", "1000", "--page", "2"]), "Page 2 is out of range: the last page is 1.");
  });

  it("refuses pages and sizes out of bounds (exit 1) and non-numbers (usage, exit 2)", async () => {
    expectError(await zs.run(["secret", "list", "--page", "0"]), "Invalid list query: page: must be 1 or more.");
    expectError(await zs.run(["secret", "list", "--size", "0"]), "Invalid list query: size: must be 1-1000.");
    expectError(await zs.run(["secret", "list", "--size", "1001"]), "Invalid list query: size: must be 1-1000.");
    expectError(await zs.run(["secret", "list", "--page", "x"]), "--page must be a whole number, not 'x'.", 2);
    expectError(await zs.run(["secret", "list", "--size", "-5"]), "--size must be a whole number, not '-5'.", 2);
    expectError(await zs.run(["secret", "list", "--page", "1.5"]), "--page must be a whole number, not '1.5'.", 2);
  });

  it("never prints a value, in any format", async () => {
    for (const format of ["table", "json", "yaml"]) {
      const result = await zs.ok(["secret", "list", "--size", "100", "-o", format]);
      expect(result.stdout).not.toContain("-value");
    }
  });
});

describe.each(HARNESS_FACTORIES)("zs secret list: filters and sort ($mode)", (factory) => {
  const zs = useZsHarness(factory);
  // Created in this order, one after the other, so `created` orders them.
  const fixtures: ReadonlyArray<{ name: string; values: Record<string, string>; scope?: "user" }> = [
    { name: "app-db", values: { user: "u-app", password: "pw-app-db" } },
    { name: "app-cache", values: { url: "redis://cache" } },
    { name: "web-db", values: { token: "tok-web" }, scope: "user" },
    { name: "svc_1", values: { k: "underscore" } },
    { name: "svcx1", values: { k: "no-underscore" } },
    { name: "Upper-DB", values: { k: "upper" } },
  ];
  const all = fixtures.map((f) => f.name);
  const byName: Record<string, WireSecret> = {};

  beforeAll(async () => {
    for (const { name, values, scope } of fixtures) byName[name] = await zs.createSecret(name, values, scope);
  }, 60_000);

  it("prints NAME, ID, SCOPE, KEYS, UPDATED rows in created order, then 'Page 1/1, 6 secrets.'", async () => {
    const result = await zs.ok(["secret", "list"]);
    expect(result.stderr).toBe("");
    const lines = result.stdout.split("\n");
    expect(cells(lines[0]!)).toEqual(["NAME", "ID", "SCOPE", "KEYS", "UPDATED"]);
    expect(lines.slice(1, 7).map((line) => line.trim().split(/ {2,}/))).toEqual(
      fixtures.map(({ name }) => {
        const s = byName[name]!;
        return [s.name, s.id, s.scope, s.keys.join(", "), s.updated];
      }),
    );
    expect(lines.slice(7)).toEqual(["", "Page 1/1, 6 secrets.", ""]);
    for (const { values } of fixtures) for (const value of Object.values(values)) expect(result.stdout).not.toContain(value);
  });

  it("says 'Page 1/1, 1 secret.' for a single secret", async () => {
    const result = await zs.ok(["secret", "list", "--name", "app-db"]);
    expect(namesOfTable(result.stdout)).toEqual(["app-db"]);
    expect(result.stdout.endsWith("\n\nPage 1/1, 1 secret.\n")).toBe(true);
  });

  it("-o json is {index, max_size, total_pages, total, items} with metadata and who updated last", async () => {
    const result = await zs.ok(["secret", "list", "-o", "json"]);
    const page = JSON.parse(result.stdout) as WirePage<Listed>;
    expect(Object.keys(page)).toEqual(["index", "max_size", "total_pages", "total", "items"]);
    expect(page).toMatchObject({ index: 1, max_size: 20, total_pages: 1, total: 6 });
    expect(page.items).toEqual(fixtures.map(({ name }) => {
      const { values: _values, ...metadata } = byName[name]!;
      // One user created every fixture and nobody changed one since.
      return { ...metadata, updated_by: metadata.user };
    }));
    for (const item of page.items) expect(item).not.toHaveProperty("values");
    expect(parseYaml((await zs.ok(["secret", "list", "-o", "yaml"])).stdout)).toEqual(page);
  });

  it.each([
    ["contains:db", ["app-db", "web-db"]],
    ["startswith:app", ["app-db", "app-cache"]],
    ["endswith:-db", ["app-db", "web-db"]],
    ["equals:app-db", ["app-db"]],
    ["app-db", ["app-db"]],
    ["notequals:app-db", ["app-cache", "web-db", "svc_1", "svcx1", "Upper-DB"]],
    ["contains:DB", ["Upper-DB"]],
    ["contains:c_", ["svc_1"]],
    ["equals:svc_1", ["svc_1"]],
    ["startswith:svc_", ["svc_1"]],
    ["contains:%", []],
    ["equals:nothing", []],
  ])("--name %s (case-sensitive; _ and %% are literal)", async (filter, expected) => {
    expect(await listNames(zs, "--name", filter)).toEqual(expected);
  });

  it("--scope filters by scope", async () => {
    expect(await listNames(zs, "--scope", "user")).toEqual(["web-db"]);
    expect(await listNames(zs, "--scope", "workspace")).toEqual(all.filter((n) => n !== "web-db"));
    expect(await listNames(zs, "--scope", "notequals:workspace")).toEqual(["web-db"]);
  });

  it("--user filters by the owner's name", async () => {
    expect(await listNames(zs, "--user", zs.user)).toEqual(all);
    expect(await listNames(zs, "--user", `startswith:${zs.user.slice(0, 3)}`)).toEqual(all);
    expect(await zs.run(["secret", "list", "--user", `notequals:${zs.user}`])).toEqual({ code: 0, stdout: "No secrets found.\n", stderr: "" });
  });

  it("--id filters by id, whole or in part", async () => {
    const { id } = byName["app-cache"]!;
    expect(await listNames(zs, "--id", id)).toEqual(["app-cache"]);
    expect(await listNames(zs, "--id", `startswith:${id.slice(0, 8)}`)).toEqual(["app-cache"]);
    expect(await listNames(zs, "--id", `endswith:${id.slice(-12)}`)).toEqual(["app-cache"]);
  });

  it("--created and --updated compare with gt/gte/lt/lte/equals, ISO-8601 or 'YYYY-MM-DD HH:MM:SS'", async () => {
    const cache = byName["app-cache"]!;
    expect(await listNames(zs, "--created", "gt:2000-01-01 00:00:00")).toEqual(all);
    expect(await listNames(zs, "--created", "lt:2000-01-01 00:00:00")).toEqual([]);
    expect(await listNames(zs, "--created", "gt:2000-01-01T00:00:00Z")).toEqual(all);
    expect(await listNames(zs, "--updated", "lt:2999-12-31 23:59:59")).toEqual(all);
    expect(await listNames(zs, "--updated", "gt:2999-12-31T23:59:59.999Z")).toEqual([]);
    expect(await listNames(zs, "--created", `equals:${cache.created}`)).toEqual(["app-cache"]);
    expect(await listNames(zs, "--created", `lt:${cache.created}`)).toEqual(["app-db"]);
    expect(await listNames(zs, "--created", `lte:${cache.created}`)).toEqual(["app-db", "app-cache"]);
    expect(await listNames(zs, "--created", `gte:${cache.created}`)).toEqual(all.slice(1));
    expect(await listNames(zs, "--created", `gt:${cache.created}`)).toEqual(all.slice(2));
  });

  it("combines filters with AND by default, with OR given --logical-operator or", async () => {
    expect(await listNames(zs, "--name", "startswith:app", "--scope", "user")).toEqual([]);
    expect(await listNames(zs, "--name", "startswith:app", "--scope", "user", "--logical-operator", "or")).toEqual(["app-db", "app-cache", "web-db"]);
    expect(await listNames(zs, "--name", "contains:db", "--scope", "workspace", "--logical-operator", "and")).toEqual(["app-db"]);
    expect(await listNames(zs, "--logical-operator", "or")).toEqual(all);
  });

  it("--sort-by [asc:|desc:]FIELD orders the list", async () => {
    const sorted = [...all].sort();
    expect(await listNames(zs, "--sort-by", "name")).toEqual(sorted);
    expect(await listNames(zs, "--sort-by", "asc:name")).toEqual(sorted);
    expect(await listNames(zs, "--sort-by", "desc:name")).toEqual([...sorted].reverse());
    expect(await listNames(zs, "--sort-by", "desc:created")).toEqual([...all].reverse());
    expect(namesOfTable((await zs.ok(["secret", "list", "--sort-by", "desc:name"])).stdout)).toEqual([...sorted].reverse());
    const byScope = await listNames(zs, "--sort-by", "desc:scope");
    expect(byScope[byScope.length - 1]).toBe("web-db");
  });

  it.each([
    [["--name", "gt:x"], "Operator 'gt' cannot filter 'name'; use one of: equals, notequals, contains, startswith, endswith."],
    [["--created", "contains:2020"], "Operator 'contains' cannot filter 'created'; use one of: equals, gt, gte, lt, lte."],
    [["--updated", "gt:yesterday"], "'yesterday' is not a date for 'updated'; use ISO-8601 or 'YYYY-MM-DD HH:MM:SS' (UTC)."],
    [["--created", "gt:2026-02-30 00:00:00"], "'2026-02-30 00:00:00' is not a date for 'created'; use ISO-8601 or 'YYYY-MM-DD HH:MM:SS' (UTC)."],
    [["--scope", "global"], "Scope filter value 'global' is not a scope; use 'workspace' or 'user'."],
    [["--sort-by", "desc:bogus"], "Cannot sort by 'bogus'; use one of: name, created, updated, scope, optionally prefixed 'asc:' or 'desc:'."],
    [["--sort-by", "keys"], "Cannot sort by 'keys'; use one of: name, created, updated, scope, optionally prefixed 'asc:' or 'desc:'."],
  ])("refuses %j with INVALID_FILTER's message, exit 1", async (args, message) => {
    expectError(await zs.run(["secret", "list", ...args]), message);
  });

  it("refuses an unknown --logical-operator or -o as usage errors", async () => {
    expectUsageError(await zs.run(["secret", "list", "--logical-operator", "xor"]), "argument 'xor' is invalid. Allowed choices are and, or.");
    expectUsageError(await zs.run(["secret", "list", "-o", "env"]), "argument 'env' is invalid. Allowed choices are table, json, yaml.");
  });

  it("--workspace lists another workspace, and '*' every workspace", async () => {
    await zs.ok(["workspace", "create", "other"]);
    await zs.ok(["secret", "create", "elsewhere", "--workspace", "other", "--k=v"]);
    expect(await listNames(zs)).toEqual(all);
    expect(await listNames(zs, "--workspace", "other")).toEqual(["elsewhere"]);
    expect(await listNames(zs, "--workspace", "*")).toEqual([...all, "elsewhere"]);
    const everywhere = await zs.json<WirePage<Listed>>(["secret", "list", "--workspace", "*", "--name", "elsewhere"]);
    expect(everywhere.items.map((s) => s.workspace)).toEqual(["other"]);
    expect(await listNames(zs, "--workspace", "*", "--name", "contains:db")).toEqual(["app-db", "web-db"]);
  });
});
