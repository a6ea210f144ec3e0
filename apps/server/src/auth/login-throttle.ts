import { createHash } from "node:crypto";
import { isIPv6 } from "node:net";
import { ZsError, type LoginCounterRepository, type LoginCounterState } from "@zs/core";

/** When failed logins start to be delayed, and for how long (security.md "Login throttling"). */
export interface LoginThrottleLimits {
  /** Failures of one user name from one client address before its delays start. @default 10 */
  perUserAndAddress: number;
  /** Failures from one client address, whatever the user names, before its delays start. @default 100 */
  perAddress: number;
  /** A counter without a failure for this long starts again from zero. @default 15 minutes */
  windowMs: number;
  /** The delay after the failure that reaches a limit; it doubles with each further failure. @default 30 s */
  firstDelayMs: number;
  /** The longest delay. @default 15 minutes */
  maxDelayMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginThrottleLimits = {
  perUserAndAddress: 10,
  perAddress: 100,
  windowMs: 15 * 60 * 1000,
  firstDelayMs: 30 * 1000,
  maxDelayMs: 15 * 60 * 1000,
};

/** A login attempt let through: counted as failed until `forgive` says its password was right. */
export interface AdmittedLogin {
  forgive(): Promise<void>;
}

/**
 * Failed logins counted per (user name, client address) and per client address, in the
 * database, so every server instance on it counts together. An attempt is counted *before*
 * its password is checked, in one transaction with the check, so concurrent attempts cannot
 * slip past a limit; a right password then forgives it. A counter at its limit refuses
 * attempts for a delay that doubles with every further failure. Only the failing address is
 * delayed: a right password from any other address always gets through, so nobody can lock
 * another user out.
 */
export class LoginThrottle {
  constructor(
    private readonly counters: LoginCounterRepository,
    private readonly limits: LoginThrottleLimits = DEFAULT_LOGIN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts an attempt of `userName` from `address`; `RATE_LIMITED` (with `retryAfterSeconds`) while either counter is delayed. */
  async admit(userName: string, address: string): Promise<AdmittedLogin> {
    const counted = addressCounted(address);
    const userKey = counterKey("u", `${counted}\n${userName}`);
    const addressKey = counterKey("a", counted);
    const limits = new Map([
      [userKey, this.limits.perUserAndAddress],
      [addressKey, this.limits.perAddress],
    ]);
    const now = this.now();
    const blockedUntil = await this.counters.updateLoginCounters([...limits.keys()], (states) => {
      const blocked = Math.max(...[...states.values()].map((state) => state.blockedUntil));
      if (blocked > now) return { result: blocked, updates: new Map() };
      const updates = new Map([...limits].map(([key, limit]) => [key, this.failed(states.get(key)!, limit, now)]));
      return { result: 0, updates };
    });
    if (blockedUntil > now) {
      const retryAfterSeconds = Math.ceil((blockedUntil - now) / 1000);
      throw new ZsError("RATE_LIMITED", `Too many failed logins from this address; try again in ${retryAfterSeconds} s.`, { retryAfterSeconds });
    }
    return {
      forgive: () =>
        this.counters.updateLoginCounters([userKey, addressKey], (states) => {
          const address = states.get(addressKey)!;
          const failures = Math.max(0, address.failures - 1);
          const forgiven = { ...address, failures, blockedUntil: failures < this.limits.perAddress ? 0 : address.blockedUntil };
          return { result: undefined, updates: new Map([[userKey, null], [addressKey, failures === 0 ? null : forgiven]]) };
        }),
    };
  }

  /** Lifts every delay and forgets every failure (recovery by an administrator). */
  async clear(): Promise<void> {
    await this.counters.deleteAllLoginCounters();
  }

  /** Removes counters that no longer delay or count anything; how many. */
  purgeStale(): Promise<number> {
    return this.counters.deleteStaleLoginCounters(this.now() - Math.max(this.limits.windowMs, this.limits.maxDelayMs));
  }

  private failed(state: LoginCounterState, limit: number, now: number): LoginCounterState {
    const failures = (state.lastFailure <= now - this.limits.windowMs ? 0 : state.failures) + 1;
    if (failures < limit) return { failures, lastFailure: now, blockedUntil: 0 };
    const delay = Math.min(this.limits.maxDelayMs, this.limits.firstDelayMs * 2 ** Math.min(failures - limit, 30));
    return { failures, lastFailure: now, blockedUntil: now + delay };
  }
}

/** A counter's key: what it counts, hashed, so that a password typed as a user name is never stored. */
function counterKey(kind: "u" | "a", counted: string): string {
  return `${kind}:${createHash("sha256").update(counted).digest("hex")}`;
}

/**
 * The part of a client address that is counted: an IPv4 address whole (also when the socket
 * reports it IPv4-mapped), an IPv6 address by its /64 — one host usually holds a whole /64,
 * and would otherwise get a fresh count from each of its addresses.
 */
export function addressCounted(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = "", tail = ""] = address.toLowerCase().split("%")[0]!.split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = address.includes("::") ? (tail ? tail.split(":") : []) : [];
  const groups = [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill("0"), ...tailGroups];
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}
