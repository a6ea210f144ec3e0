import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Client, isZsError } from "../src/index.js";

let root: string;
const envFor = (name: string, extra: Record<string, string> = {}) => ({
  ZS_HOME: path.join(root, name, "home"),
  XDG_CONFIG_HOME: path.join(root, name, "config"),
  ...extra,
});
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);
const codeOf = async (promise: Promise<unknown>) => {
  const error = await failure(promise);
  return isZsError(error) ? error.code : error;
};

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "zs-client-components-"));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("Client components, stacks and references in local mode", () => {
  let client: Client;
  beforeAll(async () => {
    client = new Client({ env: envFor("local") });
    await client.createSecret("mlflow", { user: "ml", password: "ml-pw" });
  });
  afterAll(() => client.close());

  it("registerComponent stores references verbatim; getComponent shows them, or resolves them when asked", async () => {
    const configuration = { tracking_uri: "https://{{mlflow.user}}@ml", tracking_password: "{{mlflow.password}}" };
    const created = await client.registerComponent("tracker", { type: "experiment-tracker", flavor: "mlflow", configuration });
    expect(created).toMatchObject({ name: "tracker", workspace: "default", user: "default", configuration });
    expect((await client.getComponent("tracker")).configuration).toEqual(configuration);
    expect((await client.getComponent("tracker", { resolve: true })).configuration).toEqual({ tracking_uri: "https://ml@ml", tracking_password: "ml-pw" });
    expect((await client.listComponents()).map((c) => c.configuration)).toEqual([configuration]);
  });

  it("updateComponent merges; deleteComponent removes", async () => {
    await client.registerComponent("scratch", { type: "t", flavor: "f", configuration: { a: "1", b: "2" } });
    expect((await client.updateComponent("scratch", { configuration: { a: null, c: "3" } })).configuration).toEqual({ b: "2", c: "3" });
    await client.deleteComponent("scratch");
    expect(await codeOf(client.getComponent("scratch"))).toBe("NOT_FOUND");
  });

  it("a component name that is a reference is refused", async () => {
    expect(await codeOf(client.registerComponent("{{mlflow.user}}", { type: "t", flavor: "f" }))).toBe("VALIDATION_ERROR");
  });

  it("stacks: register, get, list, delete; a component in use cannot be deleted", async () => {
    const stack = await client.registerStack("prod", ["tracker"]);
    expect(stack).toMatchObject({ name: "prod", components: ["tracker"] });
    expect(await client.getStack("prod")).toEqual(stack);
    expect(await client.listStacks()).toEqual([stack]);
    expect(await codeOf(client.deleteComponent("tracker"))).toBe("COMPONENT_IN_USE");
    expect(await codeOf(client.registerStack("bad", ["ghost"]))).toBe("NOT_FOUND");
    await client.registerStack("temp", ["tracker"]);
    await client.deleteStack("temp");
    expect(await codeOf(client.getStack("temp"))).toBe("NOT_FOUND");
  });

  it("validateStack defaults to SECRET_AND_KEY_EXISTS and takes a level", async () => {
    await client.registerComponent("needs", { type: "t", flavor: "f", configuration: { token: "{{mlflow.token}}" } });
    await client.registerStack("needy", ["needs"]);
    expect(await client.validateStack("needy")).toEqual({
      level: "SECRET_AND_KEY_EXISTS",
      valid: false,
      missing: [{ component: "needs", attribute: "token", secret: "mlflow", key: "token", problem: "key_missing" }],
    });
    expect((await client.validateStack("needy", "SECRET_EXISTS")).valid).toBe(true);
    expect(await codeOf(client.validateStack("needy", "LOOSE"))).toBe("VALIDATION_ERROR");
  });

  it("resolve(text) resolves embedded references", async () => {
    expect(await client.resolve("postgres://{{mlflow.user}}:{{mlflow.password}}@h \\{{x.y}}")).toBe("postgres://ml:ml-pw@h {{x.y}}");
  });

  it("resolveTexts resolves several texts in one resolution, in order; a missing key names the text it sits in", async () => {
    expect(await client.resolveTexts(["{{mlflow.user}}", "a \\{{x.y}}", "{{ mlflow.password }}:{{mlflow.user}}"])).toEqual(["ml", "a {{x.y}}", "ml-pw:ml"]);
    const error = await failure(client.resolveTexts(["{{mlflow.user}}", "{{mlflow.nokey}}"]));
    expect(isZsError(error) && [error.code, error.message]).toEqual(["SECRET_KEY_NOT_FOUND", expect.stringContaining("wanted by text 2")]);
  });

  it("runEnvironment gives zs run's variables, and refuses before reading when references are missing", async () => {
    expect(await client.runEnvironment({ stack: "prod", secrets: ["mlflow"], env: { URL: "{{mlflow.user}}@h" } })).toEqual({
      TRACKER_TRACKING_URI: "https://ml@ml",
      TRACKER_TRACKING_PASSWORD: "ml-pw",
      USER: "ml",
      PASSWORD: "ml-pw",
      URL: "ml@h",
    });
    const error = await failure(client.runEnvironment({ stack: "needy" }));
    expect(isZsError(error) && error.code).toBe("SECRET_KEY_NOT_FOUND");
    expect(isZsError(error) && error.message).toContain("zs stack register-secrets needy");
    expect(await client.runEnvironment({ stack: "needy" }, "SECRET_EXISTS").catch((e: unknown) => isZsError(e) && e.message)).toContain(
      "its keys are: password, user",
    );
  });

  it("a second client on the same home sees the same components and stacks", async () => {
    const other = new Client({ env: envFor("local") });
    try {
      expect((await other.listStacks()).map((s) => s.name)).toEqual(["needy", "prod"]);
    } finally {
      await other.close();
    }
  });
});

describe("Client validation level from ZS_SECRET_VALIDATION_LEVEL", () => {
  it("is the default of validateStack and runEnvironment", async () => {
    const client = new Client({ env: envFor("level", { ZS_SECRET_VALIDATION_LEVEL: "SECRET_EXISTS" }) });
    try {
      await client.createSecret("s", { other: "v" });
      await client.registerComponent("c", { type: "t", flavor: "f", configuration: { a: "{{s.k}}" } });
      await client.registerStack("st", ["c"]);
      expect(await client.validateStack("st")).toEqual({ level: "SECRET_EXISTS", valid: true, missing: [] });
      expect((await client.validateStack("st", "SECRET_AND_KEY_EXISTS")).valid).toBe(false);
      // Past validation at SECRET_EXISTS, the resolution itself finds the key missing.
      expect(await failure(client.runEnvironment({ stack: "st" }))).toMatchObject({ code: "SECRET_KEY_NOT_FOUND", message: expect.stringContaining("its keys are: other") });
      expect(await failure(client.runEnvironment({ stack: "st" }, "SECRET_AND_KEY_EXISTS"))).toMatchObject({ message: expect.stringContaining("Missing references") });
    } finally {
      await client.close();
    }
  });

  it("an invalid value is a CONFIGURATION_ERROR naming the three allowed", async () => {
    const client = new Client({ env: envFor("bad-level", { ZS_SECRET_VALIDATION_LEVEL: "ALL" }) });
    try {
      const error = await failure(client.listStacks());
      expect(isZsError(error) && error.code).toBe("CONFIGURATION_ERROR");
      expect(isZsError(error) && error.message).toContain("NONE, SECRET_EXISTS, SECRET_AND_KEY_EXISTS");
    } finally {
      await client.close();
    }
  });
});
