import { openConfiguredStore } from "@zs/builtin-stores";
import { AUDIT_ACTIONS, DEFAULT_WORKSPACE, ZsError, copiesLeft, describeCopySummary, parseOptionAssignments, type Caller, type ZsConfig } from "@zs/core";
import type { Logger } from "pino";
import { auditedCommand } from "./audit/command-audit.js";

/** `zs-server migrate`'s flags. */
export interface MigrateCommandOptions {
  to?: string;
  toOption: string[];
  resume?: boolean;
  abort?: boolean;
  deleteSource?: boolean;
  rewrite?: boolean;
  concurrency: string;
}

/** Whoever runs `zs-server migrate` on the server's host with its settings acts as an admin. */
const OPERATOR: Caller = { userId: "zs-server", userName: "zs-server", isAdmin: true, workspace: DEFAULT_WORKSPACE };

/**
 * `zs-server migrate`: moves every secret's values to another values store from the server's
 * host (stores.md). Progress lines on stderr, the summary on stdout; exit 1 when a secret failed.
 */
export async function migrateCommand(config: ZsConfig, logger: Logger, options: MigrateCommandOptions): Promise<void> {
  const concurrency = Number(options.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new ZsError("VALIDATION_ERROR", "--concurrency must be a whole number from 1 to 64.");
  if (options.abort && (options.to || options.resume || options.deleteSource || options.rewrite)) {
    throw new ZsError("VALIDATION_ERROR", "--abort takes no other flag: it abandons the migration in progress.");
  }
  if (!options.abort && !options.to) throw new ZsError("VALIDATION_ERROR", "Give --to TYPE (the store to move the values to), or --abort.");
  const targetOptions = parseOptionAssignments(options.toOption, "--to-option");
  const store = await openConfiguredStore(config, logger);
  const target = { type: "store", id: null, name: options.to ?? null, workspace: null };
  const details = { abort: options.abort ?? false, resume: options.resume ?? false, delete_source: options.deleteSource ?? false };
  try {
    await auditedCommand(config, store.database, AUDIT_ACTIONS.migrate, target, () => migrate(config, store, options, concurrency, targetOptions), () => details);
  } finally {
    await store.service.close();
  }
}

async function migrate(
  config: ZsConfig,
  store: Awaited<ReturnType<typeof openConfiguredStore>>,
  options: MigrateCommandOptions,
  concurrency: number,
  targetOptions: Record<string, string>,
): Promise<void> {
  {
    if (options.abort) {
      const aborted = await store.migrations.abort(OPERATOR);
      process.stdout.write(`Abandoned the migration to '${aborted.targetType}'; the '${aborted.sourceType}' store still holds every value. ${copiesLeft(aborted.done, aborted.targetType)}\n`);
      return;
    }
    const request = { targetSetting: { type: options.to!, options: targetOptions }, resume: options.resume, deleteSource: options.deleteSource, rewrite: options.rewrite };
    await store.migrations.check(OPERATOR, request);
    const target = await store.openMigrationTarget(request.targetSetting, "--to-option ");
    let reported = 0;
    const outcome = await store.migrations.migrate(OPERATOR, {
      ...request,
      targetSetting: target.setting,
      target: target.store,
      concurrency,
      onProgress(done, total) {
        if (done !== total && Date.now() - reported < 1000) return;
        reported = Date.now();
        process.stderr.write(`Migrated ${done}/${total}\n`);
      },
    });
    for (const failure of outcome.failures) process.stderr.write(`failed: secret ${failure.secretId}: ${failure.reason}\n`);
    process.stdout.write(`${describeCopySummary(outcome)}\n`);
    if (outcome.status !== "completed") {
      await target.store.close?.();
      throw new ZsError("BACKEND_UNAVAILABLE", `${outcome.failed} secret(s) failed to copy; the values stay in '${store.migrations.currentSetting.type}'. Fix the cause and run again with --resume.`);
    }
    const moved = target.setting.type === config.secretsStore.type ? "" : ` Set ZS_SECRETS_STORE_TYPE=${target.setting.type} and its ZS_SECRETS_STORE_<OPTION>s before the next start.`;
    process.stdout.write(`The values are now in the '${target.setting.type}' store${outcome.deletedFromSource ? `; deleted ${outcome.deletedFromSource} from the old one` : ""}.${moved}\n`);
  }
}
