import { ZsError } from "../errors.js";
import type { StoreSetting } from "../config.js";
import type { SecretValuesStore } from "../stores/values-store.js";

/**
 * What the database records of the values store that holds the deployment's values (stores.md):
 * its type and its options without credentials. A migration's switch rewrites it; a process
 * configured with another type refuses to start.
 */
export interface ValuesStoreRecord {
  /** `ZS_SECRETS_STORE_TYPE` as it was set: a built-in type or a custom store's module. */
  type: string;
  /** The store's own type (`SecretValuesStore.type`): what is compared, whatever names its module. */
  store: string;
  /** The store's options without credentials: enough to say what to set, never a secret. */
  settings: Record<string, string>;
  /** When a migration made this the values store (ISO 8601); absent for the store the deployment started with. */
  since?: string;
}

/** Option names that may hold a credential: never recorded, never shown. */
const CREDENTIAL_OPTION = /secret|token|password|key|credential/i;

/** The options of a store worth recording: every one that cannot hold a credential. */
export function recordableSettings(options: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(options).filter(([name]) => !CREDENTIAL_OPTION.test(name)).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The record of a configured store, created as `store`. */
export function valuesStoreRecordOf(setting: StoreSetting, store: SecretValuesStore, since?: string): ValuesStoreRecord {
  return { type: setting.type, store: store.type, settings: recordableSettings(setting.options), ...(since ? { since } : {}) };
}

/** The record as the database keeps it (JSON); its text is also what a writer compares. */
export function serializeValuesStoreRecord(record: ValuesStoreRecord): string {
  return JSON.stringify(record);
}

export function parseValuesStoreRecord(text: string): ValuesStoreRecord {
  const parsed = JSON.parse(text) as ValuesStoreRecord;
  return { type: String(parsed.type), store: String(parsed.store ?? parsed.type), settings: { ...parsed.settings }, ...(parsed.since ? { since: parsed.since } : {}) };
}

/**
 * `CONFIGURATION_ERROR` unless the configured values store (`configured`, as created) is of the
 * type the database says holds the values; the message says what to set.
 */
export function assertHoldsValues(record: ValuesStoreRecord, configured: SecretValuesStore): void {
  if (record.store === configured.type) return;
  const configuredType = configured.type;
  const options = Object.entries(record.settings).map(([name, value]) => `ZS_SECRETS_STORE_${name.toUpperCase()}=${value}`);
  throw new ZsError(
    "CONFIGURATION_ERROR",
    `This deployment's values are in the '${record.type}' values store${record.since ? ` (moved there by a migration at ${record.since})` : ""}, ` +
      `not in '${configuredType}': set ZS_SECRETS_STORE_TYPE=${record.type}` +
      (options.length > 0 ? ` with ${options.join(", ")}` : "") +
      " and that store's credentials.",
    { reason: "values_store_moved", type: record.type },
  );
}
