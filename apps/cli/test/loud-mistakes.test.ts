import { describe, expect, it } from "@jest/globals";
import { HARNESS_FACTORIES, expectError, localHarness, remoteHarness, uniqueName, useZsHarness } from "./support/zs-process.js";

describe.each(HARNESS_FACTORIES)("an unknown workspace is WORKSPACE_NOT_FOUND, never an empty list ($mode)", (factory) => {
  const zs = useZsHarness(factory);

  it("secret list --workspace, ZS_WORKSPACE and the saved workspace: exit 1 naming it", async () => {
    expectError(await zs.run(["secret", "list", "--workspace", "no-such-ws"]), "No workspace named 'no-such-ws'.");
    expectError(await zs.run(["secret", "list"], { env: { ZS_WORKSPACE: "no-such-ws" } }), "No workspace named 'no-such-ws'.");
    expectError(await zs.run(["secret", "list", "-o", "json"], { env: { ZS_WORKSPACE: "no-such-ws" } }), "No workspace named 'no-such-ws'.");
  });

  it("secret get, get -k, create and update in an unknown workspace: exit 1 naming the workspace, not the secret; nothing written", async () => {
    const name = uniqueName();
    await zs.addSecret(name, { k: "v" });
    const unknown = { env: { ZS_WORKSPACE: "no-such-ws" } };
    expectError(await zs.run(["secret", "get", name, "--workspace", "no-such-ws"]), "No workspace named 'no-such-ws'.");
    expectError(await zs.run(["secret", "get", name, "-k", "k"], unknown), "No workspace named 'no-such-ws'.");
    expectError(await zs.run(["secret", "create", uniqueName(), "--k=v"], unknown), "No workspace named 'no-such-ws'.");
    expectError(await zs.run(["secret", "update", name, "--k=changed"], unknown), "No workspace named 'no-such-ws'.");
    expect(await zs.values(name)).toEqual({ k: "v" });
  });

  it("component list and stack list in an unknown workspace: exit 1 naming it", async () => {
    expectError(await zs.run(["component", "list", "--workspace", "no-such-ws"]), "No workspace named 'no-such-ws'.");
    expectError(await zs.run(["stack", "list"], { env: { ZS_WORKSPACE: "no-such-ws" } }), "No workspace named 'no-such-ws'.");
  });

  it("an existing but empty workspace, and a filter that matches no workspace, still list nothing with exit 0", async () => {
    const workspace = uniqueName("ws");
    await zs.ok(["workspace", "create", workspace]);
    expect(await zs.run(["secret", "list", "--workspace", workspace])).toEqual({ code: 0, stdout: "No secrets found.\n", stderr: "" });
    expect(await zs.run(["component", "list", "--workspace", workspace])).toEqual({ code: 0, stdout: "No components found.\n", stderr: "" });
    expect((await zs.ok(["secret", "list", "--workspace", "contains:no-such-ws"])).stdout).toBe("No secrets found.\n");
  });
});

describe("a saved active workspace deleted since (by another client) is WORKSPACE_NOT_FOUND", () => {
  const zs = useZsHarness(localHarness);

  it("get, list and create: exit 1 naming it; the workspace is not created again", async () => {
    const workspace = uniqueName("ws");
    await zs.ok(["workspace", "create", workspace]);
    await zs.ok(["workspace", "set", workspace]);
    // Another settings directory on the same store: its active workspace stays 'default'.
    await zs.ok(["workspace", "delete", workspace, "-y"], { env: { XDG_CONFIG_HOME: `${zs.workDir}/other-config` } });
    for (const args of [["secret", "get", "anything"], ["secret", "list"], ["secret", "create", uniqueName(), "--k=v"]]) {
      expectError(await zs.run(args), `No workspace named '${workspace}'.`);
    }
    expect((await zs.ok(["workspace", "list", "-o", "json"])).stdout).not.toContain(workspace);
  });
});

describe("ZS_API_KEY without ZS_URL is an error naming ZS_URL", () => {
  const zs = useZsHarness(localHarness);

  it("with no saved connection: exit 1 naming ZS_URL, never the key, and nothing done locally", async () => {
    const name = uniqueName();
    const result = await zs.run(["secret", "create", name, "--k=v"], { env: { ZS_API_KEY: "zs_s3cret-key" } });
    expectError(result, "ZS_API_KEY is set but ZS_URL is not; set ZS_URL to the server the key belongs to (or unset ZS_API_KEY).");
    expect(result.stderr).not.toContain("s3cret");
    expect((await zs.run(["secret", "list"], { env: { ZS_API_KEY: "zs_s3cret-key" } })).code).toBe(1);
    expect((await zs.ok(["secret", "list"])).stdout).toBe("No secrets found.\n");
  });

  it("an empty ZS_API_KEY counts as unset: local mode as usual", async () => {
    expect((await zs.ok(["secret", "list"], { env: { ZS_API_KEY: "" } })).stdout).toBe("No secrets found.\n");
  });
});

describe("ZS_API_KEY without ZS_URL, with a saved connection", () => {
  const zs = useZsHarness(remoteHarness);

  it("is an error too: the key is never sent to the saved server in place of its session", async () => {
    const result = await zs.run(["secret", "list"], { env: { ZS_API_KEY: "zs_s3cret-key" } });
    expectError(result, "ZS_API_KEY is set but ZS_URL is not; set ZS_URL to the server the key belongs to (or unset ZS_API_KEY).");
    expect((await zs.ok(["secret", "list"])).code).toBe(0);
  });
});
