import path from "node:path";
import { describe, expect, it } from "@jest/globals";
// Not a dependency of the CLI: the test reaches into the local database as an operator would.
import { SqlDatabase } from "../../../packages/store-sql/src/index.js";
import { HARNESS_FACTORIES, expectError, uniqueName, useZsHarness, type WireSecret } from "./support/zs-process.js";

interface WireDeleted extends WireSecret {
  updated_by: string | null;
  deleted: string;
  purge_after: string;
}

describe.each(HARNESS_FACTORIES)("zs secret delete, list --deleted, recover ($mode)", (factory) => {
  const zs = useZsHarness(factory);

  it("delete → list --deleted → recover brings the secret back with its values; --as recovers under a new name", async () => {
    const name = uniqueName("db");
    const created = await zs.createSecret(name, { password: "recover-me-1", user: "u" });
    await zs.ok(["secret", "delete", name, "-y"]);

    const table = (await zs.ok(["secret", "list", "--deleted"])).stdout;
    expect(table).toMatch(/NAME\s+ID\s+SCOPE\s+KEYS\s+DELETED\s+PURGE AFTER/);
    expect(table).toContain(created.id);
    expect(table).not.toContain("recover-me-1");
    const listed = await zs.json<{ total: number; items: WireDeleted[] }>(["secret", "list", "--deleted", "--name", name, "-o", "json"]);
    expect(listed.items).toEqual([expect.objectContaining({ id: created.id, name, updated_by: zs.user, deleted: expect.any(String), purge_after: expect.any(String) })]);
    expect((await zs.ok(["secret", "list", "--name", name])).stdout).toBe("No secrets found.\n");

    expect((await zs.ok(["secret", "recover", created.id])).stdout).toBe(`Secret '${name}' recovered (${created.id}).\n`);
    expect(await zs.values(name)).toEqual({ password: "recover-me-1", user: "u" });

    // Deleted again, and the name taken meanwhile: refused, then recovered under another name.
    await zs.ok(["secret", "delete", name, "-y"]);
    await zs.addSecret(name, { other: "x" });
    expectError(
      await zs.run(["secret", "recover", created.id]),
      `A workspace-scoped secret named '${name}' already exists in workspace 'default'. Recover it under another name (--as NEW, or {"name": …}).`,
    );
    const renamed = `${name}-old`;
    const recovered = await zs.json<WireSecret>(["secret", "recover", created.id.slice(0, 8), "--as", renamed, "-o", "json"]);
    expect(recovered).toMatchObject({ id: created.id, name: renamed });
    expect(await zs.values(renamed)).toEqual({ password: "recover-me-1", user: "u" });
    expect(await zs.values(name)).toEqual({ other: "x" });
  });

  it("delete --purge is immediate: nothing to list or recover", async () => {
    const name = uniqueName("gone");
    const created = await zs.createSecret(name, { k: "v" });
    expect((await zs.ok(["secret", "delete", name, "-y", "--purge"])).stdout).toBe(`Secret '${name}' deleted.\n`);
    expect((await zs.ok(["secret", "list", "--deleted", "--name", name])).stdout).toBe("No deleted secrets found.\n");
    const refused = await zs.run(["secret", "recover", created.id]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("it may have been purged");
  });

  it("recover of a live secret or under an invalid name is a clear error that changes nothing", async () => {
    const name = uniqueName("live");
    const created = await zs.createSecret(name, { k: "v" });
    expectError(
      await zs.run(["secret", "recover", name]),
      `Secret '${name}' in workspace 'default' is not deleted: there is nothing to recover. 'zs secret list --deleted' lists the deleted ones.`,
    );
    await zs.ok(["secret", "delete", name, "-y"]);
    const refused = await zs.run(["secret", "recover", created.id, "--as", "bad.name"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Invalid recover: name");
    expect((await zs.json<{ total: number }>(["secret", "list", "--deleted", "--name", name, "-o", "json"])).total).toBe(1);
  });
});

describe.each(HARNESS_FACTORIES)("zs secret usages and rename --update-references ($mode)", (factory) => {
  const zs = useZsHarness(factory);

  it("usages lists the component attributes referencing a secret; rename warns, or rewrites them with --update-references", async () => {
    const name = uniqueName("db");
    const component = uniqueName("app");
    const stack = uniqueName("stack");
    await zs.addSecret(name, { password: "usage-value-1" });
    await zs.ok(["component", "register", component, "--type", "t", "--flavor", "f", `--url=pg://{{${name}.password}}@h`]);
    await zs.ok(["stack", "register", stack, "-c", component]);

    const table = (await zs.ok(["secret", "usages", name])).stdout;
    expect(table).toMatch(new RegExp(`${component}\\s+url\\s+password\\s+\\{\\{${name}\\.password\\}\\}\\s+${stack}`));
    expect(await zs.json(["secret", "usages", name, "-o", "json"])).toMatchObject({
      name,
      usages: [{ component, attribute: "url", key: "password", reference: `{{${name}.password}}`, stacks: [stack] }],
    });

    // Without a terminal: the rename goes through, and the references are shown on stderr.
    const second = `${name}-2`;
    const warned = await zs.run(["secret", "rename", name, "-n", second]);
    expect(warned.code).toBe(0);
    expect(warned.stdout).toBe(`Secret '${name}' renamed to '${second}'.\n`);
    expect(warned.stderr).toContain(`Warning: 1 component attribute reference uses secret '${name}'`);
    expect(warned.stderr).toContain(component);

    await zs.ok(["secret", "rename", second, "-n", name]);
    const third = `${name}-3`;
    const rewritten = await zs.run(["secret", "rename", name, "-n", third, "--update-references"]);
    expect(rewritten).toEqual({ code: 0, stdout: `Secret '${name}' renamed to '${third}'. 1 component reference now names it.\n`, stderr: "" });
    expect((await zs.json<{ configuration: Record<string, string> }>(["component", "describe", component, "-o", "json"])).configuration.url).toBe(`pg://{{${third}.password}}@h`);
    expect((await zs.ok(["secret", "usages", third])).stdout).toContain(component);

    const deleted = await zs.run(["secret", "delete", third, "-y"]);
    expect(deleted.code).toBe(0);
    expect(deleted.stderr).toContain(`Warning: 1 component attribute reference uses secret '${third}'`);
    expect(`${deleted.stdout}${deleted.stderr}`).not.toContain("usage-value-1");
  });

  it("usages of a secret nothing references, and of a missing secret", async () => {
    const name = uniqueName("lonely");
    await zs.addSecret(name, { k: "v" });
    expect((await zs.ok(["secret", "usages", name])).stdout).toBe(`No component references secret '${name}'.\n`);
    expectError(await zs.run(["secret", "usages", "no-such-secret"]), "No secret with name, id or id prefix 'no-such-secret' in workspace 'default'.");
  });
});

describe("local mode purges expired deleted secrets when a command opens the store", () => {
  const zs = useZsHarness();

  it("a command after the window ended finds the secret purged, values and all", async () => {
    const name = uniqueName("expired");
    const created = await zs.createSecret(name, { k: "expired-value-1" });
    await zs.ok(["secret", "delete", name, "-y"]);
    const database = await SqlDatabase.open(`sqlite:${path.join(zs.home!, "zs.db")}`);
    try {
      await database.knex("secrets").where({ id: created.id }).update({ purge_after: Date.now() - 1000 });
      expect(await database.knex("secret_values").where({ secret_id: created.id }).first()).toBeDefined();
      await zs.ok(["secret", "list"]);
      expect(await database.knex("secrets").where({ id: created.id }).first()).toBeUndefined();
      expect(await database.knex("secret_values").where({ secret_id: created.id }).first()).toBeUndefined();
    } finally {
      await database.close();
    }
  });

  it("a bad ZS_RECOVERY_WINDOW_DAYS is a clear configuration error", async () => {
    const result = await zs.run(["secret", "list"], { env: { ZS_RECOVERY_WINDOW_DAYS: "a week" } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("ZS_RECOVERY_WINDOW_DAYS must be a whole number of days from 0 (delete at once) to 3650, not 'a week'");
  });

  it("ZS_RECOVERY_WINDOW_DAYS=0 deletes at once", async () => {
    const name = uniqueName("instant");
    await zs.addSecret(name, { k: "v" });
    expect((await zs.ok(["secret", "delete", name, "-y"], { env: { ZS_RECOVERY_WINDOW_DAYS: "0" } })).stdout).toBe(`Secret '${name}' deleted.\n`);
    expect((await zs.ok(["secret", "list", "--deleted", "--name", name])).stdout).toBe("No deleted secrets found.\n");
  });
});
