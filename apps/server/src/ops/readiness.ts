/** The parts `GET /health/ready` checks, as named in its answer. */
export const READINESS_PARTS = ["database", "values_store", "audit"] as const;
export type ReadinessPart = (typeof READINESS_PARTS)[number];

/** Where the server is in its life: only `serving` can be ready. */
export type ServerPhase = "starting" | "serving" | "draining";

/** What `GET /health/ready` answers. */
export interface ReadinessReport {
  /** `ready`, or why not: `starting`, `draining`, or `degraded` (a part failed its check). */
  status: "ready" | "starting" | "draining" | "degraded";
  /** Each part's last check; absent while starting or draining (nothing is checked then). */
  checks?: Record<ReadinessPart, "ok" | "failing">;
  /** The parts that failed, for a log line or an operator. */
  failing?: ReadinessPart[];
}

export interface ReadinessOptions {
  /** One check per part: resolves when the part answers. */
  checks: Record<ReadinessPart, () => Promise<void>>;
  /** A result is reused this long, so frequent probes from several balancers cost one backend call. @default 1000 */
  cacheMs?: number;
  /** A check that has not answered by then has failed. @default 2000 */
  checkTimeoutMs?: number;
  now?: () => number;
}

/**
 * Readiness (operations.md "Health, readiness, shutdown"): not ready while starting or
 * draining, whatever the checks say; otherwise ready when every part answers. Concurrent
 * probes share one round of checks, and a round's result is reused for `cacheMs`.
 */
export class Readiness {
  private phase: ServerPhase = "starting";
  private last: { at: number; report: ReadinessReport } | undefined;
  private round: Promise<ReadinessReport> | undefined;
  private readonly cacheMs: number;
  private readonly checkTimeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly options: ReadinessOptions) {
    this.cacheMs = options.cacheMs ?? 1000;
    this.checkTimeoutMs = options.checkTimeoutMs ?? 2000;
    this.now = options.now ?? Date.now;
  }

  /** The listener accepts requests: readiness now follows the checks. */
  markServing(): void {
    if (this.phase === "starting") this.phase = "serving";
  }

  /** Shutdown has begun: not ready from now on. */
  markDraining(): void {
    this.phase = "draining";
  }

  get draining(): boolean {
    return this.phase === "draining";
  }

  async report(): Promise<ReadinessReport> {
    if (this.phase !== "serving") return { status: this.phase };
    const last = this.last;
    if (last && this.now() - last.at < this.cacheMs) return last.report;
    this.round ??= this.checkAll().finally(() => (this.round = undefined));
    const report = await this.round;
    // Shutdown may have begun while the checks ran.
    return this.phase === "serving" ? report : { status: this.phase };
  }

  private async checkAll(): Promise<ReadinessReport> {
    const outcomes = await Promise.all(READINESS_PARTS.map((part) => this.checkOne(part)));
    const checks = Object.fromEntries(READINESS_PARTS.map((part, i) => [part, outcomes[i] ? "ok" : "failing"])) as Record<ReadinessPart, "ok" | "failing">;
    const failing = READINESS_PARTS.filter((_, i) => !outcomes[i]);
    const report: ReadinessReport = failing.length === 0 ? { status: "ready", checks } : { status: "degraded", checks, failing };
    this.last = { at: this.now(), report };
    return report;
  }

  private async checkOne(part: ReadinessPart): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), this.checkTimeoutMs);
      timer.unref();
    });
    try {
      return await Promise.race([this.options.checks[part]().then(() => true, () => false), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }
}
