import { pino, type DestinationStream, type Logger } from "pino";
import type { LogLevel } from "@zs/core";

/**
 * Fields that could carry a secret are censored wherever they appear in a log object, as a
 * second line of defence: the server never logs bodies, values or tokens in the first place.
 */
const REDACTED_PATHS = [
  "password",
  "token",
  "key",
  "values",
  "authorization",
  "access_token",
  "*.password",
  "*.token",
  "*.key",
  "*.values",
  "*.authorization",
  "*.access_token",
  "headers.authorization",
  "*.headers.authorization",
];

/** The server's structured JSON logger: stderr by default (stores.md), one object per line. */
export function createLogger(level: LogLevel, destination: DestinationStream = pino.destination({ fd: 2, sync: false })): Logger {
  return pino(
    {
      level,
      base: { service: "zs-server" },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    },
    destination,
  );
}
