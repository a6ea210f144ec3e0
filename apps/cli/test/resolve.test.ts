import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "@jest/globals";
import { HARNESS_FACTORIES, expectError, expectUsageError, useZsHarness } from "./support/zs-process.js";

describe.each(HARNESS_FACTORIES)("zs resolve ($mode)", (factory) => {
  const zs = useZsHarness(factory);
  const password = `pw-${randomBytes(12).toString("hex")}`;
  // Characters that would need escaping in YAML, JSON or a shell: resolution is textual and keeps them as they are.
  const tricky = `q"u'o$te\\s #x`;

  beforeAll(async () => {
    await zs.addSecret("db", { user: "app", password, "tls.key": tricky });
    await zs.addSecret("api", { token: "workspace-token" });
  }, 60_000);

  it.each([
    [
      "YAML",
      "config.yaml",
      "# {{db.user}} in a comment is resolved too\ndatabase:\n  url: postgres://{{db.user}}:{{ db.password }}@host/app\n  key: '{{db.tls.key}}'\n  literal: \\{{db.user}}\n",
      `# app in a comment is resolved too\ndatabase:\n  url: postgres://app:${password}@host/app\n  key: '${tricky}'\n  literal: {{db.user}}\n`,
    ],
    ["JSON", "config.json", '{"user": "{{db.user}}", "token": "{{api.token}}", "n": 1}', '{"user": "app", "token": "workspace-token", "n": 1}'],
    [".env", ".env", "DB_USER={{db.user}}\nexport DB_PASSWORD='{{db.password}}'\n# {x.y} ${{db.user}}\n", `DB_USER=app\nexport DB_PASSWORD='${password}'\n# {x.y} \${{db.user}}\n`],
    ["text without a final newline", "notes.txt", "user={{db.user}}\r\nno newline", "user=app\r\nno newline"],
    ["text without references", "plain.txt", "{x.y} $db.user {{ is not closed\n", "{x.y} $db.user {{ is not closed\n"],
    ["empty", "empty.txt", "", ""],
  ])("%s: prints the file with every reference resolved and every other byte as it was", async (_label, file, content, expected) => {
    await zs.writeFile(file, content);
    expect(await zs.run(["resolve", file])).toEqual({ code: 0, stdout: expected, stderr: "" });
  });

  it("- reads the text from stdin", async () => {
    expect(await zs.run(["resolve", "-"], { input: "u={{db.user}} t={{api.token}}\n" })).toEqual({ code: 0, stdout: "u=app t=workspace-token\n", stderr: "" });
  });

  it("-o FILE writes the result with mode 0600, also over an existing file, and prints no value", async () => {
    await zs.writeFile("in.yaml", "password: {{db.password}}\n");
    const result = await zs.run(["resolve", "in.yaml", "-o", "out.yaml"]);
    expect(result).toEqual({ code: 0, stdout: "Resolved 'in.yaml' into 'out.yaml'.\n", stderr: "" });
    expect(await zs.readFile("out.yaml")).toBe(`password: ${password}\n`);
    expect((await stat(path.join(zs.workDir, "out.yaml"))).mode & 0o777).toBe(0o600);

    const existing = path.join(zs.workDir, "existing.yaml");
    await writeFile(existing, "old content that is longer than the new one\n".repeat(5));
    await chmod(existing, 0o644);
    await zs.ok(["resolve", "in.yaml", "--output", existing]);
    expect(await zs.readFile("existing.yaml")).toBe(`password: ${password}\n`);
    expect((await stat(existing)).mode & 0o777).toBe(0o600);
  });

  it("the caller's user-scoped secret is used before the workspace one of the same name", async () => {
    const mine = await zs.createSecret("api", { token: "my-own-token" }, "user");
    await zs.writeFile("token.txt", "{{api.token}}");
    expect((await zs.ok(["resolve", "token.txt"])).stdout).toBe("my-own-token");
    await zs.ok(["secret", "delete", mine.id, "-y"]);
    expect((await zs.ok(["resolve", "token.txt"])).stdout).toBe("workspace-token");
  });

  it("--workspace resolves against that workspace's secrets", async () => {
    await zs.ok(["workspace", "create", "elsewhere"]);
    await zs.ok(["secret", "create", "db", "--user=elsewhere-user", "--workspace", "elsewhere"]);
    await zs.writeFile("user.txt", "{{db.user}}");
    expect((await zs.ok(["resolve", "user.txt", "--workspace", "elsewhere"])).stdout).toBe("elsewhere-user");
  });

  it("a missing secret or key, or a malformed reference, fails naming it (and the keys there are), printing and writing nothing", async () => {
    await zs.writeFile("missing-secret.txt", "a {{db.user}} b {{nowhere.k}}");
    await zs.writeFile("missing-key.txt", "{{db.user}} {{db.nokey}}");
    await zs.writeFile("malformed.txt", "{{db.user}} {{db . password}}");
    expectError(await zs.run(["resolve", "missing-secret.txt", "-o", "never-1.txt"]), "No secret named 'nowhere' in workspace 'default' (wanted by the text).");
    expectError(
      await zs.run(["resolve", "missing-key.txt", "-o", "never-2.txt"]),
      "Secret 'db' has no key 'nokey' ({{db.nokey}}, wanted by the text); its keys are: password, tls.key, user.",
    );
    expectError(
      await zs.run(["resolve", "malformed.txt", "-o", "never-3.txt"]),
      "The text holds a malformed reference '{{db . password}}': write {{secret_name.key}}, or \\{{ for a literal '{{'.",
    );
    for (const file of ["never-1.txt", "never-2.txt", "never-3.txt"]) expect(existsSync(path.join(zs.workDir, file))).toBe(false);
  });

  it("a file holding 1,000 references resolves; 1,001 fail with LIMIT_EXCEEDED's message before any lookup, printing and writing nothing", async () => {
    await zs.writeFile("at-limit.txt", "{{db.user}}\n".repeat(1000));
    expect(await zs.run(["resolve", "at-limit.txt"])).toEqual({ code: 0, stdout: "app\n".repeat(1000), stderr: "" });
    // References to secrets that do not exist: a lookup would have failed with SECRET_NOT_FOUND instead.
    await zs.writeFile("over-limit.txt", "{{db.user}}\n".repeat(1000) + "{{nowhere.k}}\n");
    expectError(
      await zs.run(["resolve", "over-limit.txt", "-o", "never.txt"]),
      "The text holds 1,001 references; one resolution may hold at most 1,000: split it into smaller ones.",
    );
    expect(existsSync(path.join(zs.workDir, "never.txt"))).toBe(false);
  });

  it("a missing file fails naming it; no FILE is a usage error", async () => {
    expectError(await zs.run(["resolve", "no-such-file.yaml"]), "Cannot read 'no-such-file.yaml': no such file.");
    expectUsageError(await zs.run(["resolve"]), "missing required argument 'file'");
  });
});
