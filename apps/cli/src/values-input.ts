import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ZsError, type SecretValues } from "@zs/core";
import { looksLikeDotenv, parseEnv } from "./env-format.js";
import { readStdinValue } from "./stdin-value.js";
import { UsageError } from "./usage-error.js";

/** What `--NAME=VALUE` pairs set: a secret's keys, or a component's attributes. */
export type PairKind = "key" | "attribute";

/** How a pair is written in messages: `--KEY=VALUE` or `--ATTR=VALUE`. */
export function pairForm(kind: PairKind): string {
  return kind === "key" ? "--KEY=VALUE" : "--ATTR=VALUE";
}

/** Reads a text file (`~` expanded); a missing or unreadable file is an error naming the path. */
export async function readTextFile(given: string): Promise<string> {
  const file = given === "~" || given.startsWith("~/") ? path.join(os.homedir(), given.slice(1)) : given;
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : "cannot be read";
    throw new ZsError("VALIDATION_ERROR", `Cannot read '${given}': ${reason}.`);
  }
}

/** Reads `@path`: the file's contents. */
function readValueFile(reference: string): Promise<string> {
  return readTextFile(reference.slice(1));
}

/** A value as given: `@file` is the file's contents, `@@x` the literal `@x`, anything else itself. */
export async function resolveValue(value: string): Promise<string> {
  if (value.startsWith("@@")) return value.slice(1);
  if (value.startsWith("@")) return readValueFile(value);
  return value;
}

/**
 * `--KEY=VALUE` (or `--ATTR=VALUE`) arguments → values. The value is everything after the
 * first `=`, byte for byte (`@file`: the file's contents, `@-`: standard input's); names are
 * checked by core (`VALIDATION_ERROR`), the form here (`UsageError`).
 */
export async function valuesFromArguments(args: readonly string[], kind: PairKind = "key"): Promise<SecretValues> {
  const entries = new Map<string, string>();
  for (const arg of args) {
    const equals = arg.indexOf("=");
    if (!arg.startsWith("--") || equals < 0) {
      // Only the part before any `=` is shown: the rest may be a secret value.
      throw new UsageError(`Unexpected argument '${arg.split("=")[0]!.slice(0, 60)}': give values as ${pairForm(kind)}.`);
    }
    const key = arg.slice(2, equals);
    if (entries.has(key)) throw new UsageError(`${kind === "key" ? "Key" : "Attribute"} '${key}' is given twice.`);
    const value = arg.slice(equals + 1);
    entries.set(key, value === "@-" ? await readStdinValue(`--${key}`) : await resolveValue(value));
  }
  // fromEntries keeps every key as data, `__proto__` included, for core to judge.
  return Object.fromEntries(entries);
}

/**
 * `--values DATA`: a JSON object, a YAML mapping or dotenv lines, inline, `@file` or `@-`
 * (standard input). Every value must be a string; YAML scalars are read as text, so `1.10`
 * stays `1.10`.
 */
export async function valuesFromData(data: string): Promise<SecretValues> {
  const text =
    data === "@-" ? await readStdinValue("--values") : data.startsWith("@") && !data.startsWith("@@") ? await readValueFile(data) : data.replace(/^@@/, "@");
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
      const { parseYamlAsText } = await import("./yaml-format.js");
      parsed = parseYamlAsText(text) ?? {};
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
