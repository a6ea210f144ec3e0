import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { ZsError, type SecretValues } from "@zs/core";
import { looksLikeDotenv, parseEnv } from "./env-format.js";
import { UsageError } from "./usage-error.js";

/** Reads `@path` (`~` expanded); a missing or unreadable file is an error naming the path. */
async function readValueFile(reference: string): Promise<string> {
  const given = reference.slice(1);
  const file = given === "~" || given.startsWith("~/") ? path.join(os.homedir(), given.slice(1)) : given;
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : "cannot be read";
    throw new ZsError("VALIDATION_ERROR", `Cannot read '${given}': ${reason}.`);
  }
}

/** A value as given: `@file` is the file's contents, `@@x` the literal `@x`, anything else itself. */
export async function resolveValue(value: string): Promise<string> {
  if (value.startsWith("@@")) return value.slice(1);
  if (value.startsWith("@")) return readValueFile(value);
  return value;
}

/**
 * `--KEY=VALUE` arguments → values. The value is everything after the first `=`, byte for
 * byte; keys are checked by core (`VALIDATION_ERROR`), the form here (`UsageError`).
 */
export async function valuesFromArguments(args: readonly string[]): Promise<SecretValues> {
  const entries = new Map<string, string>();
  for (const arg of args) {
    const equals = arg.indexOf("=");
    if (!arg.startsWith("--") || equals < 0) {
      // Only the part before any `=` is shown: the rest may be a secret value.
      throw new UsageError(`Unexpected argument '${arg.split("=")[0]!.slice(0, 60)}': give values as --KEY=VALUE.`);
    }
    const key = arg.slice(2, equals);
    if (entries.has(key)) throw new UsageError(`Key '${key}' is given twice.`);
    entries.set(key, await resolveValue(arg.slice(equals + 1)));
  }
  // fromEntries keeps every key as data, `__proto__` included, for core to judge.
  return Object.fromEntries(entries);
}

/**
 * `--values DATA`: a JSON object, a YAML mapping or dotenv lines, inline or `@file`. Every
 * value must be a string; YAML scalars are read as text, so `1.10` stays `1.10`.
 */
export async function valuesFromData(data: string): Promise<SecretValues> {
  const text = data.startsWith("@") && !data.startsWith("@@") ? await readValueFile(data) : data.replace(/^@@/, "@");
  const trimmed = text.trim();
  let parsed: unknown;
  if (trimmed.startsWith("{")) {
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new UsageError("--values looks like JSON but does not parse as JSON.");
    }
  } else if (trimmed === "") {
    parsed = {};
  } else if (looksLikeDotenv(text)) {
    return parseEnv(text);
  } else {
    try {
      parsed = parseYaml(text, { schema: "failsafe" }) ?? {};
    } catch {
      throw new UsageError("--values is neither JSON, YAML nor dotenv lines.");
    }
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new UsageError("--values must be a mapping of keys to values.");
  }
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== "string") throw new ZsError("VALIDATION_ERROR", `The value of key '${key}' in --values must be a string.`);
  }
  return Object.fromEntries(Object.entries(parsed)) as SecretValues;
}
