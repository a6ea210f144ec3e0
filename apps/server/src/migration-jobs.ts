import type { MigrationTarget } from "@zs/builtin-stores";
import { ZsError, type Caller, type MigrationOutcome, type MigrationReport, type MigrationStatus, type StoreSetting, type ValuesMigrationService } from "@zs/core";

/** What `POST /api/v1/admin/migrations` asks for (besides `abort`). */
export interface MigrationJobRequest {
  target: StoreSetting;
  resume: boolean;
  deleteSource: boolean;
  rewrite: boolean;
  concurrency: number | undefined;
}

interface Job {
  migrationId: string;
  controller: AbortController;
  outcome: MigrationOutcome | undefined;
  error: string | null;
  settled: Promise<void>;
}

/**
 * The server's migrations (stores.md): one runs at a time, in the background of the request
 * that started it, so the server keeps answering while the values move and the client polls.
 */
export class MigrationJobs {
  private job: Job | undefined;

  constructor(
    private readonly migrations: ValuesMigrationService,
    private readonly openTarget: (requested: StoreSetting, settingPrefix: string) => Promise<MigrationTarget>,
  ) {}

  async start(caller: Caller, request: MigrationJobRequest): Promise<MigrationReport> {
    const checked = { targetSetting: request.target, resume: request.resume, deleteSource: request.deleteSource, rewrite: request.rewrite };
    // What would be refused is refused before the target is touched (started twice, bad flags).
    await this.migrations.check(caller, checked);
    const target = await this.openTarget(request.target, "options.");
    const controller = new AbortController();
    let run;
    try {
      run = await this.migrations.begin(caller, { ...checked, targetSetting: target.setting, target: target.store, concurrency: request.concurrency, signal: controller.signal });
    } catch (error) {
      await target.store.close?.();
      throw error;
    }
    const job: Job = { migrationId: run.migrationId, controller, outcome: undefined, error: null, settled: Promise.resolve() };
    job.settled = run.outcome.then(
      (outcome) => {
        job.outcome = outcome;
        if (outcome.status !== "completed") return target.store.close?.();
      },
      (error: unknown) => {
        job.error = error instanceof ZsError ? error.message : "the migration stopped on an unexpected error";
        return target.store.close?.();
      },
    );
    this.job = job;
    return (await this.status(caller))!;
  }

  /** Stops this server's run, if any, then marks the migration aborted. */
  async abort(caller: Caller): Promise<MigrationReport> {
    const current = await this.migrations.status(caller);
    if (current?.status !== "running") throw new ZsError("VALIDATION_ERROR", "There is no migration in progress to abort.");
    await this.stop();
    const status = await this.migrations.abort(caller);
    return { ...status, ...this.runOf(this.job?.migrationId === status.id ? this.job : undefined) };
  }

  /** The migration running, else the latest; `undefined` when there never was one. */
  async status(caller: Caller): Promise<MigrationReport | undefined> {
    // The run first: a run seen active may have finished by the time the database answers (the
    // client asks again), but one seen finished has written its outcome to the database.
    const job = this.job;
    const run = this.runOf(job);
    const status = await this.migrations.status(caller);
    return status && { ...status, ...(job?.migrationId === status.id ? run : this.runOf(undefined)) };
  }

  /** Waits for this server's run to stop (tests, shutdown). */
  async settled(): Promise<void> {
    await this.job?.settled;
  }

  /** Stops this server's run: the migration stays in progress, to resume. */
  async stop(): Promise<void> {
    this.job?.controller.abort();
    await this.settled();
  }

  private runOf(job: Job | undefined): Omit<MigrationReport, keyof MigrationStatus> {
    const outcome = job?.outcome;
    return {
      active: job !== undefined && outcome === undefined && job.error === null,
      copied: outcome?.copied ?? 0,
      verified: outcome?.verified ?? 0,
      skipped: outcome?.skipped ?? 0,
      failed: outcome?.failed ?? 0,
      failures: outcome?.failures ?? [],
      error: job?.error ?? null,
    };
  }
}
