import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { isZsError, type SecretValuesStore, type ZsError } from "@zs/core";
import fileStore, { fileStore as namedFileStore } from "../src/index.js";
import { writeFileAtomically } from "../src/atomic-file.js";
import { createFileStore } from "./support/file-store-fixture.js";

const DEPLOYMENT = "4f1c2b7a-8d3e-4a5b-9c6d-0e1f2a3b4c5d";
const OTHER_DEPLOYMENT = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

let root: string;
/** A fresh directory under the test's temp root. */
const freshDir = () => mkdtemp(path.join(root, "case-"));

async function failure(promise: Promise<unknown>): Promise<ZsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isZsError(error)) throw new Error(`expected a ZsError, got ${String(error)}`);
  return error;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "zs-file-store-"));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("file store definition", () => {
  it("the default export and the named export are one definition of type file, API version 1", () => {
    expect(fileStore).toBe(namedFileStore);
    expect(fileStore).toMatchObject({ apiVersion: 1, type: "file" });
  });

  it("max_value_bytes defaults to zs's own limit and is parsed from the string zs passes", () => {
    expect(fileStore.optionsSchema.parse({ directory: "d" })).toEqual({ directory: "d", max_value_bytes: 65536 });
    expect(fileStore.optionsSchema.parse({ directory: "d", max_value_bytes: "1024" })).toEqual({ directory: "d", max_value_bytes: 1024 });
  });

  it("invalid options are refused all at once, each named, with the allowed ones", async () => {
    const error = await failure(createFileStore({ max_value_bytes: "lots", colour: "red" }, root));
    expect(error.code).toBe("CONFIGURATION_ERROR");
    expect(error.details?.reason).toBe("invalid_options");
    expect(error.message).toMatch(/directory: /);
    expect(error.message).toContain("max_value_bytes: must be a whole number of bytes");
    expect(error.message).toContain("'colour'");
    expect(error.message).toContain("Allowed options: directory, max_value_bytes.");
  });

  it("max_value_bytes above zs's own limit is refused", async () => {
    const error = await failure(createFileStore({ directory: "d", max_value_bytes: "1000000" }, root));
    expect(error.message).toContain("max_value_bytes: must be at most 65536");
  });

  it("a relative directory is resolved from the config's directory and created with mode 0700", async () => {
    const configDir = await freshDir();
    const store = await createFileStore({ directory: "nested/values" }, configDir, DEPLOYMENT);
    const directory = path.join(configDir, "nested", "values");
    expect((await stat(directory)).mode & 0o777).toBe(0o700);
    const id = randomUUID();
    await store.putValues(id, { k: "v" });
    expect(await readdir(directory)).toEqual([`${id}.json`]);
  });

  it("a directory option naming a file is a configuration error at start, naming the variable", async () => {
    const configDir = await freshDir();
    await writeFile(path.join(configDir, "taken"), "not a directory");
    const error = await failure(createFileStore({ directory: "taken" }, configDir));
    expect(error.code).toBe("CONFIGURATION_ERROR");
    expect(error.message).toMatch(/^file: cannot use '.*taken' as the values directory \(E\w+\); set ZS_SECRETS_STORE_DIRECTORY/);
  });
});

describe("file store on disk", () => {
  let directory: string;
  let store: SecretValuesStore;
  let other: SecretValuesStore;

  beforeAll(async () => {
    directory = await freshDir();
    store = await createFileStore({ directory }, root, DEPLOYMENT);
    other = await createFileStore({ directory }, root, OTHER_DEPLOYMENT);
  });

  it("keeps one JSON file <id>.json per secret, mode 0600, tagged with the deployment and the secret id", async () => {
    const id = randomUUID();
    await store.putValues(id, { user: "admin", password: "pw" });
    const file = path.join(directory, `${id}.json`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({ "zs-deployment": DEPLOYMENT, "secret-id": id, values: { user: "admin", password: "pw" } });
  });

  it("an overwrite keeps mode 0600 and leaves no temp file behind", async () => {
    const id = randomUUID();
    for (let n = 0; n < 5; n++) await store.putValues(id, { n: String(n) });
    expect((await stat(path.join(directory, `${id}.json`))).mode & 0o777).toBe(0o600);
    expect((await readdir(directory)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("a reader racing with writers sees one whole version or another, never part of one", async () => {
    const id = randomUUID();
    const versions = Array.from({ length: 12 }, (_, n) => ({ n: String(n), padding: String(n % 10).repeat(60000) }));
    await store.putValues(id, versions[0]!);
    const reads: unknown[] = [];
    await Promise.all([
      ...versions.map((values) => store.putValues(id, values)),
      ...versions.map(async () => reads.push(await store.getValues(id))),
    ]);
    expect(reads).toHaveLength(versions.length);
    for (const read of reads) expect(versions).toContainEqual(read);
  });

  it("a values map over max_value_bytes is refused with SECRET_TOO_LARGE before any file is written", async () => {
    const small = await createFileStore({ directory: await freshDir(), max_value_bytes: "100" }, root, DEPLOYMENT);
    expect(small.capabilities.maxValueBytes).toBe(100);
    const id = randomUUID();
    const error = await failure(small.putValues(id, { k: "x".repeat(100) }));
    expect(error.code).toBe("SECRET_TOO_LARGE");
    expect(error.message).toContain("at most 100 (max_value_bytes)");
    expect(await small.getValues(id)).toBeUndefined();
    await small.putValues(id, { k: "x".repeat(99) });
    expect(await small.getValues(id)).toEqual({ k: "x".repeat(99) });
  });

  it("another deployment's file is absent: get undefined, delete false and the file kept, put refused", async () => {
    const id = randomUUID();
    await other.putValues(id, { owner: "other" });
    const file = path.join(directory, `${id}.json`);
    const before = await readFile(file, "utf8");

    expect(await store.getValues(id)).toBeUndefined();
    expect(await store.deleteValues(id)).toBe(false);
    const error = await failure(store.putValues(id, { owner: "me" }));
    expect(error.code).toBe("CONFIGURATION_ERROR");
    expect(error.message).toContain(`belongs to zs deployment ${OTHER_DEPLOYMENT}`);
    expect(error.message).toContain("Give each deployment its own directory");
    expect(await readFile(file, "utf8")).toBe(before);
    expect(await other.getValues(id)).toEqual({ owner: "other" });
  });

  it.each([
    ["not JSON", "this is not json"],
    ["JSON without a deployment", JSON.stringify({ values: { k: "v" } })],
    ["a JSON array", "[1, 2]"],
  ])("a file that is not a zs document (%s) is absent, and delete leaves it", async (_label, content) => {
    const id = randomUUID();
    const file = path.join(directory, `${id}.json`);
    await writeFile(file, content);
    expect(await store.getValues(id)).toBeUndefined();
    expect(await store.deleteValues(id)).toBe(false);
    expect(await readFile(file, "utf8")).toBe(content);
  });

  it("a file with this deployment's tag but broken values is an INTERNAL error, not silently absent", async () => {
    const id = randomUUID();
    await writeFile(path.join(directory, `${id}.json`), JSON.stringify({ "zs-deployment": DEPLOYMENT, values: { k: 1 } }));
    const error = await failure(store.getValues(id));
    expect(error.code).toBe("INTERNAL");
    expect(error.message).toContain("values are not a JSON object of strings");
  });

  it("delete removes the file; deleting again returns false", async () => {
    const id = randomUUID();
    await store.putValues(id, { k: "v" });
    expect(await store.deleteValues(id)).toBe(true);
    await expect(stat(path.join(directory, `${id}.json`))).rejects.toMatchObject({ code: "ENOENT" });
    expect(await store.deleteValues(id)).toBe(false);
  });

  it.each(["../escape", "a/b", ".hidden", "", "x".repeat(129)])("a secret id that cannot name a file (%j) is refused, nothing written", async (id) => {
    const error = await failure(store.putValues(id, { k: "v" }));
    expect(error.code).toBe("INTERNAL");
    expect(error.message).toContain("cannot name a file");
    expect((await readdir(path.dirname(directory))).some((name) => name.includes("escape"))).toBe(false);
  });

  it("check passes on a usable directory", async () => {
    await expect(store.check!()).resolves.toBeUndefined();
  });

  it("a closed store refuses every operation; close is idempotent", async () => {
    const closing = await createFileStore({ directory }, root, DEPLOYMENT);
    await closing.close!();
    await closing.close!();
    expect((await failure(closing.getValues(randomUUID()))).message).toBe("file: the store is closed.");
  });
});

describe("file store when the directory goes away", () => {
  let directory: string;
  let store: SecretValuesStore;
  const secretValue = `s3cr3t-${randomUUID()}`;

  beforeAll(async () => {
    directory = await freshDir();
    store = await createFileStore({ directory }, root, DEPLOYMENT);
    await rm(directory, { recursive: true });
  });

  it("a put is a configuration error naming the file, the errno and the variable", async () => {
    const error = await failure(store.putValues(randomUUID(), { password: secretValue }));
    expect(error.code).toBe("CONFIGURATION_ERROR");
    expect(error.message).toMatch(/^file: cannot write '.*\.json' \(ENOENT\); check that ZS_SECRETS_STORE_DIRECTORY/);
    expect(error.details).toEqual({ reason: "file_access", errno: "ENOENT" });
  });

  it("get finds nothing and delete returns false", async () => {
    expect(await store.getValues(randomUUID())).toBeUndefined();
    expect(await store.deleteValues(randomUUID())).toBe(false);
  });

  it("check reports BACKEND_UNAVAILABLE naming the directory", async () => {
    const error = await failure(store.check!());
    expect(error.code).toBe("BACKEND_UNAVAILABLE");
    expect(error.message).toBe(`file: the values directory '${directory}' is not usable (ENOENT).`);
  });

  it("a file in the way of the directory makes reads fail clearly too", async () => {
    await writeFile(directory, "now a file");
    const error = await failure(store.getValues(randomUUID()));
    expect(error.code).toBe("CONFIGURATION_ERROR");
    expect(error.message).toMatch(/^file: cannot read .* \(ENOTDIR\)/);
    await rm(directory);
  });

  it("no error message or detail carries a secret value", async () => {
    const errors = await Promise.all([
      failure(store.putValues(randomUUID(), { password: secretValue })),
      failure(store.putValues(randomUUID(), { password: secretValue.repeat(5000) })),
    ]);
    const text = errors.map((error) => `${error.message} ${JSON.stringify(error.details ?? {})}`).join("\n");
    expect(text).not.toContain(secretValue);
  });
});

describe("writeFileAtomically", () => {
  it("a write that cannot land removes its temp file and leaves the target as it was", async () => {
    const directory = await freshDir();
    const target = path.join(directory, "target.json");
    // A non-empty directory at the target's name: the temp file is written, the rename fails.
    await mkdir(path.join(target, "inside"), { recursive: true });
    await expect(writeFileAtomically(target, "new", 0o600)).rejects.toMatchObject({ code: expect.stringMatching(/^E/) });
    expect(await readdir(directory)).toEqual(["target.json"]);
  });

  it("the file gets exactly the mode asked for, whatever the umask", async () => {
    const file = path.join(await freshDir(), "f.json");
    const previous = process.umask(0o000);
    try {
      await writeFileAtomically(file, "x", 0o600);
    } finally {
      process.umask(previous);
    }
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });
});
