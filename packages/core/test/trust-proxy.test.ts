import { describe, expect, it } from "@jest/globals";
import { parseTrustProxy, readConfig, ZsError } from "../src/index.js";

const DATA_DIR = "/tmp/zs-trust-proxy-test";
const trustProxyOf = (value: string) => readConfig({ env: { ZS_TRUST_PROXY: value }, defaultDataDir: DATA_DIR }).trustProxy;

describe("ZS_TRUST_PROXY (operations.md)", () => {
  it("is off by default: no proxy is trusted", () => {
    expect(readConfig({ env: {}, defaultDataDir: DATA_DIR }).trustProxy).toBe(false);
  });

  it.each([
    ["false", false],
    ["FALSE", false],
    ["0", false],
    ["true", true],
    ["True", true],
    ["1", 1],
    ["2", 2],
    ["100", 100],
    ["127.0.0.1", ["127.0.0.1"]],
    ["loopback", ["loopback"]],
    ["Loopback, 10.0.0.0/8 ,fd00::/8,::1", ["loopback", "10.0.0.0/8", "fd00::/8", "::1"]],
    ["uniquelocal,linklocal", ["uniquelocal", "linklocal"]],
    ["0.0.0.0/0", ["0.0.0.0/0"]],
    ["2001:db8::/128", ["2001:db8::/128"]],
  ])("'%s' means %j, as express's trust proxy setting takes it", (value, expected) => {
    expect(trustProxyOf(value)).toEqual(expected);
  });

  it("a config file's boolean or number is read like the variable", () => {
    expect(readConfig({ env: {}, file: { trust_proxy: true }, defaultDataDir: DATA_DIR }).trustProxy).toBe(true);
    expect(readConfig({ env: {}, file: { trust_proxy: 1 }, defaultDataDir: DATA_DIR }).trustProxy).toBe(1);
  });

  it.each(["yes", "on", "-1", "101", "1.5", "10.0.0.256", "10.0.0.0/33", "fd00::/129", "10.0.0.0/8/1", "10.0.0.0/", "10.0.0.1,,10.0.0.2", "proxy.example.com", "10.0.0.0/255.0.0.0", "localhost"])(
    "'%s' is refused at start with CONFIGURATION_ERROR naming the setting and its forms",
    (value) => {
      expect(parseTrustProxy(value)).toBeUndefined();
      let error: unknown;
      try {
        trustProxyOf(value);
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(ZsError);
      expect(error).toMatchObject({ code: "CONFIGURATION_ERROR" });
      const message = (error as ZsError).message;
      expect(message).toContain("ZS_TRUST_PROXY must be false (the default: X-Forwarded-For is ignored), true (trust every proxy), a number of proxy hops");
      expect(message).toContain(`not '${value}'`);
    },
  );
});
