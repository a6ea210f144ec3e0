import type { Knex } from "knex";
import type { HistoryAction, HistoryRow, HistoryTransaction } from "@zs/core";

interface HistoryRecord {
  secret_id: string;
  version: number | string;
  time: number | string;
  actor: string;
  action: string;
  keys_added: string;
  keys_removed: string;
  keys_changed: string;
  values_written: boolean | number;
  backend_version: string | null;
  restored_version: number | string | null;
  values_moved: boolean | number;
}

function toRow(record: HistoryRecord): HistoryRow {
  const row: HistoryRow = {
    secretId: record.secret_id,
    version: Number(record.version),
    time: Number(record.time),
    actor: record.actor,
    action: record.action as HistoryAction,
    keysAdded: JSON.parse(record.keys_added) as string[],
    keysRemoved: JSON.parse(record.keys_removed) as string[],
    keysChanged: JSON.parse(record.keys_changed) as string[],
    valuesWritten: Boolean(record.values_written),
  };
  if (record.backend_version !== null) row.backendVersion = record.backend_version;
  if (record.restored_version !== null) row.restoredVersion = Number(record.restored_version);
  if (record.values_moved) row.valuesMoved = true;
  return row;
}

/**
 * The knex history of secrets (`secret_history`, migration 005): on the pool for reads, or
 * inside a metadata transaction, where its entry commits with the change it records.
 */
export class KnexHistoryRepository implements HistoryTransaction {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async insertEntry(row: HistoryRow): Promise<void> {
    await this.db("secret_history").insert({
      secret_id: row.secretId,
      version: row.version,
      time: row.time,
      actor: row.actor,
      action: row.action,
      keys_added: JSON.stringify(row.keysAdded),
      keys_removed: JSON.stringify(row.keysRemoved),
      keys_changed: JSON.stringify(row.keysChanged),
      values_written: row.valuesWritten,
      backend_version: row.backendVersion ?? null,
      restored_version: row.restoredVersion ?? null,
      values_moved: row.valuesMoved ?? false,
    });
  }

  async listEntries(secretId: string, page: number, size: number): Promise<{ items: HistoryRow[]; total: number }> {
    const [records, count] = await Promise.all([
      this.db("secret_history")
        .where({ secret_id: secretId })
        .orderBy("version", "desc")
        .limit(size)
        .offset((page - 1) * size)
        .select<HistoryRecord[]>("*"),
      this.db("secret_history").where({ secret_id: secretId }).count({ total: "*" }).first(),
    ]);
    return { items: records.map(toRow), total: Number(count?.total ?? 0) };
  }

  async findEntry(secretId: string, version: number): Promise<HistoryRow | undefined> {
    const record = await this.db("secret_history").where({ secret_id: secretId, version }).first<HistoryRecord | undefined>("*");
    return record ? toRow(record) : undefined;
  }

  async latestValuesWrite(secretId: string, atMost?: number): Promise<HistoryRow | undefined> {
    const query = this.db("secret_history").where({ secret_id: secretId, values_written: true });
    if (atMost !== undefined) query.where("version", "<=", atMost);
    const record = await query.orderBy("version", "desc").first<HistoryRecord | undefined>("*");
    return record ? toRow(record) : undefined;
  }
}
