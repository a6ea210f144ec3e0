import { isIP } from "node:net";

/**
 * `ZS_TRUST_PROXY` (operations.md), in the form express's `trust proxy` setting takes: `false`
 * trusts no proxy (the client address is the connection's peer, `X-Forwarded-For` ignored);
 * `true` trusts every hop (the left-most `X-Forwarded-For` entry is the client); a number
 * trusts that many hops in front of the server; a list trusts the proxies at those addresses,
 * subnets or named ranges (`loopback`, `linklocal`, `uniquelocal`).
 */
export type TrustProxy = boolean | number | string[];

const NAMED_RANGES = ["loopback", "linklocal", "uniquelocal"];
/** More hops than any real chain of proxies: a typo, not a setting. */
const MAX_HOPS = 100;

/** The forms `ZS_TRUST_PROXY` takes, for error messages and docs. */
export const TRUST_PROXY_FORMS =
  "false (the default: X-Forwarded-For is ignored), true (trust every proxy), a number of proxy hops (1-100), " +
  "or a comma-separated list of proxy addresses, CIDR subnets (10.0.0.0/8, fd00::/8) and loopback, linklocal, uniquelocal";

/** Parses `ZS_TRUST_PROXY`; `undefined` when `text` is none of its forms. */
export function parseTrustProxy(text: string): TrustProxy | undefined {
  const value = text.trim();
  const lower = value.toLowerCase();
  if (lower === "false") return false;
  if (lower === "true") return true;
  if (/^\d{1,3}$/.test(value)) {
    const hops = Number(value);
    if (hops > MAX_HOPS) return undefined;
    return hops === 0 ? false : hops;
  }
  const entries = value.split(",").map((entry) => entry.trim());
  return entries.every(isTrustedProxyEntry) ? entries.map((entry) => (NAMED_RANGES.includes(entry.toLowerCase()) ? entry.toLowerCase() : entry)) : undefined;
}

function isTrustedProxyEntry(entry: string): boolean {
  if (NAMED_RANGES.includes(entry.toLowerCase())) return true;
  const [address = "", prefix, ...rest] = entry.split("/");
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}
