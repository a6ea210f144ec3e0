import { randomUUID } from "node:crypto";
import { inspect } from "node:util";
import {
  LIMITS,
  findSecret,
  isZsError,
  type Caller,
  type ErrorCode,
  type Lookup,
  type Page,
  type Secret,
  type SecretCreate,
  type SecretMetadata,
  type SecretQuery,
  type SecretReader,
  type SecretUpdate,
  type SecretValues,
  type SecretsService,
  type User,
  type ZsError,
} from "@zs/core";
import type { ExpectFunction, TestApi } from "./test-api.js";

/** A fresh service over an empty database, and how to dispose of it. */
export interface ServiceFixture {
  service: SecretsService;
  /** Closes the service and removes the database. */
  teardown(): Promise<void>;
}

/** Options of `runSecretsServiceConformance`. */
export interface SecretsServiceConformanceOptions {
  /** Shown in the suite's title, e.g. `SQLite`. */
  name: string;
  api: TestApi;
  /** Opens a fresh service on an empty database (workspace `default` only, no users). */
  open(): Promise<ServiceFixture>;
  /** Per-test timeout in ms. @default 60000 */
  timeout?: number;
}

const ISO_WITH_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const METADATA_FIELDS = ["created", "id", "keys", "name", "scope", "updated", "user", "version", "workspace"];
const SORT_FIELDS = ["name", "created", "updated", "scope"] as const;
type SortField = (typeof SORT_FIELDS)[number];

/** A short random token for names and values: `[0-9a-f]{10}`. */
function token(): string {
  return randomUUID().replace(/-/g, "").slice(0, 10);
}

/** A values map whose keys plus values are exactly `bytes` UTF-8 bytes (one key, `payload`). */
function valuesOfBytes(bytes: number): SecretValues {
  return { payload: "x".repeat(bytes - "payload".length) };
}

/** `count` keys `k0`…, each with a one-byte value. */
function valuesWithKeys(count: number): SecretValues {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, "v"]));
}

/** The `YYYY-MM-DD HH:MM:SS` (UTC) form of an ISO-8601 timestamp. */
function spaced(iso: string): string {
  return iso.slice(0, 19).replace("T", " ");
}

/** The ISO-8601 timestamp `ms` milliseconds after `iso`. */
function shifted(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

/** Waits until the wall clock has entered a new second, so the next write gets a later `HH:MM:SS`. */
async function nextSecond(): Promise<void> {
  const start = Math.floor(Date.now() / 1000);
  await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 15));
  while (Math.floor(Date.now() / 1000) === start) await new Promise((resolve) => setTimeout(resolve, 5));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * What is wrong with the order of `items` for `direction:field`: out-of-order neighbours, or
 * ties whose ids are not in one consistent order (model.md: ties broken by id).
 */
function sortProblems(items: SecretMetadata[], field: SortField, direction: "asc" | "desc"): string[] {
  const sign = direction === "asc" ? 1 : -1;
  const problems: string[] = [];
  let tieOrder = 0;
  for (let i = 1; i < items.length; i++) {
    const previous = items[i - 1]!;
    const current = items[i]!;
    const byField = compareText(previous[field], current[field]) * sign;
    if (byField > 0) problems.push(`'${previous.name}' (${previous[field]}) before '${current.name}' (${current[field]})`);
    if (byField !== 0) continue;
    const byId = compareText(previous.id, current.id);
    if (byId === 0) problems.push(`id ${current.id} listed twice`);
    else if (tieOrder === 0) tieOrder = byId;
    else if (byId !== tieOrder) problems.push(`ties on ${field} at '${current.name}' are not ordered by id`);
  }
  return problems;
}

/** Every place an error could carry text: message, stack, details, cause (util.inspect shows all). */
function errorText(error: ZsError): string {
  return [error.message, String(error.stack), JSON.stringify(error.details ?? {}), inspect(error, { depth: 5 })].join("\n");
}

/**
 * One describe block's world: a fresh service opened in `beforeAll` and torn down in
 * `afterAll`, three users, and a record of every error provoked and every value written,
 * for the block's closing leak check.
 */
class ServiceGroup {
  service!: SecretsService;
  alice!: Caller;
  bob!: Caller;
  root!: Caller;
  /** Every `ZsError` a test of the block provoked through `fail`. */
  readonly errors: ZsError[] = [];
  /** Every distinctive value written through `value`. */
  readonly values: string[] = [];

  constructor(private readonly expect: ExpectFunction) {}

  /** A caller acting as `user`, in `workspace`. */
  as(user: User, workspace = "default"): Caller {
    return { userId: user.id, userName: user.name, isAdmin: user.isAdmin, workspace };
  }

  /** The same caller with another active workspace. */
  inWorkspace(caller: Caller, workspace: string): Caller {
    return { ...caller, workspace };
  }

  /** A random, valid secret name. */
  name(prefix = "s"): string {
    return `${prefix}-${token()}`;
  }

  /** A distinctive secret value, remembered for the leak check. */
  value(label = "val"): string {
    const value = `${label}-${token()}${token()}`;
    this.values.push(value);
    return value;
  }

  /** Creates a workspace-scoped secret (unless `extra` says otherwise) with one distinctive value. */
  create(caller: Caller, name: string, extra: Partial<SecretCreate> = {}): Promise<Secret> {
    return this.service.createSecret(caller, { name, values: { k: this.value() }, ...extra });
  }

  /** Awaits a rejection, asserts it is a `ZsError` with `code`, records and returns it. */
  async fail(operation: Promise<unknown>, code: ErrorCode): Promise<ZsError> {
    let outcome: unknown = undefined;
    let rejected = false;
    try {
      outcome = await operation;
    } catch (error) {
      rejected = true;
      outcome = error;
    }
    if (rejected && isZsError(outcome)) {
      this.errors.push(outcome);
      this.expect({ code: outcome.code, message: outcome.message }).toMatchObject({ code });
      return outcome;
    }
    this.expect({ code: rejected ? `non-ZsError: ${String(outcome)}` : "(it succeeded)" }).toMatchObject({ code });
    throw new Error("unreachable");
  }

  /** Names of a list, sorted, after checking `total` agrees with the items. */
  async listNames(caller: Caller, query: SecretQuery = {}): Promise<string[]> {
    const page = await this.service.listSecrets(caller, { size: LIMITS.maxPageSize, ...query });
    this.expect(page.total).toBe(page.items.length);
    return page.items.map((item) => item.name).sort();
  }

  /** Every secret value recorded that appears in some recorded error's text. */
  leaks(extraValues: string[] = []): string[] {
    const found: string[] = [];
    for (const error of this.errors) {
      const text = errorText(error);
      for (const value of [...this.values, ...extraValues]) {
        if (text.includes(value)) found.push(`${error.code} error quotes a secret value`);
      }
    }
    return found;
  }
}

/** The semantics of model.md, end to end through `SecretsService`. */
export function runSecretsServiceConformance(options: SecretsServiceConformanceOptions): void {
  const { api, timeout = 60000 } = options;
  const { describe, it, expect, beforeAll, afterAll } = api;
  const test = (title: string, body: () => Promise<void>) => it(title, body, timeout);

  /** Registers the block's fixture hooks; call first inside a `describe`. */
  function serviceGroup(): ServiceGroup {
    const group = new ServiceGroup(expect);
    let fixture: ServiceFixture | undefined;
    beforeAll(async () => {
      fixture = await options.open();
      group.service = fixture.service;
      group.alice = group.as(await fixture.service.ensureUser("alice"));
      group.bob = group.as(await fixture.service.ensureUser("bob"));
      group.root = group.as(await fixture.service.ensureUser("root", { isAdmin: true }));
    }, timeout);
    afterAll(async () => {
      await fixture?.teardown();
    }, timeout);
    return group;
  }

  /** The closing test of a block: no error it provoked quotes a value it wrote. */
  function leakCheck(group: ServiceGroup): void {
    test("no error provoked in this group quotes a secret value", async () => {
      expect(group.leaks()).toEqual([]);
    });
  }

  describe(`SecretsService conformance: ${options.name}`, () => {
    describe("create, get, list and delete", () => {
      const g = serviceGroup();

      test("create returns the values, version 1, sorted keys and created == updated in ISO-8601 with ms", async () => {
        const name = g.name("roundtrip");
        const values = { password: g.value(), empty: "", user: g.value() };
        const created = await g.service.createSecret(g.alice, { name, values });
        expect(created.id).toMatch(UUID_V4);
        expect(created.name).toBe(name);
        expect(created.scope).toBe("workspace");
        expect(created.workspace).toBe("default");
        expect(created.user).toBe("alice");
        expect(created.keys).toEqual(["empty", "password", "user"]);
        expect(created.values).toEqual(values);
        expect(created.version).toBe(1);
        expect(created.created).toMatch(ISO_WITH_MS);
        expect(created.updated).toBe(created.created);
      });

      test("get returns exactly what create returned, an empty value kept as \"\" and never null", async () => {
        const name = g.name("roundtrip");
        const created = await g.service.createSecret(g.alice, { name, values: { empty: "", other: g.value() } });
        const read = await g.service.getSecret(g.alice, name);
        expect(read).toEqual(created);
        expect(read.values.empty).toBe("");
        expect(Object.keys(read.values).sort()).toEqual(["empty", "other"]);
      });

      test("unicode, newlines and JSON-looking values round-trip unchanged", async () => {
        const values = { emoji: "🔐 clé 秘密", lines: "a\nb\r\n\tc", json: '{"a":1}', quotes: `'"\\\`$x` };
        const created = await g.service.createSecret(g.alice, { name: g.name("unicode"), values });
        expect((await g.service.getSecret(g.alice, created.id)).values).toEqual(values);
      });

      test("a secret with no keys at all can be created and read", async () => {
        const created = await g.service.createSecret(g.alice, { name: g.name("empty"), values: {} });
        expect(created.keys).toEqual([]);
        expect((await g.service.getSecret(g.alice, created.id)).values).toEqual({});
      });

      test("create with scope user returns a user-scoped secret owned by the caller", async () => {
        const created = await g.create(g.bob, g.name("mine"), { scope: "user" });
        expect(created.scope).toBe("user");
        expect(created.user).toBe("bob");
      });

      test("list items carry metadata only, never values", async () => {
        const name = g.name("listed");
        const created = await g.service.createSecret(g.alice, { name, values: { a: g.value(), b: "" } });
        const page = await g.service.listSecrets(g.alice, { name });
        expect(page.total).toBe(1);
        const item = page.items[0]!;
        expect(Object.keys(item).sort()).toEqual(METADATA_FIELDS);
        expect("values" in item).toBe(false);
        const { values: _values, ...metadata } = created;
        expect(item).toEqual(metadata);
      });

      test("delete removes the secret: get, update and a second delete are SECRET_NOT_FOUND", async () => {
        const name = g.name("doomed");
        const created = await g.create(g.alice, name);
        await g.service.deleteSecret(g.alice, name);
        await g.fail(g.service.getSecret(g.alice, created.id), "SECRET_NOT_FOUND");
        await g.fail(g.service.getSecret(g.alice, name), "SECRET_NOT_FOUND");
        await g.fail(g.service.updateSecret(g.alice, created.id, { values: { k: "x" } }), "SECRET_NOT_FOUND");
        await g.fail(g.service.deleteSecret(g.alice, created.id), "SECRET_NOT_FOUND");
        expect((await g.service.listSecrets(g.alice, { name })).total).toBe(0);
      });

      test("delete frees the name for a new secret with a new id", async () => {
        const name = g.name("reused");
        const first = await g.create(g.alice, name);
        await g.service.deleteSecret(g.alice, first.id);
        const second = await g.create(g.alice, name);
        expect(second.id).not.toBe(first.id);
        expect(second.version).toBe(1);
      });

      test("another user can delete a workspace-scoped secret", async () => {
        const created = await g.create(g.alice, g.name("shared"));
        await g.service.deleteSecret(g.bob, created.id);
        await g.fail(g.service.getSecret(g.alice, created.id), "SECRET_NOT_FOUND");
      });

      leakCheck(g);
    });

    describe("merge on update", () => {
      const g = serviceGroup();

      test("update with a string value overwrites that key and keeps the others", async () => {
        const name = g.name("merge");
        const keep = g.value();
        await g.service.createSecret(g.alice, { name, values: { a: g.value(), keep } });
        const next = g.value();
        const updated = await g.service.updateSecret(g.alice, name, { values: { a: next } });
        expect(updated.values).toEqual({ a: next, keep });
        expect((await g.service.getSecret(g.alice, name)).values).toEqual({ a: next, keep });
      });

      test("update with a new key adds it and the keys metadata follows, sorted", async () => {
        const name = g.name("merge");
        const a = g.value();
        await g.service.createSecret(g.alice, { name, values: { m: a } });
        const b = g.value();
        const updated = await g.service.updateSecret(g.alice, name, { values: { b, z: "" } });
        expect(updated.values).toEqual({ m: a, b, z: "" });
        expect(updated.keys).toEqual(["b", "m", "z"]);
        const listed = await g.service.listSecrets(g.alice, { name });
        expect(listed.items[0]!.keys).toEqual(["b", "m", "z"]);
      });

      test("update with a null value removes that key", async () => {
        const name = g.name("merge");
        const keep = g.value();
        await g.service.createSecret(g.alice, { name, values: { gone: g.value(), keep } });
        const updated = await g.service.updateSecret(g.alice, name, { values: { gone: null } });
        expect(updated.values).toEqual({ keep });
        expect(updated.keys).toEqual(["keep"]);
        const read = await g.service.getSecret(g.alice, name);
        expect(read.values).toEqual({ keep });
        expect("gone" in read.values).toBe(false);
      });

      test("removing a key that does not exist is a silent no-op on the values", async () => {
        const name = g.name("merge");
        const keep = g.value();
        await g.service.createSecret(g.alice, { name, values: { keep } });
        const updated = await g.service.updateSecret(g.alice, name, { values: { missing: null } });
        expect(updated.values).toEqual({ keep });
        expect((await g.service.getSecret(g.alice, name)).values).toEqual({ keep });
      });

      test("set, overwrite and remove combine in one update", async () => {
        const name = g.name("merge");
        const keep = g.value();
        await g.service.createSecret(g.alice, { name, values: { keep, old: g.value(), drop: g.value() } });
        const fresh = g.value();
        const replaced = g.value();
        const updated = await g.service.updateSecret(g.alice, name, { values: { fresh, old: replaced, drop: null } });
        expect(updated.values).toEqual({ keep, old: replaced, fresh });
      });

      test("update without values leaves the values untouched", async () => {
        const name = g.name("merge");
        const values = { a: g.value(), b: "" };
        await g.service.createSecret(g.alice, { name, values });
        const renamed = g.name("renamed");
        const updated = await g.service.updateSecret(g.alice, name, { name: renamed });
        expect(updated.values).toEqual(values);
        expect((await g.service.getSecret(g.alice, renamed)).values).toEqual(values);
      });

      test("every update bumps the version by one, moves updated and keeps created", async () => {
        const name = g.name("versions");
        const created = await g.create(g.alice, name);
        const first = await g.service.updateSecret(g.alice, name, { values: { k2: g.value() } });
        expect(first.version).toBe(2);
        expect(first.created).toBe(created.created);
        expect(first.updated).toMatch(ISO_WITH_MS);
        expect(Date.parse(first.updated)).toBeGreaterThan(Date.parse(created.updated));
        const second = await g.service.updateSecret(g.alice, name, { values: { k2: null } });
        expect(second.version).toBe(3);
        expect(Date.parse(second.updated)).toBeGreaterThan(Date.parse(first.updated));
        const read = await g.service.getSecret(g.alice, name);
        expect(read.version).toBe(3);
        expect(read.created).toBe(created.created);
        expect(read.updated).toBe(second.updated);
      });

      test("a rename-only update also bumps the version; the old name is gone, the id stays", async () => {
        const name = g.name("rename");
        const created = await g.create(g.alice, name);
        const renamed = g.name("renamed");
        const updated = await g.service.updateSecret(g.alice, name, { name: renamed });
        expect(updated.id).toBe(created.id);
        expect(updated.name).toBe(renamed);
        expect(updated.version).toBe(2);
        expect(Date.parse(updated.updated)).toBeGreaterThan(Date.parse(created.updated));
        await g.fail(g.service.getSecret(g.alice, name), "SECRET_NOT_FOUND");
        expect((await g.service.getSecret(g.alice, renamed)).id).toBe(created.id);
      });

      test("a scope-only update bumps the version and keeps values", async () => {
        const name = g.name("rescope");
        const created = await g.create(g.alice, name);
        const updated = await g.service.updateSecret(g.alice, name, { scope: "user" });
        expect(updated.scope).toBe("user");
        expect(updated.version).toBe(2);
        expect(updated.values).toEqual(created.values);
        expect((await g.service.getSecret(g.alice, name, { scope: "user" })).id).toBe(created.id);
      });

      test("replaceSecretValues sets the whole values map and bumps the version", async () => {
        const name = g.name("replace");
        await g.service.createSecret(g.alice, { name, values: { a: g.value(), b: g.value() } });
        const c = g.value();
        const replaced = await g.service.replaceSecretValues(g.alice, name, { c, d: "" });
        expect(replaced.values).toEqual({ c, d: "" });
        expect(replaced.keys).toEqual(["c", "d"]);
        expect(replaced.version).toBe(2);
        expect((await g.service.getSecret(g.alice, name)).values).toEqual({ c, d: "" });
      });

      test("replaceSecretValues refuses null values with VALIDATION_ERROR", async () => {
        const name = g.name("replace");
        const created = await g.create(g.alice, name);
        await g.fail(
          g.service.replaceSecretValues(g.alice, name, { k: null } as unknown as SecretValues),
          "VALIDATION_ERROR",
        );
        expect(await g.service.getSecret(g.alice, name)).toEqual(created);
      });

      test("an empty update is VALIDATION_ERROR and changes nothing", async () => {
        const name = g.name("empty-update");
        const created = await g.create(g.alice, name);
        await g.fail(g.service.updateSecret(g.alice, name, {}), "VALIDATION_ERROR");
        await g.fail(g.service.updateSecret(g.alice, name, { expectedVersion: 1 }), "VALIDATION_ERROR");
        expect(await g.service.getSecret(g.alice, name)).toEqual(created);
      });

      test("a workspace-scoped secret can be updated by another user and keeps its owner", async () => {
        const name = g.name("shared");
        await g.create(g.alice, name);
        const updated = await g.service.updateSecret(g.bob, name, { values: { extra: g.value() } });
        expect(updated.user).toBe("alice");
        expect(updated.version).toBe(2);
      });

      leakCheck(g);
    });

    describe("version checks", () => {
      const g = serviceGroup();

      test("a stale expectedVersion is VERSION_MISMATCH and nothing changes", async () => {
        const name = g.name("cas");
        await g.create(g.alice, name);
        const current = await g.service.updateSecret(g.alice, name, { values: { k: g.value() } });
        await g.fail(
          g.service.updateSecret(g.alice, name, { values: { k: g.value(), more: g.value() }, expectedVersion: 1 }),
          "VERSION_MISMATCH",
        );
        await g.fail(g.service.updateSecret(g.alice, name, { name: g.name("moved"), expectedVersion: 1 }), "VERSION_MISMATCH");
        await g.fail(g.service.updateSecret(g.alice, name, { scope: "user", expectedVersion: 7 }), "VERSION_MISMATCH");
        const read = await g.service.getSecret(g.alice, name);
        expect(read).toEqual(current);
        expect(read.version).toBe(2);
      });

      test("the current expectedVersion succeeds and bumps the version", async () => {
        const name = g.name("cas");
        await g.create(g.alice, name);
        const next = g.value();
        const updated = await g.service.updateSecret(g.alice, name, { values: { k: next }, expectedVersion: 1 });
        expect(updated.version).toBe(2);
        expect(updated.values).toEqual({ k: next });
        const again = await g.service.updateSecret(g.alice, name, { values: { k: null }, expectedVersion: 2 });
        expect(again.version).toBe(3);
      });

      leakCheck(g);
    });

    describe("uniqueness", () => {
      const g = serviceGroup();

      test("a workspace-scoped name is unique in its workspace, whoever creates it: SECRET_EXISTS naming scope and workspace", async () => {
        const name = g.name("unique");
        const original = await g.create(g.alice, name);
        const again = await g.fail(g.create(g.alice, name), "SECRET_EXISTS");
        expect(again.message).toContain(name);
        expect(again.message).toContain("workspace-scoped");
        expect(again.message).toContain("'default'");
        await g.fail(g.create(g.bob, name), "SECRET_EXISTS");
        expect(await g.service.getSecret(g.alice, name)).toEqual(original);
        expect((await g.service.listSecrets(g.alice, { name })).total).toBe(1);
      });

      test("a user-scoped name is unique per owner: SECRET_EXISTS naming the user scope", async () => {
        const name = g.name("mine");
        const original = await g.create(g.alice, name, { scope: "user" });
        const again = await g.fail(g.create(g.alice, name, { scope: "user" }), "SECRET_EXISTS");
        expect(again.message).toContain("user-scoped");
        expect(again.message).toContain("'default'");
        expect(await g.service.getSecret(g.alice, name)).toEqual(original);
      });

      test("a workspace-scoped and a user-scoped secret may share a name", async () => {
        const name = g.name("both");
        const shared = await g.create(g.alice, name);
        const mine = await g.create(g.alice, name, { scope: "user" });
        expect(mine.id).not.toBe(shared.id);
        expect((await g.service.getSecret(g.alice, name, { scope: "workspace" })).id).toBe(shared.id);
        expect((await g.service.getSecret(g.alice, name, { scope: "user" })).id).toBe(mine.id);
      });

      test("two users may each own a user-scoped secret of the same name, each seeing only their own", async () => {
        const name = g.name("each");
        const alices = await g.create(g.alice, name, { scope: "user" });
        const bobs = await g.create(g.bob, name, { scope: "user" });
        expect((await g.service.getSecret(g.alice, name)).values).toEqual(alices.values);
        expect((await g.service.getSecret(g.bob, name)).values).toEqual(bobs.values);
        expect(await g.listNames(g.alice, { name })).toEqual([name]);
        expect((await g.service.listSecrets(g.bob, { name })).items.map((s) => s.id)).toEqual([bobs.id]);
      });

      test("the same workspace-scoped name may exist in two workspaces", async () => {
        const workspace = g.name("team");
        await g.service.createWorkspace(g.root, { name: workspace });
        const name = g.name("twice");
        const here = await g.create(g.alice, name);
        const there = await g.create(g.alice, name, { workspace });
        expect(there.workspace).toBe(workspace);
        expect((await g.service.getSecret(g.alice, name)).id).toBe(here.id);
        expect((await g.service.getSecret(g.alice, name, { workspace })).id).toBe(there.id);
        expect((await g.service.getSecret(g.inWorkspace(g.alice, workspace), name)).id).toBe(there.id);
        expect((await g.service.listSecrets(g.alice, { name, workspace: "*" })).total).toBe(2);
      });

      test("renaming onto an existing name in the same scope is SECRET_EXISTS and changes nothing", async () => {
        const taken = await g.create(g.alice, g.name("taken"));
        const moving = await g.create(g.alice, g.name("moving"));
        await g.fail(g.service.updateSecret(g.alice, moving.id, { name: taken.name }), "SECRET_EXISTS");
        await g.fail(
          g.service.updateSecret(g.alice, moving.id, { name: taken.name, values: { k: g.value() } }),
          "SECRET_EXISTS",
        );
        expect(await g.service.getSecret(g.alice, moving.id)).toEqual(moving);
        expect(await g.service.getSecret(g.alice, taken.id)).toEqual(taken);
      });

      test("renaming onto a name used only in the other scope is allowed", async () => {
        const other = await g.create(g.alice, g.name("other-scope"), { scope: "user" });
        const moving = await g.create(g.alice, g.name("moving"));
        const renamed = await g.service.updateSecret(g.alice, moving.id, { name: other.name });
        expect(renamed.name).toBe(other.name);
        expect(renamed.scope).toBe("workspace");
      });

      test("renaming a secret to its own name does not clash with itself", async () => {
        const name = g.name("self");
        await g.create(g.alice, name);
        const updated = await g.service.updateSecret(g.alice, name, { name });
        expect(updated.name).toBe(name);
        expect(updated.version).toBe(2);
      });

      test("changing scope to user when the caller owns a user secret of that name is SECRET_EXISTS and changes nothing", async () => {
        const name = g.name("clash");
        const shared = await g.create(g.alice, name);
        const mine = await g.create(g.alice, name, { scope: "user" });
        await g.fail(g.service.updateSecret(g.alice, shared.id, { scope: "user" }), "SECRET_EXISTS");
        expect(await g.service.getSecret(g.alice, shared.id)).toEqual(shared);
        expect(await g.service.getSecret(g.alice, mine.id)).toEqual(mine);
      });

      test("changing scope to workspace when a workspace secret of that name exists is SECRET_EXISTS and changes nothing", async () => {
        const name = g.name("clash");
        const shared = await g.create(g.bob, name);
        const mine = await g.create(g.alice, name, { scope: "user" });
        await g.fail(g.service.updateSecret(g.alice, name, { scope: "workspace" }, { scope: "user" }), "SECRET_EXISTS");
        expect(await g.service.getSecret(g.alice, mine.id)).toEqual(mine);
        expect(await g.service.getSecret(g.bob, shared.id)).toEqual(shared);
      });

      test("a rename plus scope change is checked against the target scope", async () => {
        const target = await g.create(g.alice, g.name("target"), { scope: "user" });
        const moving = await g.create(g.alice, g.name("moving"));
        await g.fail(g.service.updateSecret(g.alice, moving.id, { name: target.name, scope: "user" }), "SECRET_EXISTS");
        expect(await g.service.getSecret(g.alice, moving.id)).toEqual(moving);
        const free = g.name("free");
        const moved = await g.service.updateSecret(g.alice, moving.id, { name: free, scope: "user" });
        expect(moved).toMatchObject({ name: free, scope: "user", version: 2 });
      });

      test("a workspace secret made user-scoped by its owner becomes invisible to others", async () => {
        const name = g.name("privatised");
        const created = await g.create(g.alice, name);
        await g.service.updateSecret(g.alice, name, { scope: "user" });
        await g.fail(g.service.getSecret(g.bob, created.id), "SECRET_NOT_FOUND");
        expect((await g.service.listSecrets(g.bob, { name })).total).toBe(0);
      });

      leakCheck(g);
    });

    describe("user-scoped secrets are private", () => {
      const g = serviceGroup();
      let hidden: Secret;

      beforeAll(async () => {
        hidden = await g.service.createSecret(g.alice, {
          name: g.name("private"),
          values: { token: g.value() },
          scope: "user",
        });
      }, timeout);

      test("get by full id, by name and by id prefix is SECRET_NOT_FOUND for another user", async () => {
        for (const key of [hidden.id, hidden.name, hidden.id.slice(0, 8), hidden.id.slice(0, 13)]) {
          await g.fail(g.service.getSecret(g.bob, key), "SECRET_NOT_FOUND");
          await g.fail(g.service.getSecret(g.bob, key, { scope: "user" }), "SECRET_NOT_FOUND");
        }
      });

      test("get by full id, by name and by id prefix is SECRET_NOT_FOUND for an admin too", async () => {
        for (const key of [hidden.id, hidden.name, hidden.id.slice(0, 8)]) {
          await g.fail(g.service.getSecret(g.root, key), "SECRET_NOT_FOUND");
        }
      });

      test("the not-found error is the same as for a secret that never existed", async () => {
        const error = await g.fail(g.service.getSecret(g.bob, hidden.id), "SECRET_NOT_FOUND");
        expect(error.message).toContain(`No secret with name, id or id prefix '${hidden.id}' in workspace 'default'`);
        const neverExisted = randomUUID();
        const other = await g.fail(g.service.getSecret(g.bob, neverExisted), "SECRET_NOT_FOUND");
        expect(other.message.replace(neverExisted, "X")).toBe(error.message.replace(hidden.id, "X"));
      });

      test("lists of others leave it out of items and total, whatever the filter, admins included", async () => {
        for (const viewer of [g.bob, g.root]) {
          const all = await g.service.listSecrets(viewer, { workspace: "*", size: LIMITS.maxPageSize });
          expect(all.items.map((s) => s.id)).not.toContain(hidden.id);
          expect(all.total).toBe(all.items.length);
          for (const query of [
            { name: hidden.name },
            { id: hidden.id },
            { id: `startswith:${hidden.id.slice(0, 8)}` },
            { user: "alice" },
            { scope: "user" },
            { name: hidden.name, scope: "user", logicalOperator: "or" as const },
          ]) {
            const page = await g.service.listSecrets(viewer, query);
            expect({ query, total: page.total, ids: page.items.map((s) => s.id) }).toEqual({ query, total: 0, ids: [] });
          }
        }
      });

      test("the owner lists it", async () => {
        const page = await g.service.listSecrets(g.alice, { name: hidden.name });
        expect(page.items.map((s) => s.id)).toEqual([hidden.id]);
      });

      test("update, replace, rename and delete by others are SECRET_NOT_FOUND and change nothing", async () => {
        for (const viewer of [g.bob, g.root]) {
          for (const key of [hidden.id, hidden.name, hidden.id.slice(0, 8)]) {
            await g.fail(g.service.updateSecret(viewer, key, { values: { token: g.value() } }), "SECRET_NOT_FOUND");
            await g.fail(g.service.updateSecret(viewer, key, { name: g.name("stolen") }), "SECRET_NOT_FOUND");
            await g.fail(g.service.updateSecret(viewer, key, { scope: "workspace" }), "SECRET_NOT_FOUND");
            await g.fail(g.service.replaceSecretValues(viewer, key, { token: g.value() }), "SECRET_NOT_FOUND");
            await g.fail(g.service.deleteSecret(viewer, key), "SECRET_NOT_FOUND");
          }
        }
        expect(await g.service.getSecret(g.alice, hidden.id)).toEqual(hidden);
      });

      test("another user's lookup by that name finds the workspace secret of the name, not the private one", async () => {
        const shared = await g.create(g.bob, hidden.name);
        expect((await g.service.getSecret(g.bob, hidden.name)).id).toBe(shared.id);
        expect((await g.service.getSecret(g.root, hidden.name)).id).toBe(shared.id);
        expect((await g.service.getSecret(g.alice, hidden.name)).id).toBe(hidden.id);
        const updated = await g.service.updateSecret(g.bob, hidden.name, { values: { more: g.value() } });
        expect(updated.id).toBe(shared.id);
        expect(await g.service.getSecret(g.alice, hidden.id)).toEqual(hidden);
      });

      leakCheck(g);
    });

    describe("lookup by name or id", () => {
      const g = serviceGroup();

      test("an exact name finds the secret", async () => {
        const name = g.name("exact");
        const created = await g.create(g.alice, name);
        expect(await g.service.getSecret(g.alice, name)).toEqual(created);
      });

      test("names are case-sensitive", async () => {
        const name = `Case-${token()}`;
        await g.create(g.alice, name);
        await g.fail(g.service.getSecret(g.alice, name.toLowerCase()), "SECRET_NOT_FOUND");
        const upper = await g.create(g.alice, name.toUpperCase());
        expect((await g.service.getSecret(g.alice, name.toUpperCase())).id).toBe(upper.id);
      });

      test("the caller's user-scoped secret is found before the workspace-scoped one of the same name", async () => {
        const name = g.name("layered");
        const shared = await g.create(g.bob, name);
        const mine = await g.create(g.alice, name, { scope: "user" });
        expect((await g.service.getSecret(g.alice, name)).id).toBe(mine.id);
        expect((await g.service.getSecret(g.bob, name)).id).toBe(shared.id);
        const updated = await g.service.updateSecret(g.alice, name, { values: { extra: g.value() } });
        expect(updated.id).toBe(mine.id);
        await g.service.deleteSecret(g.alice, name);
        expect((await g.service.getSecret(g.alice, name)).id).toBe(shared.id);
      });

      test("lookup.scope restricts the lookup to that scope", async () => {
        const name = g.name("scoped");
        const shared = await g.create(g.alice, name);
        const mine = await g.create(g.alice, name, { scope: "user" });
        expect((await g.service.getSecret(g.alice, name, { scope: "workspace" })).id).toBe(shared.id);
        expect((await g.service.getSecret(g.alice, name, { scope: "user" })).id).toBe(mine.id);
        const missing = await g.fail(g.service.getSecret(g.bob, name, { scope: "user" }), "SECRET_NOT_FOUND");
        expect(missing.message).toContain(`No secret with name, id or id prefix '${name}' in workspace 'default'`);
        const onlyShared = g.name("only-shared");
        await g.create(g.alice, onlyShared);
        await g.fail(g.service.getSecret(g.alice, onlyShared, { scope: "user" }), "SECRET_NOT_FOUND");
        await g.service.updateSecret(g.alice, name, { values: { k: g.value() } }, { scope: "workspace" });
        expect((await g.service.getSecret(g.alice, shared.id)).version).toBe(2);
        expect((await g.service.getSecret(g.alice, mine.id)).version).toBe(1);
      });

      test("lookup.workspace looks in that workspace instead of the active one", async () => {
        const workspace = g.name("elsewhere");
        await g.service.createWorkspace(g.root, { name: workspace });
        const name = g.name("remote");
        const there = await g.create(g.alice, name, { workspace });
        await g.fail(g.service.getSecret(g.alice, name), "SECRET_NOT_FOUND");
        expect((await g.service.getSecret(g.alice, name, { workspace })).id).toBe(there.id);
        const missing = await g.fail(g.service.getSecret(g.alice, g.name("absent"), { workspace }), "SECRET_NOT_FOUND");
        expect(missing.message).toContain(`in workspace '${workspace}'`);
      });

      test("a full id finds the secret, for get, update and delete", async () => {
        const created = await g.create(g.alice, g.name("by-id"));
        expect(await g.service.getSecret(g.alice, created.id)).toEqual(created);
        expect((await g.service.updateSecret(g.alice, created.id, { values: { k2: g.value() } })).version).toBe(2);
        await g.service.deleteSecret(g.alice, created.id);
        await g.fail(g.service.getSecret(g.alice, created.name), "SECRET_NOT_FOUND");
      });

      test("an id prefix of 8 or more characters finds the secret, for get, update and delete", async () => {
        const created = await g.create(g.alice, g.name("by-prefix"));
        expect((await g.service.getSecret(g.alice, created.id.slice(0, 8))).id).toBe(created.id);
        expect((await g.service.getSecret(g.alice, created.id.slice(0, 13))).id).toBe(created.id);
        expect((await g.service.getSecret(g.alice, created.id.slice(0, 30))).id).toBe(created.id);
        expect((await g.service.updateSecret(g.alice, created.id.slice(0, 9), { name: g.name("moved") })).id).toBe(created.id);
        await g.service.deleteSecret(g.alice, created.id.slice(0, 8));
        await g.fail(g.service.getSecret(g.alice, created.id), "SECRET_NOT_FOUND");
      });

      test("an id prefix of 7 characters is not accepted", async () => {
        const created = await g.create(g.alice, g.name("short-prefix"));
        const prefix = created.id.slice(0, 7);
        const error = await g.fail(g.service.getSecret(g.alice, prefix), "SECRET_NOT_FOUND");
        expect(error.message).toContain(`No secret with name, id or id prefix '${prefix}' in workspace 'default'`);
      });

      test("an exact name wins over an id prefix that spells the same", async () => {
        const byId = await g.create(g.alice, g.name("target"));
        const prefix = byId.id.slice(0, 8);
        const byName = await g.create(g.alice, prefix);
        expect((await g.service.getSecret(g.alice, prefix)).id).toBe(byName.id);
        expect((await g.service.getSecret(g.alice, byId.id.slice(0, 9))).id).toBe(byId.id);
      });

      test("names are never matched by substring, prefix or suffix", async () => {
        const suffix = token();
        const name = `payments-db-${suffix}`;
        await g.create(g.alice, name);
        for (const partial of ["payments", `db-${suffix}`, name.slice(0, -1), name.slice(1), `payments-db`]) {
          await g.fail(g.service.getSecret(g.alice, partial), "SECRET_NOT_FOUND");
          await g.fail(g.service.updateSecret(g.alice, partial, { values: { k: g.value() } }), "SECRET_NOT_FOUND");
          await g.fail(g.service.deleteSecret(g.alice, partial), "SECRET_NOT_FOUND");
        }
        expect((await g.service.getSecret(g.alice, name)).version).toBe(1);
      });

      test("a piece of an id that is not its prefix finds nothing", async () => {
        const created = await g.create(g.alice, g.name("id-piece"));
        for (const piece of [created.id.slice(24), created.id.slice(1, 12), created.id.slice(9, 23)]) {
          await g.fail(g.service.getSecret(g.alice, piece), "SECRET_NOT_FOUND");
        }
      });

      test("SECRET_NOT_FOUND says: No secret with name, id or id prefix 'X' in workspace 'default'", async () => {
        const missing = g.name("nope");
        const error = await g.fail(g.service.getSecret(g.alice, missing), "SECRET_NOT_FOUND");
        expect(error.message).toContain(`No secret with name, id or id prefix '${missing}' in workspace 'default'`);
        const byId = randomUUID();
        const idError = await g.fail(g.service.updateSecret(g.alice, byId, { values: { k: g.value() } }), "SECRET_NOT_FOUND");
        expect(idError.message).toContain(`No secret with name, id or id prefix '${byId}' in workspace 'default'`);
        const deleteError = await g.fail(g.service.deleteSecret(g.alice, missing), "SECRET_NOT_FOUND");
        expect(deleteError.message).toContain(`'${missing}' in workspace 'default'`);
      });

      test("an id prefix matching several secrets is SECRET_AMBIGUOUS listing their ids (core lookup over an in-test reader)", async () => {
        // Random v4 ids practically never share 8 leading characters, so the store cannot be made
        // to hold an ambiguous prefix through the public API; the one lookup function is exercised
        // directly over a reader that holds two such secrets.
        const template = await g.create(g.alice, g.name("template"));
        const first: SecretMetadata = { ...template, id: "0123abcd-1111-4111-8111-111111111111", name: "first" };
        const second: SecretMetadata = { ...template, id: "0123abcd-2222-4222-8222-222222222222", name: "second" };
        const prefixQueries: string[] = [];
        const reader: SecretReader = {
          async findSecretById(_viewer, id) {
            return [first, second].find((s) => s.id === id);
          },
          async findSecretsByName(_viewer, workspace, name) {
            return [first, second].filter((s) => s.workspace === workspace && s.name === name);
          },
          async findSecretsByIdPrefix(_viewer, prefix, limit) {
            prefixQueries.push(prefix);
            return [first, second].filter((s) => s.id.startsWith(prefix)).slice(0, limit);
          },
        };
        const error = await g.fail(findSecret(reader, g.alice, "0123abcd"), "SECRET_AMBIGUOUS");
        expect(error.message).toContain(first.id);
        expect(error.message).toContain(second.id);
        expect(error.details).toEqual({ candidates: [first.id, second.id] });
        await g.fail(findSecret(reader, g.alice, "0123ABCD-"), "SECRET_AMBIGUOUS");
        expect((await findSecret(reader, g.alice, "0123abcd-1")).id).toBe(first.id);
        expect((await findSecret(reader, g.alice, "0123abcd-2222")).id).toBe(second.id);
        prefixQueries.length = 0;
        await g.fail(findSecret(reader, g.alice, "0123abc"), "SECRET_NOT_FOUND");
        expect(prefixQueries).toEqual([]);
      });

      leakCheck(g);
    });

    describe("list filters", () => {
      const g = serviceGroup();
      const made: Record<string, Secret> = {};
      const defaultVisibleToAlice = ["Cache", "a_b", "axb", "db-replica", "db_main", "mydb"];

      beforeAll(async () => {
        await g.service.createWorkspace(g.root, { name: "ops" });
        const plan: Array<[Caller, string, Partial<SecretCreate>]> = [
          [g.alice, "db_main", {}],
          [g.alice, "db-replica", {}],
          [g.bob, "a_b", {}],
          [g.bob, "axb", {}],
          [g.alice, "Cache", {}],
          [g.alice, "mydb", { scope: "user" }],
          [g.bob, "bobs-private", { scope: "user" }],
          [g.alice, "ops-db", { workspace: "ops" }],
        ];
        for (const [caller, name, extra] of plan) made[name] = await g.create(caller, name, extra);
      }, timeout);

      // Rows are built when the test runs, after the fixture exists.
      const cases = (rows: () => Array<[SecretQuery, string[]]>) => async () => {
        for (const [query, expected] of rows()) {
          expect({ query, names: await g.listNames(g.alice, query) }).toEqual({ query, names: [...expected].sort() });
        }
      };

      test("with no filter the caller's active workspace is listed, never another's", async () => {
        expect(await g.listNames(g.alice)).toEqual(defaultVisibleToAlice);
        expect(await g.listNames(g.inWorkspace(g.alice, "ops"))).toEqual(["ops-db"]);
      });

      test("workspace '*' lists every workspace", cases(() => [[{ workspace: "*" }, [...defaultVisibleToAlice, "ops-db"]]]));

      test(
        "name supports equals (also bare), notequals, contains, startswith and endswith",
        cases(() => [
          [{ name: "db_main" }, ["db_main"]],
          [{ name: "equals:db_main" }, ["db_main"]],
          [{ name: "notequals:db_main" }, ["Cache", "a_b", "axb", "db-replica", "mydb"]],
          [{ name: "contains:db" }, ["db-replica", "db_main", "mydb"]],
          [{ name: "startswith:db" }, ["db-replica", "db_main"]],
          [{ name: "endswith:db" }, ["mydb"]],
          [{ name: "endswith:replica" }, ["db-replica"]],
          [{ name: "contains:nothing-like-this" }, []],
        ]),
      );

      test(
        "string matching is case-sensitive",
        cases(() => [
          [{ name: "contains:DB" }, []],
          [{ name: "equals:cache" }, []],
          [{ name: "Cache" }, ["Cache"]],
          [{ name: "startswith:c" }, []],
          [{ name: "startswith:C" }, ["Cache"]],
          [{ name: "endswith:HE" }, []],
          [{ user: "ALICE" }, []],
          [{ scope: "contains:USER" }, []],
        ]),
      );

      test(
        "_ in a filter value is a literal underscore, not a one-character wildcard",
        cases(() => [
          [{ name: "contains:_" }, ["a_b", "db_main"]],
          [{ name: "startswith:a_" }, ["a_b"]],
          [{ name: "endswith:_b" }, ["a_b"]],
          [{ name: "contains:a_b" }, ["a_b"]],
          [{ name: "contains:b_m" }, ["db_main"]],
        ]),
      );

      test(
        "% and \\ in a filter value are literal: they match nothing rather than everything",
        cases(() => [
          [{ name: "contains:%" }, []],
          [{ name: "startswith:%" }, []],
          [{ name: "endswith:%" }, []],
          [{ name: "contains:d%b" }, []],
          [{ name: "startswith:db%" }, []],
          [{ name: "contains:\\" }, []],
          [{ name: "contains:a\\_b" }, []],
          [{ name: "contains:\\%" }, []],
          [{ name: "endswith:\\" }, []],
          [{ user: "contains:%" }, []],
          [{ id: "startswith:%" }, []],
        ]),
      );

      test(
        "a value containing a colon after an unknown prefix is an equals on the whole string, not an error",
        cases(() => [
          [{ name: "foo:bar" }, []],
          [{ name: "db_main:x" }, []],
          [{ name: "equals:foo:bar" }, []],
          [{ name: "contains:db:" }, []],
          [{ user: "like:alice" }, []],
        ]),
      );

      test(
        "scope supports every string operator",
        cases(() => [
          [{ scope: "user" }, ["mydb"]],
          [{ scope: "equals:workspace" }, ["Cache", "a_b", "axb", "db-replica", "db_main"]],
          [{ scope: "notequals:user" }, ["Cache", "a_b", "axb", "db-replica", "db_main"]],
          [{ scope: "contains:ork" }, ["Cache", "a_b", "axb", "db-replica", "db_main"]],
          [{ scope: "startswith:us" }, ["mydb"]],
          [{ scope: "endswith:space" }, ["Cache", "a_b", "axb", "db-replica", "db_main"]],
        ]),
      );

      test(
        "user supports every string operator and never reveals others' private secrets",
        cases(() => [
          [{ user: "alice" }, ["Cache", "db-replica", "db_main", "mydb"]],
          [{ user: "bob" }, ["a_b", "axb"]],
          [{ user: "notequals:alice" }, ["a_b", "axb"]],
          [{ user: "contains:lic" }, ["Cache", "db-replica", "db_main", "mydb"]],
          [{ user: "startswith:b" }, ["a_b", "axb"]],
          [{ user: "endswith:ob" }, ["a_b", "axb"]],
        ]),
      );

      test(
        "workspace supports every string operator",
        cases(() => [
          [{ workspace: "ops" }, ["ops-db"]],
          [{ workspace: "equals:default" }, defaultVisibleToAlice],
          [{ workspace: "notequals:default" }, ["ops-db"]],
          [{ workspace: "contains:efaul" }, defaultVisibleToAlice],
          [{ workspace: "startswith:op" }, ["ops-db"]],
          [{ workspace: "endswith:ps" }, ["ops-db"]],
          [{ workspace: "nowhere" }, []],
        ]),
      );

      test("id supports every string operator", async () => {
        const id = made.db_main!.id;
        await cases(() => [
          [{ id }, ["db_main"]],
          [{ id: `equals:${id}` }, ["db_main"]],
          [{ id: `notequals:${id}` }, ["Cache", "a_b", "axb", "db-replica", "mydb"]],
          [{ id: `startswith:${id.slice(0, 8)}` }, ["db_main"]],
          [{ id: `endswith:${id.slice(24)}` }, ["db_main"]],
          [{ id: `contains:${id.slice(9, 23)}` }, ["db_main"]],
          [{ id: `startswith:${made["bobs-private"]!.id.slice(0, 8)}` }, []],
          [{ id: made["ops-db"]!.id }, []],
          [{ id: made["ops-db"]!.id, workspace: "*" }, ["ops-db"]],
        ])();
      });

      test(
        "logicalOperator and (the default) requires every filter, or any of them",
        cases(() => [
          [{ name: "db_main", scope: "user" }, []],
          [{ name: "db_main", scope: "user", logicalOperator: "and" }, []],
          [{ name: "db_main", scope: "user", logicalOperator: "or" }, ["db_main", "mydb"]],
          [{ name: "startswith:db", user: "alice" }, ["db-replica", "db_main"]],
          [{ name: "startswith:db", user: "alice", logicalOperator: "or" }, ["Cache", "db-replica", "db_main", "mydb"]],
          [{ name: "a_b", user: "bob", scope: "workspace" }, ["a_b"]],
          [{ name: "Cache", id: made.axb!.id, logicalOperator: "or" }, ["Cache", "axb"]],
        ]),
      );

      test(
        "or never widens beyond the workspace and what the caller may see",
        cases(() => [
          [{ logicalOperator: "or" }, defaultVisibleToAlice],
          [{ name: "ops-db", logicalOperator: "or" }, []],
          [{ name: "ops-db", scope: "user", logicalOperator: "or" }, ["mydb"]],
          [{ user: "bob", scope: "user", logicalOperator: "or" }, ["a_b", "axb", "mydb"]],
          [{ name: "bobs-private", logicalOperator: "or" }, []],
        ]),
      );

      test("a string operator on a date field, a date operator on a string field, bad dates and unknown fields are INVALID_FILTER", async () => {
        const dateOperatorError = await g.fail(g.service.listSecrets(g.alice, { created: "contains:x" }), "INVALID_FILTER");
        expect(dateOperatorError.message).toContain("equals, gt, gte, lt, lte");
        const stringOperatorError = await g.fail(g.service.listSecrets(g.alice, { name: "gt:a" }), "INVALID_FILTER");
        expect(stringOperatorError.message).toContain("equals, notequals, contains, startswith, endswith");
        const invalid: SecretQuery[] = [
          { updated: "startswith:2026" },
          { user: "lte:b" },
          { id: "gte:0" },
          { scope: "lt:user" },
          { workspace: "gt:a" },
          { created: "yesterday" },
          { created: "2026-13-01 00:00:00" },
          { created: "2026-02-30T00:00:00.000Z" },
          { updated: "gt:2026-01-01 25:00:00" },
          { updated: "lt:" },
          { created: "" },
          { scope: "team" },
          { logicalOperator: "xor" as "or" },
          { color: "red" } as SecretQuery,
          { name: 7 } as unknown as SecretQuery,
        ];
        for (const query of invalid) {
          const error = await g.fail(g.service.listSecrets(g.alice, query), "INVALID_FILTER");
          expect(error.message.length).toBeGreaterThan(10);
        }
        const badDate = await g.fail(g.service.listSecrets(g.alice, { created: "gt:someday" }), "INVALID_FILTER");
        expect(badDate.message).toContain("someday");
        const unknown = await g.fail(g.service.listSecrets(g.alice, { colour: "red" } as SecretQuery), "INVALID_FILTER");
        expect(unknown.message).toContain("colour");
      });

      leakCheck(g);
    });

    describe("date filters", () => {
      const g = serviceGroup();
      // s1, s2, s3 are created in three different seconds; s1 is then updated in a fourth.
      let s1: Secret;
      let s2: Secret;
      let s3: Secret;
      let s1Updated: Secret;

      beforeAll(async () => {
        s1 = await g.create(g.alice, "s1");
        await nextSecond();
        s2 = await g.create(g.alice, "s2");
        await nextSecond();
        s3 = await g.create(g.bob, "s3");
        await nextSecond();
        s1Updated = await g.service.updateSecret(g.alice, "s1", { values: { k: g.value() } });
      }, timeout);

      const cases = (rows: () => Array<[SecretQuery, string[]]>) => async () => {
        for (const [query, expected] of rows()) {
          expect({ query, names: await g.listNames(g.alice, query) }).toEqual({ query, names: expected });
        }
      };

      test("the fixture has distinct seconds (sanity)", async () => {
        expect(spaced(s1.created) < spaced(s2.created) && spaced(s2.created) < spaced(s3.created)).toBe(true);
        expect(spaced(s3.updated) < spaced(s1Updated.updated)).toBe(true);
      });

      test(
        "created supports equals, gt, gte, lt and lte with an ISO-8601 value at millisecond precision",
        cases(() => [
          [{ created: s2.created }, ["s2"]],
          [{ created: `equals:${s2.created}` }, ["s2"]],
          [{ created: `equals:${shifted(s2.created, 1)}` }, []],
          [{ created: `gt:${s2.created}` }, ["s3"]],
          [{ created: `gt:${shifted(s2.created, -1)}` }, ["s2", "s3"]],
          [{ created: `gte:${s2.created}` }, ["s2", "s3"]],
          [{ created: `gte:${shifted(s2.created, 1)}` }, ["s3"]],
          [{ created: `lt:${s2.created}` }, ["s1"]],
          [{ created: `lt:${shifted(s2.created, 1)}` }, ["s1", "s2"]],
          [{ created: `lte:${s2.created}` }, ["s1", "s2"]],
          [{ created: `lte:${shifted(s2.created, -1)}` }, ["s1"]],
        ]),
      );

      test(
        "created supports equals, gt, gte, lt and lte with a 'YYYY-MM-DD HH:MM:SS' (UTC) value",
        cases(() => [
          [{ created: spaced(s2.created) }, ["s2"]],
          [{ created: `equals:${spaced(s2.created)}` }, ["s2"]],
          [{ created: `gt:${spaced(s2.created)}` }, ["s3"]],
          [{ created: `gte:${spaced(s2.created)}` }, ["s2", "s3"]],
          [{ created: `lt:${spaced(s2.created)}` }, ["s1"]],
          [{ created: `lte:${spaced(s2.created)}` }, ["s1", "s2"]],
        ]),
      );

      test(
        "updated supports equals, gt, gte, lt and lte in both date formats",
        cases(() => [
          [{ updated: s3.updated }, ["s3"]],
          [{ updated: `gt:${s3.updated}` }, ["s1"]],
          [{ updated: `gte:${s3.updated}` }, ["s1", "s3"]],
          [{ updated: `lt:${s3.updated}` }, ["s2"]],
          [{ updated: `lte:${s3.updated}` }, ["s2", "s3"]],
          [{ updated: `equals:${s1Updated.updated}` }, ["s1"]],
          [{ updated: `equals:${s1.updated}` }, []],
          [{ updated: spaced(s3.updated) }, ["s3"]],
          [{ updated: `equals:${spaced(s3.updated)}` }, ["s3"]],
          [{ updated: `gt:${spaced(s3.updated)}` }, ["s1"]],
          [{ updated: `gte:${spaced(s3.updated)}` }, ["s1", "s3"]],
          [{ updated: `lt:${spaced(s3.updated)}` }, ["s2"]],
          [{ updated: `lte:${spaced(s3.updated)}` }, ["s2", "s3"]],
        ]),
      );

      test(
        "dates far in the past or future bound everything or nothing, in both formats",
        cases(() => [
          [{ created: "gt:2000-01-01T00:00:00.000Z" }, ["s1", "s2", "s3"]],
          [{ created: "gte:2000-01-01 00:00:00" }, ["s1", "s2", "s3"]],
          [{ created: "lt:2000-01-01T00:00:00.000Z" }, []],
          [{ created: "lte:2000-01-01 00:00:00" }, []],
          [{ created: "2000-01-01 00:00:00" }, []],
          [{ updated: "lt:2999-12-31T23:59:59.999Z" }, ["s1", "s2", "s3"]],
          [{ updated: "gt:2999-12-31 23:59:59" }, []],
        ]),
      );

      test(
        "date filters combine with string filters under and / or",
        cases(() => [
          [{ created: `gte:${s2.created}`, user: "alice" }, ["s2"]],
          [{ created: `gte:${s3.created}`, name: "s1", logicalOperator: "or" }, ["s1", "s3"]],
          [{ created: `lt:${s2.created}`, updated: `lt:${s2.updated}` }, []],
          [{ created: `lt:${s2.created}`, updated: `lt:${s3.updated}`, logicalOperator: "or" }, ["s1", "s2"]],
        ]),
      );

      leakCheck(g);
    });

    describe("sorting and paging", () => {
      const g = serviceGroup();
      let visibleIds: string[] = [];

      beforeAll(async () => {
        const plan: Array<[Caller, string, Partial<SecretCreate>]> = [
          [g.alice, "beta", {}],
          [g.alice, "Alpha", {}],
          [g.bob, "bob-one", {}],
          [g.alice, "alpha", {}],
          [g.alice, "beta", { scope: "user" }],
          [g.alice, "gamma", {}],
          [g.bob, "bob-private", { scope: "user" }],
          [g.alice, "Zeta", {}],
          [g.alice, "epsilon", { scope: "user" }],
          [g.alice, "delta", {}],
        ];
        const ids: string[] = [];
        for (const [caller, name, extra] of plan) {
          const created = await g.create(caller, name, extra);
          if (name !== "bob-private") ids.push(created.id);
        }
        visibleIds = ids;
        // A different order for `updated` than for `created`.
        for (const name of ["gamma", "Alpha", "bob-one"]) await g.service.updateSecret(g.alice, name, { values: { u: g.value() } });
        await g.service.updateSecret(g.alice, "beta", { values: { u: g.value() } }, { scope: "workspace" });
      }, timeout);

      const listAll = (query: SecretQuery = {}) => g.service.listSecrets(g.alice, { size: LIMITS.maxPageSize, ...query });

      test("names sort case-sensitively by character code, identically on every database", async () => {
        const ascending = await listAll({ sortBy: "name" });
        expect(ascending.items.map((s) => s.name)).toEqual(["Alpha", "Zeta", "alpha", "beta", "beta", "bob-one", "delta", "epsilon", "gamma"]);
        const descending = await listAll({ sortBy: "desc:name" });
        expect(descending.items.map((s) => s.name)).toEqual(["gamma", "epsilon", "delta", "bob-one", "beta", "beta", "alpha", "Zeta", "Alpha"]);
      });

      for (const field of SORT_FIELDS) {
        for (const direction of ["asc", "desc"] as const) {
          const spellings = direction === "asc" ? [field, `asc:${field}`] : [`desc:${field}`];
          test(`sortBy ${spellings.join(" / ")} orders by ${field} ${direction}, ties by id, and pages of 1, 2 and 3 visit every secret once`, async () => {
            const full = await listAll({ sortBy: spellings[0]! });
            expect(full.items.map((s) => s.id).sort()).toEqual([...visibleIds].sort());
            expect(sortProblems(full.items, field, direction)).toEqual([]);
            const order = full.items.map((s) => s.id);
            for (const sortBy of spellings) expect((await listAll({ sortBy })).items.map((s) => s.id)).toEqual(order);
            for (const size of [1, 2, 3]) {
              const visited: string[] = [];
              const totalPages = Math.ceil(order.length / size);
              for (let page = 1; page <= totalPages; page++) {
                const result = await g.service.listSecrets(g.alice, { sortBy: spellings[0]!, size, page });
                expect({ index: result.index, maxSize: result.maxSize, total: result.total, totalPages: result.totalPages }).toEqual({
                  index: page,
                  maxSize: size,
                  total: order.length,
                  totalPages,
                });
                visited.push(...result.items.map((s) => s.id));
              }
              expect(visited).toEqual(order);
              expect(new Set(visited).size).toBe(order.length);
            }
          });
        }
      }

      test("the default sort is created ascending", async () => {
        const byDefault = await listAll();
        const byCreated = await listAll({ sortBy: "asc:created" });
        expect(byDefault.items.map((s) => s.id)).toEqual(byCreated.items.map((s) => s.id));
        expect(sortProblems(byDefault.items, "created", "asc")).toEqual([]);
      });

      test("sort by scope lists user before workspace ascending and the reverse descending", async () => {
        const ascending = (await listAll({ sortBy: "scope" })).items.map((s) => s.scope);
        expect(ascending).toEqual(["user", "user", ...Array(7).fill("workspace")]);
        const descending = (await listAll({ sortBy: "desc:scope" })).items.map((s) => s.scope);
        expect(descending).toEqual([...Array(7).fill("workspace"), "user", "user"]);
      });

      test("an unknown sort field or direction is INVALID_FILTER naming the allowed fields", async () => {
        for (const sortBy of ["size", "desc:version", "id", "up:name", "desc:", "name:desc", "Name"]) {
          const error = await g.fail(listAll({ sortBy }), "INVALID_FILTER");
          expect(error.message).toContain("name, created, updated, scope");
        }
      });

      leakCheck(g);
    });

    describe("pagination", () => {
      const g = serviceGroup();

      beforeAll(async () => {
        for (let i = 1; i <= 5; i++) await g.create(g.alice, `page-${i}`);
      }, timeout);

      test("defaults are page 1 of size 20", async () => {
        const page = await g.service.listSecrets(g.alice);
        expect({ index: page.index, maxSize: page.maxSize, totalPages: page.totalPages, total: page.total }).toEqual({
          index: 1,
          maxSize: 20,
          totalPages: 1,
          total: 5,
        });
        expect(page.items).toHaveLength(5);
      });

      test("page and size select a slice; total and totalPages count every match", async () => {
        const pages: Page<SecretMetadata>[] = [];
        for (const page of [1, 2, 3]) pages.push(await g.service.listSecrets(g.alice, { size: 2, page, sortBy: "name" }));
        expect(pages.map((p) => [p.index, p.maxSize, p.totalPages, p.total, p.items.length])).toEqual([
          [1, 2, 3, 5, 2],
          [2, 2, 3, 5, 2],
          [3, 2, 3, 5, 1],
        ]);
        expect(pages.flatMap((p) => p.items.map((s) => s.name))).toEqual(["page-1", "page-2", "page-3", "page-4", "page-5"]);
        const exact = await g.service.listSecrets(g.alice, { size: 5 });
        expect([exact.totalPages, exact.items.length]).toEqual([1, 5]);
        const largest = await g.service.listSecrets(g.alice, { size: LIMITS.maxPageSize });
        expect([largest.maxSize, largest.totalPages]).toEqual([1000, 1]);
      });

      test("an empty result has totalPages 1, total 0 and no items", async () => {
        const page = await g.service.listSecrets(g.alice, { name: "no-such-secret" });
        expect(page).toEqual({ index: 1, maxSize: 20, totalPages: 1, total: 0, items: [] });
      });

      test("a page past the last is PAGE_OUT_OF_RANGE naming the last page", async () => {
        const beyond = await g.fail(g.service.listSecrets(g.alice, { size: 2, page: 4 }), "PAGE_OUT_OF_RANGE");
        expect(beyond.message).toMatch(/last page is 3\b/);
        const farBeyond = await g.fail(g.service.listSecrets(g.alice, { size: 2, page: 400 }), "PAGE_OUT_OF_RANGE");
        expect(farBeyond.message).toMatch(/last page is 3\b/);
        const empty = await g.fail(g.service.listSecrets(g.alice, { name: "no-such-secret", page: 2 }), "PAGE_OUT_OF_RANGE");
        expect(empty.message).toMatch(/last page is 1\b/);
      });

      test("size 0, size 1001, a fractional size and page 0 are INVALID_FILTER", async () => {
        for (const query of [{ size: 0 }, { size: 1001 }, { size: -1 }, { size: 2.5 }, { page: 0 }, { page: -1 }, { page: 1.5 }]) {
          await g.fail(g.service.listSecrets(g.alice, query), "INVALID_FILTER");
        }
      });

      leakCheck(g);
    });

    describe("size limits", () => {
      const g = serviceGroup();

      test("1,000 keys are accepted", async () => {
        const name = g.name("many-keys");
        const created = await g.service.createSecret(g.alice, { name, values: valuesWithKeys(1000) });
        expect(created.keys).toHaveLength(1000);
        expect(Object.keys((await g.service.getSecret(g.alice, name)).values)).toHaveLength(1000);
      });

      test("1,001 keys are SECRET_TOO_LARGE and nothing is written", async () => {
        const name = g.name("too-many-keys");
        await g.fail(g.service.createSecret(g.alice, { name, values: valuesWithKeys(1001) }), "SECRET_TOO_LARGE");
        await g.fail(g.service.getSecret(g.alice, name), "SECRET_NOT_FOUND");
        expect((await g.service.listSecrets(g.alice, { name })).total).toBe(0);
      });

      test("keys plus values of exactly 65,536 UTF-8 bytes are accepted", async () => {
        const name = g.name("at-limit");
        const values = valuesOfBytes(LIMITS.maxSecretBytes);
        await g.service.createSecret(g.alice, { name, values });
        expect((await g.service.getSecret(g.alice, name)).values).toEqual(values);
        const multibyte = { k: `${"é".repeat(32767)}x` };
        const created = await g.service.createSecret(g.alice, { name: g.name("at-limit-utf8"), values: multibyte });
        expect((await g.service.getSecret(g.alice, created.id)).values).toEqual(multibyte);
      });

      test("one byte more is SECRET_TOO_LARGE and nothing is written; bytes count, not characters", async () => {
        for (const values of [
          valuesOfBytes(LIMITS.maxSecretBytes + 1),
          { k: `${"é".repeat(32767)}xx` },
          { k: "é".repeat(33000) },
          { a: "x".repeat(40000), b: "x".repeat(25535) },
        ]) {
          const name = g.name("over-limit");
          await g.fail(g.service.createSecret(g.alice, { name, values }), "SECRET_TOO_LARGE");
          await g.fail(g.service.getSecret(g.alice, name), "SECRET_NOT_FOUND");
          expect((await g.service.listSecrets(g.alice, { name })).total).toBe(0);
        }
      });

      test("an update whose merge crosses the byte limit is SECRET_TOO_LARGE and the old values stay", async () => {
        const name = g.name("grows");
        const created = await g.service.createSecret(g.alice, { name, values: valuesOfBytes(65000) });
        await g.fail(g.service.updateSecret(g.alice, name, { values: { extra: "x".repeat(532) } }), "SECRET_TOO_LARGE");
        expect(await g.service.getSecret(g.alice, name)).toEqual(created);
        const fits = await g.service.updateSecret(g.alice, name, { values: { extra: "x".repeat(531) } });
        expect(fits.version).toBe(2);
      });

      test("an update whose merge crosses 1,000 keys is SECRET_TOO_LARGE; removing one key while adding one fits", async () => {
        const name = g.name("more-keys");
        const created = await g.service.createSecret(g.alice, { name, values: valuesWithKeys(1000) });
        await g.fail(g.service.updateSecret(g.alice, name, { values: { k1000: "v" } }), "SECRET_TOO_LARGE");
        expect(await g.service.getSecret(g.alice, name)).toEqual(created);
        const swapped = await g.service.updateSecret(g.alice, name, { values: { k1000: "v", k0: null } });
        expect(swapped.keys).toHaveLength(1000);
        expect(swapped.keys).toContain("k1000");
        expect(swapped.keys).not.toContain("k0");
      });

      test("replaceSecretValues over a limit is SECRET_TOO_LARGE and the old values stay", async () => {
        const name = g.name("replaced");
        const created = await g.create(g.alice, name);
        await g.fail(g.service.replaceSecretValues(g.alice, name, valuesOfBytes(LIMITS.maxSecretBytes + 1)), "SECRET_TOO_LARGE");
        await g.fail(g.service.replaceSecretValues(g.alice, name, valuesWithKeys(1001)), "SECRET_TOO_LARGE");
        expect(await g.service.getSecret(g.alice, name)).toEqual(created);
        const atLimit = valuesOfBytes(LIMITS.maxSecretBytes);
        expect((await g.service.replaceSecretValues(g.alice, name, atLimit)).values).toEqual(atLimit);
      });

      leakCheck(g);
    });

    describe("validation", () => {
      const g = serviceGroup();
      const badNames = ["a b", "a.b", "", "x".repeat(256), randomUUID(), randomUUID().toUpperCase(), "a{b}", "a/b", "é", "a:b"];
      const badKeys = ["12abc", "abc d", "", "x".repeat(256), "-a", ".a", "a/b", "a{b}", "a:b"];

      test("invalid secret names are VALIDATION_ERROR: a b, a.b, empty, 256 chars, a UUID", async () => {
        for (const name of badNames) {
          const error = await g.fail(g.service.createSecret(g.alice, { name, values: { k: g.value() } }), "VALIDATION_ERROR");
          expect(error.message).toContain("name");
        }
        expect((await g.service.listSecrets(g.alice)).total).toBe(0);
      });

      test("names of 255 characters of A-Z a-z 0-9 _ - are valid", async () => {
        for (const name of ["x".repeat(255), "A-b_9", "0", "_", "-"]) {
          expect((await g.create(g.alice, name)).name).toBe(name);
        }
      });

      test("renaming to an invalid name is VALIDATION_ERROR and changes nothing", async () => {
        const name = g.name("keep-name");
        const created = await g.create(g.alice, name);
        for (const bad of badNames) await g.fail(g.service.updateSecret(g.alice, name, { name: bad }), "VALIDATION_ERROR");
        expect(await g.service.getSecret(g.alice, name)).toEqual(created);
      });

      test("invalid keys are VALIDATION_ERROR on create, update and replace: 12abc, 'abc d', empty", async () => {
        const name = g.name("keys");
        const created = await g.create(g.alice, name);
        for (const key of badKeys) {
          const error = await g.fail(
            g.service.createSecret(g.alice, { name: g.name("bad-key"), values: { [key]: g.value() } }),
            "VALIDATION_ERROR",
          );
          expect(error.message).toContain(`'${key}'`);
          await g.fail(g.service.updateSecret(g.alice, name, { values: { [key]: g.value() } }), "VALIDATION_ERROR");
          await g.fail(g.service.updateSecret(g.alice, name, { values: { [key]: null } }), "VALIDATION_ERROR");
          await g.fail(g.service.replaceSecretValues(g.alice, name, { [key]: g.value() }), "VALIDATION_ERROR");
        }
        expect(await g.service.getSecret(g.alice, name)).toEqual(created);
        expect((await g.service.listSecrets(g.alice, { name: "startswith:bad-key" })).total).toBe(0);
      });

      test("keys like db.password, api-key and _x are valid", async () => {
        const values = { "db.password": g.value(), "api-key": g.value(), _x: g.value(), A1: "", ["k".repeat(255)]: "" };
        const created = await g.service.createSecret(g.alice, { name: g.name("good-keys"), values });
        expect((await g.service.getSecret(g.alice, created.id)).values).toEqual(values);
      });

      test("a non-string value, or null on create, is VALIDATION_ERROR", async () => {
        for (const values of [{ k: 1 }, { k: null }, { k: { nested: g.value() } }, { k: [g.value()] }, { k: true }, "text", null]) {
          await g.fail(
            g.service.createSecret(g.alice, { name: g.name("bad-value"), values } as unknown as SecretCreate),
            "VALIDATION_ERROR",
          );
        }
        const name = g.name("bad-update");
        await g.create(g.alice, name);
        for (const values of [{ k: 1 }, { k: { nested: g.value() } }, "text"]) {
          await g.fail(g.service.updateSecret(g.alice, name, { values } as unknown as SecretUpdate), "VALIDATION_ERROR");
        }
      });

      test("an invalid scope is VALIDATION_ERROR on create, update and lookup", async () => {
        await g.fail(g.create(g.alice, g.name("scope"), { scope: "team" as "user" }), "VALIDATION_ERROR");
        const name = g.name("scope");
        await g.create(g.alice, name);
        await g.fail(g.service.updateSecret(g.alice, name, { scope: "global" as "user" }), "VALIDATION_ERROR");
        await g.fail(g.service.getSecret(g.alice, name, { scope: "everyone" as "user" }), "VALIDATION_ERROR");
      });

      test("unknown fields are refused: VALIDATION_ERROR naming them on create, update and lookup", async () => {
        const create = await g.fail(
          g.service.createSecret(g.alice, { name: g.name("extra"), values: {}, colour: "red" } as SecretCreate),
          "VALIDATION_ERROR",
        );
        expect(create.message).toContain("colour");
        const name = g.name("extra");
        const created = await g.create(g.alice, name);
        const update = await g.fail(
          g.service.updateSecret(g.alice, name, { values: { k: g.value() }, owner: "bob" } as SecretUpdate),
          "VALIDATION_ERROR",
        );
        expect(update.message).toContain("owner");
        const lookup = await g.fail(g.service.getSecret(g.alice, name, { scope: "workspace", tenant: "x" } as Lookup), "VALIDATION_ERROR");
        expect(lookup.message).toContain("tenant");
        expect(await g.service.getSecret(g.alice, name)).toEqual(created);
      });

      test("a non-positive expectedVersion is VALIDATION_ERROR", async () => {
        const name = g.name("version");
        await g.create(g.alice, name);
        for (const expectedVersion of [0, -1, 1.5]) {
          await g.fail(g.service.updateSecret(g.alice, name, { values: { k: g.value() }, expectedVersion }), "VALIDATION_ERROR");
        }
      });

      leakCheck(g);
    });

    describe("workspaces", () => {
      const g = serviceGroup();

      test("only admins create workspaces: FORBIDDEN otherwise; duplicates are WORKSPACE_EXISTS; names follow the name rule", async () => {
        const name = g.name("ws");
        await g.fail(g.service.createWorkspace(g.alice, { name }), "FORBIDDEN");
        const created = await g.service.createWorkspace(g.root, { name });
        expect(created.name).toBe(name);
        await g.fail(g.service.createWorkspace(g.root, { name }), "WORKSPACE_EXISTS");
        await g.fail(g.service.createWorkspace(g.root, { name: "a b" }), "VALIDATION_ERROR");
        expect((await g.service.listWorkspaces(g.alice)).map((w) => w.name)).toContain(name);
      });

      test("creating a secret in a workspace that does not exist is WORKSPACE_NOT_FOUND and writes nothing", async () => {
        const missing = g.name("missing-ws");
        const name = g.name("orphan");
        const error = await g.fail(g.create(g.alice, name, { workspace: missing }), "WORKSPACE_NOT_FOUND");
        expect(error.message).toContain(missing);
        await g.fail(g.create(g.inWorkspace(g.alice, missing), name), "WORKSPACE_NOT_FOUND");
        expect((await g.service.listSecrets(g.alice, { name, workspace: "*" })).total).toBe(0);
      });

      test("deleting a workspace deletes its secrets of both scopes, and no other workspace's", async () => {
        const workspace = g.name("doomed");
        await g.service.createWorkspace(g.root, { name: workspace });
        const inside = [
          await g.create(g.alice, g.name("in"), { workspace }),
          await g.create(g.bob, g.name("in-private"), { workspace, scope: "user" }),
          await g.create(g.alice, g.name("in-private"), { workspace, scope: "user" }),
        ];
        const outside = await g.create(g.alice, inside[0]!.name);
        await g.service.deleteWorkspace(g.root, workspace);
        for (const secret of inside) {
          const owner = secret.user === "bob" ? g.bob : g.alice;
          await g.fail(g.service.getSecret(owner, secret.id), "SECRET_NOT_FOUND");
          await g.fail(g.service.getSecret(owner, secret.name, { workspace }), "SECRET_NOT_FOUND");
        }
        expect((await g.service.listWorkspaces(g.root)).map((w) => w.name)).not.toContain(workspace);
        expect((await g.service.listSecrets(g.alice, { workspace })).total).toBe(0);
        const everywhere = await g.service.listSecrets(g.alice, { workspace: "*", size: LIMITS.maxPageSize });
        for (const secret of inside) expect(everywhere.items.map((s) => s.id)).not.toContain(secret.id);
        expect(await g.service.getSecret(g.alice, outside.id)).toEqual(outside);
        await g.service.createWorkspace(g.root, { name: workspace });
        expect((await g.service.listSecrets(g.inWorkspace(g.alice, workspace))).total).toBe(0);
        expect((await g.create(g.alice, inside[0]!.name, { workspace })).version).toBe(1);
      });

      test("deleting a workspace is refused to non-admins (FORBIDDEN) and keeps its secrets", async () => {
        const workspace = g.name("kept");
        await g.service.createWorkspace(g.root, { name: workspace });
        const secret = await g.create(g.alice, g.name("kept"), { workspace });
        await g.fail(g.service.deleteWorkspace(g.alice, workspace), "FORBIDDEN");
        expect(await g.service.getSecret(g.alice, secret.id)).toEqual(secret);
      });

      test("workspace default cannot be deleted", async () => {
        const secret = await g.create(g.alice, g.name("in-default"));
        const error = await g.fail(g.service.deleteWorkspace(g.root, "default"), "VALIDATION_ERROR");
        expect(error.message).toContain("cannot be deleted");
        expect(await g.service.getSecret(g.alice, secret.id)).toEqual(secret);
        expect((await g.service.listWorkspaces(g.root)).map((w) => w.name)).toContain("default");
      });

      test("deleting an unknown workspace is WORKSPACE_NOT_FOUND", async () => {
        await g.fail(g.service.deleteWorkspace(g.root, g.name("never")), "WORKSPACE_NOT_FOUND");
      });

      leakCheck(g);
    });

    describe("users", () => {
      const g = serviceGroup();

      test("deleting a user who owns secrets is USER_OWNS_SECRETS and deletes nothing", async () => {
        const carol = g.as(await g.service.ensureUser("carol"));
        const shared = await g.create(carol, g.name("carols"));
        const own = await g.create(carol, g.name("carols-private"), { scope: "user" });
        const error = await g.fail(g.service.deleteUser(g.root, "carol"), "USER_OWNS_SECRETS");
        expect(error.message).toContain("carol");
        expect(error.message).toContain("2 secrets");
        expect(await g.service.getSecret(g.alice, shared.id)).toEqual(shared);
        expect(await g.service.getSecret(carol, own.id)).toEqual(own);
        expect((await g.service.listUsers(g.root)).map((u) => u.name)).toContain("carol");
      });

      test("deleting a user with cascade deletes the user and every secret they own, of both scopes", async () => {
        const dave = g.as(await g.service.ensureUser("dave"));
        const shared = await g.create(dave, g.name("daves"));
        const own = await g.create(dave, g.name("daves-private"), { scope: "user" });
        const others = await g.create(g.alice, g.name("alices"));
        await g.service.deleteUser(g.root, "dave", { cascade: true });
        expect((await g.service.listUsers(g.root)).map((u) => u.name)).not.toContain("dave");
        await g.fail(g.service.getSecret(g.alice, shared.id), "SECRET_NOT_FOUND");
        await g.fail(g.service.getSecret(dave, own.id), "SECRET_NOT_FOUND");
        expect((await g.service.listSecrets(g.alice, { user: "dave" })).total).toBe(0);
        expect(await g.service.getSecret(g.alice, others.id)).toEqual(others);
        // The name is free again: the row is gone, not merely hidden.
        expect((await g.create(g.alice, shared.name)).user).toBe("alice");
      });

      test("a user without secrets is deleted without cascade", async () => {
        await g.service.ensureUser("erin");
        await g.service.deleteUser(g.root, "erin");
        expect((await g.service.listUsers(g.root)).map((u) => u.name)).not.toContain("erin");
      });

      test("deleting an unknown user is USER_NOT_FOUND", async () => {
        await g.fail(g.service.deleteUser(g.root, "nobody"), "USER_NOT_FOUND");
        await g.fail(g.service.deleteUser(g.root, "nobody", { cascade: true }), "USER_NOT_FOUND");
      });

      test("only admins delete users: FORBIDDEN otherwise, and the user stays", async () => {
        await g.service.ensureUser("frank");
        await g.fail(g.service.deleteUser(g.alice, "frank"), "FORBIDDEN");
        await g.fail(g.service.deleteUser(g.alice, "frank", { cascade: true }), "FORBIDDEN");
        expect((await g.service.listUsers(g.root)).map((u) => u.name)).toContain("frank");
      });

      leakCheck(g);
    });

    describe("concurrency", () => {
      const g = serviceGroup();

      test("50 concurrent updates each adding a distinct key all land: 50 keys, version 51", async () => {
        const name = g.name("contended");
        await g.service.createSecret(g.alice, { name, values: {} });
        const added = Array.from({ length: 50 }, (_, i) => [`key${String(i).padStart(2, "0")}`, g.value()] as const);
        await Promise.all(added.map(([key, value]) => g.service.updateSecret(g.alice, name, { values: { [key]: value } })));
        const read = await g.service.getSecret(g.alice, name);
        expect(read.values).toEqual(Object.fromEntries(added));
        expect(read.keys).toHaveLength(50);
        expect(read.version).toBe(51);
      });

      test("20 concurrent creates of one name: exactly one succeeds, 19 are SECRET_EXISTS, one secret is listed", async () => {
        const name = g.name("raced");
        const outcomes = await Promise.allSettled(
          Array.from({ length: 20 }, () => g.service.createSecret(g.alice, { name, values: { k: g.value() } })),
        );
        const winners = outcomes.filter((o) => o.status === "fulfilled");
        const codes = outcomes.flatMap((o) => (o.status === "rejected" ? [isZsError(o.reason) ? o.reason.code : String(o.reason)] : []));
        expect(winners).toHaveLength(1);
        expect(codes).toEqual(Array(19).fill("SECRET_EXISTS"));
        const listed = await g.service.listSecrets(g.alice, { name });
        expect(listed.total).toBe(1);
        const winner = (winners[0] as PromiseFulfilledResult<Secret>).value;
        expect(await g.service.getSecret(g.alice, name)).toEqual(winner);
      });

      test("concurrent updates with the same expectedVersion: exactly one wins, the rest are VERSION_MISMATCH", async () => {
        const name = g.name("cas-race");
        await g.create(g.alice, name);
        const outcomes = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) => g.service.updateSecret(g.alice, name, { values: { [`w${i}`]: g.value() }, expectedVersion: 1 })),
        );
        const codes = outcomes.map((o) => (o.status === "fulfilled" ? "ok" : isZsError(o.reason) ? o.reason.code : String(o.reason)));
        expect(codes.filter((c) => c === "ok")).toHaveLength(1);
        expect(codes.filter((c) => c !== "ok")).toEqual(Array(9).fill("VERSION_MISMATCH"));
        const read = await g.service.getSecret(g.alice, name);
        expect(read.version).toBe(2);
        expect(read.keys).toHaveLength(2);
      });

      leakCheck(g);
    });

    describe("secret values never appear in errors", () => {
      const g = serviceGroup();
      const canary = `CANARY-${token()}-${token()}`;

      test("failing creates, updates, replaces and lookups on a secret holding a canary never quote it", async () => {
        const name = g.name("leaky");
        await g.service.createSecret(g.alice, { name, values: { password: canary, nested: `pre-${canary}-post` } });
        const other = await g.create(g.alice, g.name("other"));
        const big = canary.repeat(Math.ceil(LIMITS.maxSecretBytes / canary.length) + 1);
        const manyKeys = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, canary]));
        const attempts: Array<[() => Promise<unknown>, ErrorCode]> = [
          [() => g.service.createSecret(g.alice, { name, values: { password: canary } }), "SECRET_EXISTS"],
          [() => g.service.createSecret(g.alice, { name: g.name("x"), values: { "bad key": canary } }), "VALIDATION_ERROR"],
          [() => g.service.createSecret(g.alice, { name: "bad name", values: { password: canary } }), "VALIDATION_ERROR"],
          [() => g.service.createSecret(g.alice, { name: g.name("x"), values: { k: { v: canary } } } as unknown as SecretCreate), "VALIDATION_ERROR"],
          [() => g.service.createSecret(g.alice, { name: g.name("x"), values: canary } as unknown as SecretCreate), "VALIDATION_ERROR"],
          [() => g.service.createSecret(g.alice, { name: g.name("x"), values: {}, note: canary } as SecretCreate), "VALIDATION_ERROR"],
          [() => g.service.createSecret(g.alice, { name: g.name("x"), values: { blob: big } }), "SECRET_TOO_LARGE"],
          [() => g.service.createSecret(g.alice, { name: g.name("x"), values: manyKeys }), "SECRET_TOO_LARGE"],
          [() => g.service.createSecret(g.alice, { name: g.name("x"), values: { password: canary }, workspace: "nowhere" }), "WORKSPACE_NOT_FOUND"],
          [() => g.service.updateSecret(g.alice, name, { values: { password: `${canary}2` }, expectedVersion: 9 }), "VERSION_MISMATCH"],
          [() => g.service.updateSecret(g.alice, name, { values: { "bad key": canary } }), "VALIDATION_ERROR"],
          [() => g.service.updateSecret(g.alice, name, { values: { password: [canary] } } as unknown as SecretUpdate), "VALIDATION_ERROR"],
          [() => g.service.updateSecret(g.alice, name, { values: { blob: big } }), "SECRET_TOO_LARGE"],
          [() => g.service.updateSecret(g.alice, name, { values: manyKeys }), "SECRET_TOO_LARGE"],
          [() => g.service.updateSecret(g.alice, name, { name: other.name, values: { password: canary } }), "SECRET_EXISTS"],
          [() => g.service.updateSecret(g.alice, name, { values: {}, secret: canary } as SecretUpdate), "VALIDATION_ERROR"],
          [() => g.service.updateSecret(g.alice, g.name("missing"), { values: { password: canary } }), "SECRET_NOT_FOUND"],
          [() => g.service.replaceSecretValues(g.alice, name, { blob: big }), "SECRET_TOO_LARGE"],
          [() => g.service.replaceSecretValues(g.alice, name, { password: canary, k: 5 } as unknown as SecretValues), "VALIDATION_ERROR"],
          [() => g.service.replaceSecretValues(g.alice, name, { password: canary, "1k": canary }), "VALIDATION_ERROR"],
        ];
        for (const [attempt, code] of attempts) await g.fail(attempt(), code);
        expect(g.errors.length).toBeGreaterThan(attempts.length - 1);
        expect(g.leaks([canary])).toEqual([]);
        // The canary really was stored and survived every failed change.
        const read = await g.service.getSecret(g.alice, name);
        expect(read.values.password).toBe(canary);
        expect(read.version).toBe(1);
      });

      test("failing operations on a user-scoped canary secret by another user never quote it", async () => {
        const name = g.name("leaky-private");
        const created = await g.service.createSecret(g.alice, { name, values: { password: canary }, scope: "user" });
        const before = g.errors.length;
        await g.fail(g.service.getSecret(g.bob, created.id), "SECRET_NOT_FOUND");
        await g.fail(g.service.updateSecret(g.bob, created.id, { values: { password: canary } }), "SECRET_NOT_FOUND");
        await g.fail(g.service.replaceSecretValues(g.root, name, { password: canary }), "SECRET_NOT_FOUND");
        await g.fail(g.service.deleteSecret(g.root, created.id.slice(0, 8)), "SECRET_NOT_FOUND");
        expect(g.errors.length - before).toBe(4);
        expect(g.leaks([canary])).toEqual([]);
      });

      leakCheck(g);
    });
  });
}
