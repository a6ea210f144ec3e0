import {
  GENESIS_HASH,
  type AuditChainState,
  type AuditEvent,
  type AuditLogRepository,
  type ChainHead,
  type ChainedAuditEvent,
  type ParsedAuditQuery,
  canonicalJson,
} from "@zs/core";
import type { Knex } from "knex";
import type { PreparedWrite, SqlDatabase } from "./sql-database.js";

/** A row of `audit_events`: the event's fields as columns, so that editing any of them breaks its hash. */
interface AuditEventRecord {
  seq: number | string;
  id: string;
  time: string;
  actor_user_id: string | null;
  actor_user_name: string | null;
  actor_via: string | null;
  actor_api_key_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  target_name: string | null;
  target_workspace: string | null;
  outcome: string;
  error_code: string | null;
  request_id: string | null;
  client_ip: string | null;
  user_agent: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

interface AuditChainRecord {
  head_seq: number | string;
  head_hash: string;
  anchor_seq: number | string;
  anchor_hash: string;
}

/** Rows per insert statement: well under SQLite's and PostgreSQL's bound-parameter limits. */
const INSERT_CHUNK = 500;
/**
 * Batches of up to this many events (what a flush usually gathers) have their insert prepared
 * once per size; a larger one, written after a backlog, is prepared for that run only.
 */
const PREPARED_INSERT_ROWS = 64;
/** The columns of `audit_events`, in the order `toRecord` lists them. */
const COLUMNS = [
  "seq", "id", "time", "actor_user_id", "actor_user_name", "actor_via", "actor_api_key_id", "action", "target_type", "target_id",
  "target_name", "target_workspace", "outcome", "error_code", "request_id", "client_ip", "user_agent", "details", "prev_hash", "hash",
] as const;
const INSERT_SQL = `insert into audit_events (${COLUMNS.join(", ")}) values `;
const ROW_PLACEHOLDERS = `(${COLUMNS.map(() => "?").join(", ")})`;
const TRANSACTION_ATTEMPTS = 10;
/** Batches linked to a moved head are linked again; under heavy load from many instances this bounds the tries. */
const APPEND_ATTEMPTS = 100;

/** The trigger refused a row that does not follow the head, or its `seq` is taken: another instance appended first. */
function isChainConflict(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return /ZS_AUDIT_CHAIN_MOVED/.test(e?.message ?? "") || e?.code === "23505" || (e?.code === "SQLITE_CONSTRAINT" && /UNIQUE|PRIMARY/.test(e.message ?? "")) || e?.code === "SQLITE_BUSY" || e?.code === "40001" || e?.code === "40P01";
}

/**
 * The knex `AuditLogRepository`: `audit_events` and the one-row `audit_chain` (head and
 * anchor). Appends lock the chain row (`FOR UPDATE` on PostgreSQL; on SQLite the first
 * statement is a write, which takes the database's write lock), so instances sharing the
 * database append to one chain in turn.
 */
export class KnexAuditLogRepository implements AuditLogRepository {
  /** The chain's head as this instance last wrote or read it. */
  private knownHead: ChainHead | undefined;
  /** The insert statement of each batch size written so far. */
  private readonly insertStatements = new Map<number, PreparedWrite>();

  constructor(private readonly database: SqlDatabase) {}

  async appendAuditEvents(
    link: (head: ChainHead) => ChainedAuditEvent[],
    beforeCommit?: (events: readonly ChainedAuditEvent[]) => Promise<void>,
  ): Promise<ChainedAuditEvent[]> {
    // Linked to the head this instance last saw. The table's trigger checks each row follows
    // the head (locking it on PostgreSQL) and moves it; a batch linked to a head another
    // instance has moved meanwhile is refused whole, and linked again to the new head.
    for (let attempt = 1; ; attempt++) {
      const head = (this.knownHead ??= (await this.auditChainState()).head);
      const events = link(head);
      if (events.length === 0) return events;
      try {
        // Without other sinks the batch is one statement (its own transaction): a flush costs one round trip.
        if (beforeCommit) {
          await this.database.knex.transaction(async (trx) => {
            await this.insertEvents(events, trx);
            await beforeCommit(events);
          });
        } else {
          await this.insertEvents(events);
        }
        const last = events[events.length - 1]!;
        this.knownHead = { seq: last.seq, hash: last.hash };
        return events;
      } catch (error) {
        this.knownHead = undefined;
        if (!isChainConflict(error) || attempt >= APPEND_ATTEMPTS) throw error;
        if (attempt > 3) await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      }
    }
  }

  /**
   * Plain SQL, one statement per chunk: a batch is written on every flush, and knex's query
   * builder would cost more CPU than the database does. Outside a transaction the statement of
   * each chunk size is prepared once (`SqlDatabase.write`).
   */
  private async insertEvents(events: readonly ChainedAuditEvent[], transaction?: Knex.Transaction): Promise<void> {
    for (let index = 0; index < events.length; index += INSERT_CHUNK) {
      const chunk = events.slice(index, index + INSERT_CHUNK);
      const bindings: (string | number | null)[] = [];
      for (const event of chunk) for (const value of Object.values(toRecord(event))) bindings.push(value);
      await this.database.write(this.insertStatement(chunk.length), bindings, transaction);
    }
  }

  /** The insert of `rows` events, in both placeholder syntaxes; prepared once up to `PREPARED_INSERT_ROWS` rows. */
  private insertStatement(rows: number): PreparedWrite {
    let statement = this.insertStatements.get(rows);
    if (!statement) {
      const knexSql = `${INSERT_SQL}${Array.from({ length: rows }, () => ROW_PLACEHOLDERS).join(",")}`;
      let parameter = 0;
      const nativeSql = this.database.dialect === "postgres" ? knexSql.replace(/\?/g, () => `$${++parameter}`) : knexSql;
      if (rows > PREPARED_INSERT_ROWS) return { knexSql, nativeSql };
      statement = { knexSql, nativeSql, statementName: `zs_audit_insert_${rows}` };
      this.insertStatements.set(rows, statement);
    }
    return statement;
  }

  async listAuditEvents(query: ParsedAuditQuery): Promise<{ items: ChainedAuditEvent[]; total: number }> {
    const db = this.database.knex;
    const filtered = () => {
      const builder = db("audit_events");
      if (query.actor !== undefined) builder.where((w) => w.where("actor_user_name", query.actor!).orWhere("actor_user_id", query.actor!));
      if (query.action !== undefined) {
        // substr, not LIKE: SQLite's LIKE ignores case.
        if (query.action.prefix) builder.whereRaw("substr(action, 1, ?) = ?", [query.action.value.length, query.action.value]);
        else builder.where("action", query.action.value);
      }
      if (query.target !== undefined) builder.where((w) => w.where("target_name", query.target!).orWhere("target_id", query.target!));
      if (query.outcome !== undefined) builder.where("outcome", query.outcome);
      if (query.since !== undefined) builder.where("time", ">=", query.since);
      if (query.until !== undefined) builder.where("time", "<", query.until);
      if (query.after !== undefined) builder.where("seq", ">", query.after);
      return builder;
    };
    const [countRow] = (await filtered().count({ total: "*" })) as { total: number | string }[];
    const rows = (await filtered()
      .orderBy("seq", query.after !== undefined ? "asc" : "desc")
      .limit(query.size)
      .offset((query.page - 1) * query.size)
      .select("*")) as AuditEventRecord[];
    return { items: rows.map(fromRecord), total: Number(countRow?.total ?? 0) };
  }

  async readAuditChain(afterSeq: number, throughSeq: number, limit: number): Promise<ChainedAuditEvent[]> {
    const rows = (await this.database.knex("audit_events")
      .where("seq", ">", afterSeq)
      .andWhere("seq", "<=", throughSeq)
      .orderBy("seq", "asc")
      .limit(limit)
      .select("*")) as AuditEventRecord[];
    return rows.map(fromRecord);
  }

  async auditChainState(): Promise<AuditChainState> {
    const chain = (await this.database.knex("audit_chain").where({ id: 1 }).first()) as AuditChainRecord | undefined;
    if (!chain) return { anchor: { seq: 0, hash: GENESIS_HASH }, head: { seq: 0, hash: GENESIS_HASH } };
    return {
      anchor: { seq: Number(chain.anchor_seq), hash: chain.anchor_hash },
      head: { seq: Number(chain.head_seq), hash: chain.head_hash },
    };
  }

  async pruneAuditEvents(before: string): Promise<number> {
    return this.ownTransaction(async (trx) => {
      const chain = await this.lockChain(trx);
      // The newest event older than the cutoff, among those after the anchor: everything up to it
      // goes, so what stays is contiguous and starts right after the new anchor.
      const last = (await trx("audit_events")
        .where("time", "<", before)
        .andWhere("seq", ">", chain.anchor_seq)
        .orderBy("seq", "desc")
        .first("seq", "hash")) as { seq: number | string; hash: string } | undefined;
      if (!last) return 0;
      const deleted = await trx("audit_events").where("seq", "<=", last.seq).delete();
      await trx("audit_chain").where({ id: 1 }).update({ anchor_seq: last.seq, anchor_hash: last.hash });
      return deleted;
    });
  }

  /**
   * Whether `nameOrId` (a name, an id, or an id prefix of 8+ hex characters) names a
   * user-scoped secret of another user than `viewerId` in `workspace` (every workspace when
   * `undefined`): the lookup answered 404, and the audit log records the request as denied.
   */
  async othersPrivateSecretExists(viewerId: string, workspace: string | undefined, nameOrId: string): Promise<boolean> {
    const query = this.database.knex("secrets as s")
      .join("workspaces as w", "w.id", "s.workspace_id")
      .where("s.scope", "user")
      .andWhereNot("s.owner_id", viewerId)
      .andWhere((w) => {
        w.where("s.name", nameOrId).orWhere("s.id", nameOrId.toLowerCase());
        if (/^[0-9a-f-]{8,}$/i.test(nameOrId)) w.orWhere("s.id", "like", `${nameOrId.toLowerCase()}%`);
      });
    if (workspace !== undefined) query.andWhere("w.name", workspace);
    return (await query.first("s.id")) !== undefined;
  }

  private async lockChain(trx: Knex.Transaction): Promise<AuditChainRecord> {
    // PostgreSQL: the row lock orders the instances' batches. SQLite: a write first takes the
    // database's write lock, so no other process links to the head read next.
    const sql =
      this.database.dialect === "postgres"
        ? "select head_seq, head_hash, anchor_seq, anchor_hash from audit_chain where id = 1 for update"
        : "update audit_chain set head_seq = head_seq where id = 1 returning head_seq, head_hash, anchor_seq, anchor_hash";
    const result = (await trx.raw(sql)) as AuditChainRecord[] | { rows: AuditChainRecord[] };
    return (Array.isArray(result) ? result : result.rows)[0]!;
  }

  private async ownTransaction<T>(work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.database.knex.transaction(work);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (!(code === "SQLITE_BUSY" || code === "40001" || code === "40P01") || attempt >= TRANSACTION_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
      }
    }
  }
}

function toRecord(event: ChainedAuditEvent): AuditEventRecord {
  return {
    seq: event.seq,
    id: event.id,
    time: event.time,
    actor_user_id: event.actor.user_id,
    actor_user_name: event.actor.user_name,
    actor_via: event.actor.via,
    actor_api_key_id: event.actor.api_key_id ?? null,
    action: event.action,
    target_type: event.target.type,
    target_id: event.target.id,
    target_name: event.target.name,
    target_workspace: event.target.workspace,
    outcome: event.outcome,
    error_code: event.error_code ?? null,
    request_id: event.request_id,
    client_ip: event.client_ip,
    user_agent: event.user_agent,
    details: canonicalJson(event.details),
    prev_hash: event.prev_hash,
    hash: event.hash,
  };
}

function fromRecord(record: AuditEventRecord): ChainedAuditEvent {
  const event: AuditEvent = {
    id: record.id,
    time: record.time,
    actor: {
      user_id: record.actor_user_id,
      user_name: record.actor_user_name,
      via: record.actor_via as AuditEvent["actor"]["via"],
      ...(record.actor_api_key_id !== null ? { api_key_id: record.actor_api_key_id } : {}),
    },
    action: record.action,
    target: { type: record.target_type, id: record.target_id, name: record.target_name, workspace: record.target_workspace },
    outcome: record.outcome as AuditEvent["outcome"],
    ...(record.error_code !== null ? { error_code: record.error_code } : {}),
    request_id: record.request_id,
    client_ip: record.client_ip,
    user_agent: record.user_agent,
    details: parseDetails(record.details),
  };
  return { ...event, seq: Number(record.seq), prev_hash: record.prev_hash, hash: record.hash };
}

/** A details column that is not JSON (edited by hand) reads as a string, which then fails its hash. */
function parseDetails(text: string): AuditEvent["details"] {
  try {
    return JSON.parse(text) as AuditEvent["details"];
  } catch {
    return { unreadable: text };
  }
}
