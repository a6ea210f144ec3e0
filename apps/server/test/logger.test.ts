import { describe, expect, it } from "@jest/globals";
import { Writable } from "node:stream";
import { createLogger, requestLogger } from "../src/logger.js";

function capturingLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  return { logger: createLogger("info", destination), lines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe("the server's logger", () => {
  it("censors fields named like credentials, at the top level and one level down", () => {
    const { logger, lines } = capturingLogger();
    logger.info({ password: "log-fixture-pw-1", err: { token: "log-fixture-token-1" }, headers: { authorization: "Bearer log-fixture-2" }, user: "erin" }, "x");
    const [line] = lines();
    expect(line).toMatchObject({ password: "[redacted]", err: { token: "[redacted]" }, headers: { authorization: "[redacted]" }, user: "erin" });
    expect(JSON.stringify(lines())).not.toMatch(/log-fixture/);
  });

  it("the request logger writes flat lines to the same place and still censors credential names at the top level", () => {
    const { logger, lines } = capturingLogger();
    requestLogger(logger).info({ method: "GET", route: "/api/v1/secrets/:nameOrId", status: 200, user: "erin", token: "log-fixture-token-3" }, "request");
    expect(lines()).toEqual([
      expect.objectContaining({ service: "zs-server", method: "GET", route: "/api/v1/secrets/:nameOrId", status: 200, user: "erin", token: "[redacted]", msg: "request" }),
    ]);
  });
});
