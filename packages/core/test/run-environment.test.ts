import { describe, expect, it } from "@jest/globals";
import {
  ZS_CREDENTIAL_VARIABLES,
  buildRunEnvironment,
  childEnvironment,
  environmentVariableName,
  isZsCredentialVariable,
  parseEnvAssignments,
  type RunEnvironmentSources,
} from "../src/index.js";
import { thrown } from "./support/thrown.js";

describe("environmentVariableName", () => {
  it.each([
    [["my-tracker", "tracking_uri"], "MY_TRACKER_TRACKING_URI"],
    [["db.password"], "DB_PASSWORD"],
    [["api-key"], "API_KEY"],
    [["s3", "aws.key-id"], "S3_AWS_KEY_ID"],
    [["Already_UPPER"], "ALREADY_UPPER"],
  ])("%j becomes %s (upper-cased, non-alphanumerics to _)", (parts, expected) => {
    expect(environmentVariableName(...parts)).toBe(expected);
  });
});

describe("buildRunEnvironment", () => {
  const sources: RunEnvironmentSources = {
    components: [
      { name: "tracker", configuration: { uri: "https://ml", "tracking.password": "pw" } },
      { name: "store", configuration: { path: "s3://b" } },
    ],
    secrets: [{ name: "db", values: { "db.user": "app", password: "db-pw" } }],
    env: { DATABASE_URL: "postgres://app:db-pw@h" },
  };

  it("adds <COMPONENT>_<ATTRIBUTE>, each secret key as <KEY>, and each --env variable", () => {
    expect(buildRunEnvironment(sources)).toEqual({
      TRACKER_URI: "https://ml",
      TRACKER_TRACKING_PASSWORD: "pw",
      STORE_PATH: "s3://b",
      DB_USER: "app",
      PASSWORD: "db-pw",
      DATABASE_URL: "postgres://app:db-pw@h",
    });
  });

  it("an --env variable overrides a derived one of the same name", () => {
    expect(buildRunEnvironment({ ...sources, env: { PASSWORD: "explicit" } }).PASSWORD).toBe("explicit");
  });

  it("two derived variables of the same name are a VALIDATION_ERROR naming both sources, without their values", () => {
    const error = thrown(() =>
      buildRunEnvironment({ components: [{ name: "a-b", configuration: { c: "v1" } }, { name: "a", configuration: { b_c: "v2" } }], secrets: [], env: {} }),
    );
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.message).toBe("component 'a-b' attribute 'c' and component 'a' attribute 'b_c' would both set A_B_C; leave one out, or set A_B_C with --env.");
  });

  it("an --env variable settles a clash of two derived ones, as the clash's message says", () => {
    const clashing: Omit<RunEnvironmentSources, "env"> = { components: [{ name: "a-b", configuration: { c: "v1" } }, { name: "a", configuration: { b_c: "v2" } }], secrets: [] };
    expect(buildRunEnvironment({ ...clashing, env: { A_B_C: "chosen" } })).toEqual({ A_B_C: "chosen" });
  });

  it("nothing in, nothing out", () => {
    expect(buildRunEnvironment({ components: [], secrets: [], env: {} })).toEqual({});
  });
});

describe("parseEnvAssignments", () => {
  it("splits each VAR=TEMPLATE on the first '='", () => {
    expect(parseEnvAssignments(["URL=postgres://{{db.user}}@h?a=b", "EMPTY=", "_x1={{s.k}}"])).toEqual({
      URL: "postgres://{{db.user}}@h?a=b",
      EMPTY: "",
      _x1: "{{s.k}}",
    });
  });

  it("an assignment without '=' is refused without echoing it (it may be a value)", () => {
    const error = thrown(() => parseEnvAssignments(["s3cr3t-value"]));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.message).not.toContain("s3cr3t");
  });

  it.each(["1X=v", "A-B=v", "=v", "__proto__=v", "A B=v"])("%j has a bad variable name", (assignment) => {
    const error = thrown(() => parseEnvAssignments([assignment]));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.message).not.toContain("=v");
  });

  it("a variable given twice is refused", () => {
    expect(thrown(() => parseEnvAssignments(["A=1", "A=2"])).message).toBe("--env A is given more than once.");
  });
});

describe("childEnvironment", () => {
  const credentials = {
    ZS_URL: "http://127.0.0.1:8237",
    ZS_API_KEY: "fixture-api-key",
    ZS_PASSWORD: "fixture-password",
    ZS_ENCRYPTION_KEY: "fixture-key",
    ZS_ENCRYPTION_KEYS: "a:fixture-key",
    ZS_ADMIN_PASSWORD: "fixture-admin-password",
    ZS_DATABASE_URL: "postgres://zs:fixture-db-password@db/zs",
    ZS_SECRETS_STORE_VAULT_TOKEN: "fixture-vault-token",
    ZS_SECRETS_STORE_TYPE: "vault",
  };
  const inherited = { PATH: "/usr/bin", HOME: "/home/u", ZS_WORKSPACE: "team", ZS_HOME: "/home/u/.zs", ...credentials };

  it("the child gets zs's environment without zs's credentials, plus the added variables", () => {
    expect(childEnvironment(inherited, { PASSWORD: "injected" })).toEqual({ PATH: "/usr/bin", HOME: "/home/u", ZS_WORKSPACE: "team", ZS_HOME: "/home/u/.zs", PASSWORD: "injected" });
  });

  it("passZsCredentials keeps zs's credentials", () => {
    expect(childEnvironment(inherited, { PASSWORD: "injected" }, { passZsCredentials: true })).toEqual({ ...inherited, PASSWORD: "injected" });
  });

  it("a variable the run adds is set even when it has a credential's name: it is a value asked for, not zs's own", () => {
    expect(childEnvironment(inherited, { ZS_API_KEY: "from-a-secret" }).ZS_API_KEY).toBe("from-a-secret");
  });

  it("every listed variable and every values-store option is a credential; other ZS_ settings are not", () => {
    for (const name of [...ZS_CREDENTIAL_VARIABLES, "ZS_SECRETS_STORE_VAULT_TOKEN", "ZS_SECRETS_STORE_SECRET_ACCESS_KEY"]) expect(isZsCredentialVariable(name)).toBe(true);
    for (const name of ["ZS_HOME", "ZS_WORKSPACE", "ZS_SECRET_VALIDATION_LEVEL", "ZS_DATA_DIR", "PATH", "zs_api_key"]) expect(isZsCredentialVariable(name)).toBe(false);
  });

  it("the inherited environment is not changed", () => {
    const before = { ...inherited };
    childEnvironment(inherited, { A: "b" });
    expect(inherited).toEqual(before);
  });
});
