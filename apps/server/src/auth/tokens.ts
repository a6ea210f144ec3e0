import { hash, randomBytes, timingSafeEqual } from "node:crypto";
import type { CredentialKind } from "@zs/core";

/** Prefixes that make a leaked token recognisable to secret scanners. */
const PREFIX: Record<CredentialKind, string> = { session: "zss_", api_key: "zsk_" };
const TOKEN_PATTERN = /^zs[sk]_[A-Za-z0-9_-]{43}$/;

/** A new random token (32 bytes) of that kind. */
export function generateToken(kind: CredentialKind): string {
  return PREFIX[kind] + randomBytes(32).toString("base64url");
}

/** What is stored instead of the token: its SHA-256, hex (one-shot `hash`: a third of `createHash`'s cost, on every request). */
export function hashToken(token: string): string {
  return hash("sha256", token, "hex");
}

/** True when `token` has the shape of a zs token (checked before any database work). */
export function looksLikeToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

/** Compares two token hashes in constant time. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && timingSafeEqual(left, right);
}
