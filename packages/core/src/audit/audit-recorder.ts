import { randomUUID } from "node:crypto";
import { ZsError } from "../errors.js";
import type { AuditEvent, AuditEventInput, ChainedAuditEvent } from "./audit-event.js";
import type { AuditLogRepository, AuditSink } from "./audit-log-repository.js";
import { linkEvents } from "./hash-chain.js";

/** `ZS_AUDIT`: whether a request waits for its event (lifecycle.md "Audit log"). */
export const AUDIT_MODES = ["required", "best-effort", "off"] as const;
export type AuditMode = (typeof AUDIT_MODES)[number];

/** What the recorder reports about itself (for metrics and logs). */
export interface AuditRecorderStats {
  recorded: number;
  /** Events that were never written (best-effort mode, or failed batches in required mode). */
  lost: number;
  batches: number;
  failures: number;
  lastBatchSize: number;
  lastFlushMs: number;
}

/** One written (or failed) batch, as metrics see it: never an event's contents. */
export interface AuditBatchObservation {
  events: number;
  durationMs: number;
  ok: boolean;
}

export interface AuditRecorderOptions {
  /** @default "required" */
  mode?: AuditMode;
  /** Events are written in batches this often. @default 5 */
  flushMs?: number;
  /** The database's chain; unused when `mode` is `off`. */
  chain: AuditLogRepository;
  /** Further sinks, written in the chain's transaction (e.g. the JSON lines file). */
  sinks?: readonly AuditSink[];
  /** Called when a batch could not be written; never given event contents. */
  onFailure?: (failure: { error: unknown; events: number; mode: AuditMode; lostTotal: number }) => void;
  /** At most this many events wait; beyond it best-effort drops them (counted). @default 100000 */
  maxPending?: number;
  /** At most this many events per transaction. @default 1000 */
  maxBatch?: number;
  now?: () => number;
}

interface Pending {
  event: AuditEvent;
  settle?: { resolve(): void; reject(error: unknown): void };
}

/**
 * Records audit events with group commit: batches start at most every `flushMs`, each
 * linking and storing every event that waits in one statement (one chain-head lock per batch,
 * not per event), so audited throughput holds. In `required` mode `record` resolves once its event is committed and
 * rejects with `AUDIT_UNAVAILABLE` when it could not be; in `best-effort` it never waits and
 * failures are counted; `off` records nothing.
 */
export class AuditRecorder {
  readonly mode: AuditMode;
  readonly stats: AuditRecorderStats = { recorded: 0, lost: 0, batches: 0, failures: 0, lastBatchSize: 0, lastFlushMs: 0 };
  /** Told of every batch once it is written or has failed. Set by the server's metrics. @default none */
  batchObserver: ((batch: AuditBatchObservation) => void) | undefined;
  private readonly flushMs: number;
  private readonly maxPending: number;
  private readonly maxBatch: number;
  private readonly now: () => number;
  private pending: Pending[] = [];
  /** The scheduled flush, if any. */
  private timer: { cancel(): void } | undefined;
  private lastFlushStart = Number.NEGATIVE_INFINITY;
  private lastFailureAt: number | undefined;
  private flushing: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: AuditRecorderOptions) {
    this.mode = options.mode ?? "required";
    this.flushMs = options.flushMs ?? 5;
    this.maxPending = options.maxPending ?? 100_000;
    this.maxBatch = options.maxBatch ?? 1000;
    this.now = options.now ?? Date.now;
  }

  /**
   * False in `required` mode for a moment after a batch failed (until one succeeds, or
   * `RETRY_AFTER_FAILURE_MS` pass): callers then refuse an audited action before carrying it
   * out, instead of carrying it out and then failing for want of its event.
   */
  get available(): boolean {
    return this.mode !== "required" || this.lastFailureAt === undefined || this.now() - this.lastFailureAt >= RETRY_AFTER_FAILURE_MS;
  }

  /** `AUDIT_UNAVAILABLE` unless `available`. */
  assertAvailable(): void {
    if (!this.available) throw unavailable();
  }

  /** True unless `ZS_AUDIT=off`. */
  get enabled(): boolean {
    return this.mode !== "off";
  }

  /**
   * Records one event. `required`: resolves when it is committed, else rejects with
   * `AUDIT_UNAVAILABLE`. `best-effort`: resolves at once. `off`: does nothing.
   */
  record(input: AuditEventInput): Promise<void> {
    if (this.mode === "off") return Promise.resolve();
    const event = this.complete(input);
    if (this.closed) {
      this.lose(1, new Error("The audit recorder is closed."));
      return this.mode === "required" ? Promise.reject(unavailable()) : Promise.resolve();
    }
    if (this.mode === "best-effort") {
      if (this.pending.length >= this.maxPending) this.lose(1, new Error("Too many audit events waiting to be written."));
      else this.enqueue({ event });
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => this.enqueue({ event, settle: { resolve, reject } }));
  }

  /**
   * Readiness (operations.md): throws `AUDIT_UNAVAILABLE` while a recent batch failed
   * (`required` mode), or when a sink cannot be written now; the database chain is checked with
   * the database. Never writes an event.
   */
  async check(): Promise<void> {
    if (this.mode === "off") return;
    if (this.closed) throw unavailable();
    this.assertAvailable();
    for (const sink of this.options.sinks ?? []) {
      try {
        await sink.check?.();
      } catch (error) {
        throw new ZsError("AUDIT_UNAVAILABLE", `The audit sink ${sink.name} cannot be written (${(error as { code?: string }).code ?? "error"}).`);
      }
    }
  }

  /** Writes whatever waits, now; resolves when it has been written (or failed). */
  async flush(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    while (this.flushing || this.pending.length > 0) {
      if (this.flushing) await this.flushing;
      else await this.startFlush();
    }
  }

  /** Flushes and stops; later events are lost (and refused in `required` mode). */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    for (const sink of this.options.sinks ?? []) await sink.close?.();
  }

  private complete(input: AuditEventInput): AuditEvent {
    const { error_code, details, ...rest } = input;
    return {
      id: randomUUID(),
      time: new Date(this.now()).toISOString(),
      ...rest,
      ...(error_code !== undefined ? { error_code } : {}),
      details: details ?? {},
    };
  }

  private enqueue(pending: Pending): void {
    this.pending.push(pending);
    if (!this.timer && !this.flushing) this.scheduleFlush();
  }

  /**
   * Batches start at most every `flushMs`: an event arriving after a quiet spell is written at
   * once (on the next turn of the event loop, with whatever else arrived in this one), while
   * under load each batch gathers what arrived since the last one started.
   */
  private scheduleFlush(): void {
    const wait = Math.max(0, this.lastFlushStart + this.flushMs - this.now());
    if (wait === 0) {
      const immediate = setImmediate(() => void this.startFlush());
      this.timer = { cancel: () => clearImmediate(immediate) };
    } else {
      const timeout = setTimeout(() => void this.startFlush(), wait);
      this.timer = { cancel: () => clearTimeout(timeout) };
    }
  }

  private startFlush(): Promise<void> {
    this.timer = undefined;
    if (this.flushing || this.pending.length === 0) return this.flushing ?? Promise.resolve();
    this.lastFlushStart = this.now();
    const batch = this.pending.splice(0, this.maxBatch);
    this.flushing = this.writeBatch(batch).finally(() => {
      this.flushing = undefined;
      if (this.pending.length > 0 && !this.timer) this.scheduleFlush();
    });
    return this.flushing;
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    const started = this.now();
    const sinks = this.options.sinks ?? [];
    try {
      await this.options.chain.appendAuditEvents(
        (head) => linkEvents(head, batch.map((pending) => pending.event)),
        sinks.length === 0 ? undefined : async (events: readonly ChainedAuditEvent[]) => {
          for (const sink of sinks) await sink.write(events);
        },
      );
      this.stats.recorded += batch.length;
      this.stats.batches += 1;
      this.stats.lastBatchSize = batch.length;
      this.stats.lastFlushMs = this.now() - started;
      this.batchObserver?.({ events: batch.length, durationMs: this.stats.lastFlushMs, ok: true });
      this.lastFailureAt = undefined;
      for (const pending of batch) pending.settle?.resolve();
    } catch (error) {
      this.stats.failures += 1;
      this.lastFailureAt = this.now();
      this.batchObserver?.({ events: batch.length, durationMs: this.lastFailureAt - started, ok: false });
      this.lose(batch.length, error);
      for (const pending of batch) pending.settle?.reject(unavailable());
    }
  }

  private lose(events: number, error: unknown): void {
    this.stats.lost += events;
    this.options.onFailure?.({ error, events, mode: this.mode, lostTotal: this.stats.lost });
  }
}

/** After a failed batch, audited actions are refused up front this long before the sink is tried again. */
const RETRY_AFTER_FAILURE_MS = 1000;

function unavailable(): ZsError {
  return new ZsError("AUDIT_UNAVAILABLE", "The audit log cannot be written, so this request was not carried out in full and nothing is returned; try again later.");
}
