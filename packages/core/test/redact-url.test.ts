import { describe, expect, it } from "@jest/globals";
import { redactUrl, redactUrlIn } from "../src/index.js";

describe("redactUrl shows a configured URL without its user-info", () => {
  it.each([
    ["postgres://zs:hunter2-pw@db.internal:5432/zs", "postgres://db.internal:5432/zs"],
    ["postgresql://zs@db/zs?sslmode=require", "postgresql://db/zs?sslmode=require"],
    ["http://user:pass-word@vault.internal:8200", "http://vault.internal:8200"],
    ["https://user:p%40ss@vault:8200/", "https://vault:8200/"],
    // An '@' typed unencoded in a password: the authority's last '@' ends the user-info.
    ["postgres://zs:p@ss@db:5432/zs", "postgres://db:5432/zs"],
    // A '/' or '#' typed unencoded in a password makes the URL unparseable: cut at the last '@'.
    ["postgres://zs:pa/ss@db/zs", "postgres://db/zs"],
    ["postgres://zs:pa#ss@db/zs", "postgres://db/zs"],
  ])("%s → %s", (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });

  it.each(["http://127.0.0.1:8237", "https://[::1]:8200/v1", "sqlite:/var/lib/zs/zs.db", "sqlite::memory:", "http://host/path@segment", "not a url"])(
    "%s, which has no user-info, is shown as it is",
    (url) => {
      expect(redactUrl(url)).toBe(url);
    },
  );
});

describe("redactUrlIn", () => {
  it("removes the URL's user-info and its password, raw or decoded, from a driver's message, and any other URL's user-info", () => {
    const url = "postgres://zs:s3cr%2Ft-pw@db:5432/zs";
    const text = `connect to ${url} failed; password s3cr/t-pw or s3cr%2Ft-pw rejected; see http://admin:other-pw@proxy:3128`;
    const redacted = redactUrlIn(text, url);
    expect(redacted).toBe("connect to postgres://db:5432/zs failed; password *** or *** rejected; see http://proxy:3128");
  });
});
