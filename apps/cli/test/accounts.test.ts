import { describe, expect, it } from "@jest/globals";
import { expectError, expectUsageError, remoteHarness, useZsHarness } from "./support/zs-process.js";

interface WireApiKey {
  id: string;
  name: string;
  expires: string | null;
  key?: string;
}

describe("zs user and zs api-key against a server", () => {
  const zs = useZsHarness(remoteHarness);

  it("api-key create --expires-in 90d: the key says when it expires, and lists with it", async () => {
    const before = Date.now();
    const created = await zs.json<WireApiKey>(["api-key", "create", "quarterly", "--expires-in", "90d"]);
    expect(Date.parse(created.expires!)).toBeGreaterThanOrEqual(before + 90 * 86_400_000);
    const listed = await zs.json<WireApiKey[]>(["api-key", "list"]);
    expect(listed.find((key) => key.id === created.id)).toMatchObject({ name: "quarterly", expires: created.expires });
    expect(JSON.stringify(listed)).not.toContain(created.key!);
  });

  it("api-key create --expires-in 1y: exit 1 naming expires_in, no key created", async () => {
    const before = await zs.json<WireApiKey[]>(["api-key", "list"]);
    const result = await zs.run(["api-key", "create", "yearly", "--expires-in", "1y"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Error: .*expires_in.*whole number followed by m, h or d/);
    expect(await zs.json<WireApiKey[]>(["api-key", "list"])).toEqual(before);
  });

  it("with an API key instead of a session, api-key create is refused (exit 1, FORBIDDEN message)", async () => {
    const created = await zs.json<WireApiKey>(["api-key", "create", "automation"]);
    const result = await zs.run(["api-key", "create", "minted"], { env: { ZS_URL: await serverUrl(), ZS_API_KEY: created.key! } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("An API key cannot create API keys");
    expect(result.stderr).not.toContain(created.key!);
  });

  it("user update --no-admin of the last admin: exit 1, LAST_ADMIN's message, still an admin", async () => {
    const result = await zs.run(["user", "update", "admin", "--no-admin"]);
    expectError(result, "User 'admin' is the last admin and cannot be demoted; make another user an admin first.");
    expect((await zs.json<{ is_admin: boolean }[]>(["user", "list"]))[0]!.is_admin).toBe(true);
    expectUsageError(await zs.run(["user", "update", "admin"]), "Give --admin or --no-admin.");
  });

  it("user password NAME --password-stdin sets another user's password; your own changes with ZS_PASSWORD as the current one", async () => {
    await zs.ok(["user", "create", "pia", "--password-stdin"], { input: "pia-first-password\n" });
    await zs.ok(["user", "password", "pia", "--password-stdin"], { input: "pia-second-password\n" });
    // Pia logs in with the new password through a second client home, then changes it herself.
    const login = await zs.run(["connect", await serverUrl(), "--username", "pia", "--password-stdin"], { input: "pia-second-password" });
    expect(login.code).toBe(0);
    const changed = await zs.run(["user", "password", "--password-stdin"], { input: "pia-third-password", env: { ZS_PASSWORD: "pia-second-password" } });
    expect(changed.stdout).toBe("Password changed; your other sessions are logged out.\n");
    const wrong = await zs.run(["user", "password", "--password-stdin"], { input: "pia-fourth-password", env: { ZS_PASSWORD: "not-pias-password" } });
    expectError(wrong, "The current password is wrong.");
    for (const result of [changed, wrong]) expect(result.stderr + result.stdout).not.toMatch(/pia-(second|third|fourth)-password/);
  });

  it("user password without a terminal and without --password-stdin: usage error saying which flag", async () => {
    expectUsageError(await zs.run(["user", "password", "someone"]), "--password-stdin");
    expectUsageError(await zs.run(["user", "password"], { env: { ZS_PASSWORD: "" } }), "ZS_PASSWORD");
  });

  /** The URL of the harness's server, as `zs status` shows it. */
  async function serverUrl(): Promise<string> {
    return (await zs.json<{ server: string }>(["status"])).server;
  }
});
