import { ZsError } from "@zs/core";

/** How many failed logins are allowed per user name and per client address, within a window. */
export interface LoginThrottleLimits {
  /** @default 10 */
  perUser: number;
  /** @default 50 */
  perAddress: number;
  /** @default 15 minutes */
  windowMs: number;
}

const MAX_TRACKED_KEYS = 100_000;

export const DEFAULT_LOGIN_LIMITS: LoginThrottleLimits = { perUser: 10, perAddress: 50, windowMs: 15 * 60 * 1000 };

/**
 * Counts failed logins per user name and per client address in a sliding window. Once either
 * is at its limit, every login for it is refused with `RATE_LIMITED` — right password or not —
 * until the oldest failure leaves the window. A successful login clears the user's count.
 * Kept in memory: each server instance counts its own.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits: LoginThrottleLimits = DEFAULT_LOGIN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws `RATE_LIMITED` (with `retryAfterSeconds`) when this user or address may not try now. */
  check(userName: string, address: string): void {
    const wait = Math.max(this.waitMs(`user:${userName}`, this.limits.perUser), this.waitMs(`address:${address}`, this.limits.perAddress));
    if (wait > 0) {
      const retryAfterSeconds = Math.ceil(wait / 1000);
      throw new ZsError("RATE_LIMITED", `Too many failed logins; try again in ${retryAfterSeconds} s.`, { retryAfterSeconds });
    }
  }

  recordFailure(userName: string, address: string): void {
    // Many distinct names (an attack) must not grow the map without bound.
    if (this.failures.size > MAX_TRACKED_KEYS) for (const key of [...this.failures.keys()]) this.recent(key);
    for (const key of [`user:${userName}`, `address:${address}`]) this.failures.set(key, [...this.recent(key), this.now()]);
  }

  recordSuccess(userName: string): void {
    this.failures.delete(`user:${userName}`);
  }

  private recent(key: string): number[] {
    const since = this.now() - this.limits.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((time) => time > since);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }

  private waitMs(key: string, limit: number): number {
    const recent = this.recent(key);
    if (recent.length < limit) return 0;
    return recent[recent.length - limit]! + this.limits.windowMs - this.now();
  }
}
