/** Fixtures and checks shared by the service suite's topics. */
import { randomUUID } from "node:crypto";
import {
  type SecretMetadata,
  type SecretValues,
} from "@zs/core";

export const ISO_WITH_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const METADATA_FIELDS = ["created", "id", "keys", "name", "scope", "updated", "user", "version", "workspace"];
export const SORT_FIELDS = ["name", "created", "updated", "scope"] as const;
export type SortField = (typeof SORT_FIELDS)[number];

/** A short random token for names and values: `[0-9a-f]{10}`. */
export function token(): string {
  return randomUUID().replace(/-/g, "").slice(0, 10);
}

/** A values map whose keys plus values are exactly `bytes` UTF-8 bytes (one key, `payload`). */
export function valuesOfBytes(bytes: number): SecretValues {
  return { payload: "x".repeat(bytes - "payload".length) };
}

/** `count` keys `k0`…, each with a one-byte value. */
export function valuesWithKeys(count: number): SecretValues {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, "v"]));
}

/** The `YYYY-MM-DD HH:MM:SS` (UTC) form of an ISO-8601 timestamp. */
export function spaced(iso: string): string {
  return iso.slice(0, 19).replace("T", " ");
}

/** The ISO-8601 timestamp `ms` milliseconds after `iso`. */
export function shifted(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

/** Waits until the wall clock has entered a new second, so the next write gets a later `HH:MM:SS`. */
export async function nextSecond(): Promise<void> {
  const start = Math.floor(Date.now() / 1000);
  await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 15));
  while (Math.floor(Date.now() / 1000) === start) await new Promise((resolve) => setTimeout(resolve, 5));
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * What is wrong with the order of `items` for `direction:field`: out-of-order neighbours, or
 * ties whose ids are not in one consistent order (model.md: ties broken by id).
 */
export function sortProblems(items: SecretMetadata[], field: SortField, direction: "asc" | "desc"): string[] {
  const sign = direction === "asc" ? 1 : -1;
  const problems: string[] = [];
  let tieOrder = 0;
  for (let i = 1; i < items.length; i++) {
    const previous = items[i - 1]!;
    const current = items[i]!;
    const byField = compareText(previous[field], current[field]) * sign;
    if (byField > 0) problems.push(`'${previous.name}' (${previous[field]}) before '${current.name}' (${current[field]})`);
    if (byField !== 0) continue;
    const byId = compareText(previous.id, current.id);
    if (byId === 0) problems.push(`id ${current.id} listed twice`);
    else if (tieOrder === 0) tieOrder = byId;
    else if (byId !== tieOrder) problems.push(`ties on ${field} at '${current.name}' are not ordered by id`);
  }
  return problems;
}
