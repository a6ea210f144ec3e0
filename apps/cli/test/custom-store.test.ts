import { mkdir, readFile, stat, symlink } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "@jest/globals";
import { expectError, uniqueName, useZsHarness, type WirePage, type WireSecret } from "./support/zs-process.js";

// The built `zs` with a custom values store: examples/custom-store (@zs-examples/file-store),
// installed in the working directory's node_modules (the CLI's config directory in local mode)
// the way `npm install` would link it, and loaded at run time from its built dist/.

const EXAMPLE_DIR = path.resolve(__dirname, "..", "..", "..", "examples", "custom-store");

describe("zs with a custom values store (@zs-examples/file-store)", () => {
  const zs = useZsHarness();
  const byName = { ZS_SECRETS_STORE_TYPE: "@zs-examples/file-store", ZS_SECRETS_STORE_DIRECTORY: "values" };

  beforeAll(async () => {
    await mkdir(path.join(zs.workDir, "node_modules", "@zs-examples"), { recursive: true });
    await symlink(EXAMPLE_DIR, path.join(zs.workDir, "node_modules", "@zs-examples", "file-store"), "dir");
  });

  it("loaded by package name: create, get, list keep the values in the store's files; delete keeps the file until purged", async () => {
    const name = uniqueName("db");
    await zs.ok(["secret", "create", name, "--user=admin", "--password=pw"], { env: byName });
    const secret = await zs.json<WireSecret>(["secret", "get", name], { env: byName });
    expect(secret.values).toEqual({ user: "admin", password: "pw" });

    // ZS_SECRETS_STORE_DIRECTORY is relative to the config's directory: here the working directory.
    const file = path.join(zs.workDir, "values", `${secret.id}.json`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, "utf8"))).toMatchObject({ "secret-id": secret.id, values: { user: "admin", password: "pw" } });

    const page = await zs.json<WirePage<WireSecret>>(["secret", "list"], { env: byName });
    expect(page.items.map((item) => item.name)).toContain(name);
    // A deleted secret stays recoverable: its file stays until the purge (here at once).
    await zs.ok(["secret", "delete", name, "--yes"], { env: byName });
    expect((await stat(file)).isFile()).toBe(true);
    await zs.ok(["secret", "recover", secret.id], { env: byName });
    await zs.ok(["secret", "delete", name, "--yes", "--purge"], { env: byName });
    await expect(stat(file)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("loaded by a relative path to its built entry, with zs status naming it", async () => {
    const env = { ...byName, ZS_SECRETS_STORE_TYPE: "./node_modules/@zs-examples/file-store/dist/index.js", ZS_SECRETS_STORE_MAX_VALUE_BYTES: "2048" };
    const status = await zs.ok(["status"], { env });
    expect(status.stdout).toMatch(/^Store\s+file \(maxValueBytes=2048\)$/m);
  });

  it("the store's own ZsError (from its own copy of @zs/core) reaches the user as is: SECRET_TOO_LARGE, exit 1", async () => {
    const result = await zs.run(["secret", "create", uniqueName("big"), "--k=0123456789"], { env: { ...byName, ZS_SECRETS_STORE_MAX_VALUE_BYTES: "10" } });
    expectError(result, "file: the values are 11 bytes (keys and values, UTF-8); this store holds at most 10 (max_value_bytes).");
  });

  it("a store module that is not installed where the config is: one clear error, exit 1", async () => {
    const result = await zs.run(["secret", "list"], { env: { ...byName, ZS_SECRETS_STORE_TYPE: "@zs-examples/not-installed" } });
    expectError(
      result,
      `Values store '@zs-examples/not-installed' is neither a built-in type nor a module that can be found from ${zs.workDir}; ` +
        "install the package there or give a path to the module.",
    );
  });

  it("its invalid options are listed all at once", async () => {
    const result = await zs.run(["secret", "list"], { env: { ZS_SECRETS_STORE_TYPE: "@zs-examples/file-store", ZS_SECRETS_STORE_MAX_VALUE_BYTES: "many" } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Invalid options for values store '@zs-examples/file-store': directory: ");
    expect(result.stderr).toContain("max_value_bytes: must be a whole number of bytes");
    expect(result.stderr).toContain("Allowed options: directory, max_value_bytes.");
  });
});
