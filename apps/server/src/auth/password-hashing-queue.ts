import { availableParallelism } from "node:os";
import { ZsError } from "@zs/core";

/** How many password hashes run at once, and how many may wait. */
export interface PasswordHashingLimits {
  /** @default one fewer than the cores, and than libuv's threads (`passwordHashingConcurrency()`) */
  concurrency: number;
  /** Hashes that may wait for a free place; one more is refused with `RATE_LIMITED`. @default 4 × concurrency */
  queueLength: number;
}

/** libuv's thread pool runs scrypt and file I/O (and SQLite's queries): its size. */
export function libuvThreads(env: Record<string, string | undefined> = process.env): number {
  const configured = Number(env.UV_THREADPOOL_SIZE);
  return Number.isInteger(configured) && configured > 0 ? Math.min(configured, 1024) : 4;
}

/**
 * One hash fewer than there are cores (at least one), so a core is always left for serving
 * other requests, and never on every thread of libuv's pool: the database driver and file
 * reads need one (security.md).
 */
export function passwordHashingConcurrency(env: Record<string, string | undefined> = process.env): number {
  return Math.max(1, Math.min(availableParallelism() - 1, libuvThreads(env) - 1));
}

/** A place in the queue, taken before any other work on a login so that a flood is refused at once. */
export interface HashingTicket {
  /** Runs `hashing` once a place is free; the ticket is used up either way. */
  run<T>(hashing: () => Promise<T>): Promise<T>;
  /** Gives the place back without hashing (the login was refused before it). */
  cancel(): void;
}

/**
 * Bounds the password hashing that logins and password changes do: a login flood queues
 * only briefly, then is refused with `RATE_LIMITED` and `Retry-After`, and every other
 * request keeps its share of the CPU and of libuv's threads.
 */
export class PasswordHashingQueue {
  private running = 0;
  /** Tickets taken and not yet finished or cancelled. */
  private holding = 0;
  private readonly waiting: (() => void)[] = [];
  /** The mean duration of recent hashes, for `Retry-After`. */
  private averageMs = 500;
  /** The most hashes that ran at once (what the tests check the bound by). */
  highWater = 0;

  readonly limits: PasswordHashingLimits;

  constructor(limits: Partial<PasswordHashingLimits> = {}) {
    const concurrency = limits.concurrency ?? passwordHashingConcurrency();
    this.limits = { concurrency, queueLength: limits.queueLength ?? 4 * concurrency };
  }

  /** A place in the queue now, or `RATE_LIMITED` when it is full. */
  take(): HashingTicket {
    const { concurrency, queueLength } = this.limits;
    if (this.holding >= concurrency + queueLength) {
      const retryAfterSeconds = Math.max(1, Math.ceil(((this.holding / concurrency) * this.averageMs) / 1000));
      throw new ZsError("RATE_LIMITED", `Too many logins at once; try again in ${retryAfterSeconds} s.`, { retryAfterSeconds });
    }
    this.holding += 1;
    let used = false;
    const useUp = () => {
      if (used) throw new Error("A hashing ticket is used once.");
      used = true;
    };
    return {
      run: async (hashing) => {
        useUp();
        try {
          await this.start();
          const started = performance.now();
          try {
            return await hashing();
          } finally {
            this.averageMs = 0.8 * this.averageMs + 0.2 * (performance.now() - started);
            this.finish();
          }
        } finally {
          this.holding -= 1;
        }
      },
      cancel: () => {
        useUp();
        this.holding -= 1;
      },
    };
  }

  private async start(): Promise<void> {
    // A finishing hash hands its place straight to the next waiting one.
    if (this.running >= this.limits.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    this.highWater = Math.max(this.highWater, this.running);
  }

  private finish(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running -= 1;
  }
}
