import { describe, expect, it } from "@jest/globals";
import { secretNameFor } from "../src/index.js";

describe("secretNameFor: external names become secret names", () => {
  it.each([
    ["db", "", "db"],
    ["prod/db/password", "", "prod_db_password"],
    ["/prod/db/", "", "prod_db"],
    ["app.config", "", "app_config"],
    ["user@corp+x=y:z w", "", "user_corp_x_y_z_w"],
    ["rds!cluster-1", "", "rds_cluster-1"],
    ["prod/db", "prod/", "db"],
    ["prod/api/key", "prod", "api_key"],
    ["Mixed_Case-9", "", "Mixed_Case-9"],
  ])("'%s' with prefix '%s' becomes '%s'", (external, prefix, name) => {
    expect(secretNameFor(external, prefix)).toEqual({ name });
  });

  it("a name with a non-ASCII letter or a control character has no stand-in: a problem naming the code points", () => {
    expect(secretNameFor("café/db")).toEqual({ problem: expect.stringContaining("U+00E9") });
    expect(secretNameFor("a\u001bb")).toEqual({ problem: expect.stringContaining("U+001B") });
    expect(secretNameFor("日本")).toEqual({ problem: expect.stringMatching(/no stand-in: U\+65E5, U\+672C$/) });
  });

  it("nothing left once the prefix and slashes are off, over 255 characters, or a UUID: a problem", () => {
    expect(secretNameFor("prod/", "prod/")).toEqual({ problem: expect.stringContaining("nothing is left") });
    expect(secretNameFor("///")).toEqual({ problem: expect.stringContaining("nothing is left") });
    expect(secretNameFor("x".repeat(256))).toEqual({ problem: expect.stringContaining("longer than 255 characters") });
    expect(secretNameFor(`p/${"x".repeat(253)}`)).toEqual({ name: `p_${"x".repeat(253)}` });
    expect(secretNameFor("3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b")).toEqual({ problem: expect.stringContaining("is a UUID") });
  });
});
