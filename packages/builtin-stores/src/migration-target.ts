import { ZsError, isZsError, type SecretValuesStore, type StoreSetting } from "@zs/core";

/** A migration's target store, created and checked. */
export interface MigrationTarget {
  store: SecretValuesStore;
  setting: StoreSetting;
}

/**
 * Creates the store a migration goes to and checks it answers (credentials, reachability)
 * before anything is recorded. `--to` of the current type without options means the current
 * store itself (a `--rewrite`). What is wrong with the target is the request's fault: a
 * configuration error becomes `VALIDATION_ERROR`.
 */
export async function openMigrationTarget(
  create: (setting: StoreSetting, settingPrefix: string) => Promise<SecretValuesStore>,
  current: StoreSetting,
  requested: StoreSetting,
  settingPrefix: string,
): Promise<MigrationTarget> {
  const setting = requested.type === current.type && Object.keys(requested.options).length === 0 ? current : requested;
  let store: SecretValuesStore | undefined;
  try {
    store = await create(setting, settingPrefix);
    await store.check?.();
    return { store, setting };
  } catch (error) {
    await store?.close?.().catch(() => undefined);
    if (isZsError(error) && error.code === "CONFIGURATION_ERROR") {
      throw new ZsError("VALIDATION_ERROR", `The migration's target '${setting.type}' cannot be used: ${error.message}`, error.details);
    }
    throw error;
  }
}
