import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

const KEY_LENGTH = 32;

/** scrypt's cost parameters. */
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/** OWASP's minimum for scrypt (N=2^17, r=8, p=1): about 128 MiB and, on this kind of machine, 0.8 s per hash. */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };

/** The largest cost a stored hash may name: a damaged or hostile row must not make a login allocate gigabytes. */
const MAX_N = 2 ** 22;
const MAX_R = 32;
const MAX_P = 16;

/** scrypt needs 128·N·r·p bytes (and a little more); `maxmem` is sized from the cost, so any valid stored cost verifies. */
function memoryFor(cost: ScryptCost): number {
  return 128 * cost.N * cost.r * cost.p + 16 * 1024 * 1024;
}

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFC"), salt, KEY_LENGTH, { ...cost, maxmem: memoryFor(cost) }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** `scrypt$N$r$p$<salt b64>$<hash b64>`: the cost is stored with each hash, so it can rise later. */
export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return ["scrypt", cost.N, cost.r, cost.p, salt.toString("base64"), key.toString("base64")].join("$");
}

/** A stored hash taken apart; `undefined` when it is not one this server can verify. */
function parseHash(stored: string): { cost: ScryptCost; salt: Buffer; hash: Buffer } | undefined {
  const parts = stored.split("$");
  const [scheme, n, r, p, salt, hash] = parts;
  if (parts.length !== 6 || scheme !== "scrypt" || !salt || !hash) return undefined;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  const powerOfTwo = Number.isInteger(cost.N) && cost.N >= 2 && (cost.N & (cost.N - 1)) === 0;
  if (!powerOfTwo || cost.N > MAX_N || !Number.isInteger(cost.r) || cost.r < 1 || cost.r > MAX_R || !Number.isInteger(cost.p) || cost.p < 1 || cost.p > MAX_P) {
    return undefined;
  }
  return { cost, salt: Buffer.from(salt, "base64"), hash: Buffer.from(hash, "base64") };
}

/** What checking a password found: whether it matched, and whether its stored hash is below `cost` and should be redone. */
export interface PasswordCheck {
  matches: boolean;
  outdated: boolean;
}

/**
 * Checks `password` against `stored`. A missing or malformed hash never matches, but costs as
 * much as a real one (a dummy hash of `cost` is checked), so timing tells nothing about
 * whether the user exists.
 */
export async function checkPassword(password: string, stored: string | null | undefined, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<PasswordCheck> {
  const parsed = stored ? parseHash(stored) : undefined;
  if (!parsed) {
    await derive(password, Buffer.alloc(16), cost);
    return { matches: false, outdated: false };
  }
  const actual = await derive(password, parsed.salt, parsed.cost);
  const matches = actual.length === parsed.hash.length && timingSafeEqual(actual, parsed.hash);
  const outdated = parsed.cost.N < cost.N || parsed.cost.r < cost.r || parsed.cost.p < cost.p;
  return { matches, outdated };
}

/** A password for an admin when none is configured: 144 random bits, URL-safe. */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}
