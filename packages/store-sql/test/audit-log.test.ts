import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { AuditLog, AuditRecorder, JsonLinesAuditSink, isZsError, type AuditEventInput, type Caller } from "@zs/core";
import { KnexAuditLogRepository, SqlDatabase } from "../src/index.js";
import { type TestDatabase, testDatabases } from "./support/test-databases.js";

const admin: Caller = { userId: "u-admin", userName: "root", isAdmin: true, workspace: "default" };
const alice: Caller = { userId: "u-alice", userName: "alice", isAdmin: false, workspace: "default" };

function event(action: string, name: string, extra: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    actor: { user_id: "u-alice", user_name: "alice", via: "session" },
    action,
    target: { type: "secret", id: null, name, workspace: "default" },
    outcome: "ok",
    request_id: null,
    client_ip: "127.0.0.1",
    user_agent: "jest",
    details: { keys: ["a", "b"], version: 1 },
    ...extra,
  };
}

describe.each(testDatabases)("the audit log on %s", (_label, createDatabase) => {
  let db: TestDatabase;
  let first: SqlDatabase;
  let second: SqlDatabase;
  let dir: string;

  beforeAll(async () => {
    db = await createDatabase();
    first = await SqlDatabase.open(db.url);
    second = await SqlDatabase.open(db.url);
    dir = await mkdtemp(path.join(os.tmpdir(), "zs-audit-"));
  });
  afterAll(async () => {
    await first.close();
    await second.close();
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it("two recorders on one database write one chain that verifies, each event once, also in the JSON lines file", async () => {
    const file = path.join(dir, "audit.jsonl");
    const recorders = [first, second].map(
      (database) => new AuditRecorder({ chain: new KnexAuditLogRepository(database), sinks: [new JsonLinesAuditSink(file)], flushMs: 2 }),
    );
    await Promise.all(Array.from({ length: 300 }, (_, i) => recorders[i % 2]!.record(event("secret.read", `s${i}`))));
    await Promise.all(recorders.map((recorder) => recorder.close()));
    const log = new AuditLog(new KnexAuditLogRepository(first));
    const verification = await log.verify(admin);
    expect(verification).toMatchObject({ valid: true, checked: 300 });
    const names = (await log.listEvents(admin, { size: 1000, action: "secret.*" })).items.map((e) => e.target.name);
    expect(new Set(names).size).toBe(300);
    const lines = (await readFile(file, "utf8")).trim().split("\n").map((line) => JSON.parse(line) as { seq: number });
    expect(lines.map((line) => line.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(recorders.every((recorder) => recorder.stats.batches < 300)).toBe(true);
  });

  it("verify names the first event whose stored row was edited", async () => {
    const log = new AuditLog(new KnexAuditLogRepository(first));
    const target = (await log.listEvents(admin, { target: "s7" })).items[0]!;
    await first.knex("audit_events").where({ seq: target.seq }).update({ outcome: "denied" });
    const verification = await log.verify(admin);
    expect(verification).toMatchObject({ valid: false, firstInvalid: { seq: target.seq, id: target.id, reason: "hash_mismatch" } });
    await first.knex("audit_events").where({ seq: target.seq }).update({ outcome: "ok" });
    expect((await log.verify(admin)).valid).toBe(true);
  });

  it("pruning keeps the chain verifiable from the first kept event", async () => {
    const repository = new KnexAuditLogRepository(first);
    const later = Date.now() + 10 * 86_400_000;
    const recorder = new AuditRecorder({ chain: repository, now: () => later });
    await recorder.record(event("secret.create", "kept"));
    await recorder.close();
    const log = new AuditLog(repository, () => later + 86_400_000);
    expect(await log.prune(5)).toBe(300);
    const verification = await log.verify(admin);
    expect(verification).toMatchObject({ valid: true, checked: 1, firstSeq: 301 });
  });

  it("the list filters by actor, outcome and dates, and refuses bad input with INVALID_FILTER", async () => {
    const log = new AuditLog(new KnexAuditLogRepository(first));
    expect((await log.listEvents(admin, { actor: "alice", outcome: "ok" })).total).toBeGreaterThan(0);
    expect((await log.listEvents(admin, { actor: "nobody" })).total).toBe(0);
    expect((await log.listEvents(admin, { until: "2000-01-01" })).total).toBe(0);
    for (const bad of [{ since: "yesterday" }, { until: "2026-13-01" }, { outcome: "maybe" }, { colour: "red" }, { since: "2026-02-01", until: "2026-01-01" }]) {
      const error = await log.listEvents(admin, bad as never).catch((e: unknown) => e);
      expect(isZsError(error) && error.code).toBe("INVALID_FILTER");
    }
    const forbidden = await log.listEvents(alice).catch((e: unknown) => e);
    expect(isZsError(forbidden) && forbidden.code).toBe("FORBIDDEN");
  });

  it("required mode rejects with AUDIT_UNAVAILABLE when the file sink cannot be written, and stores nothing", async () => {
    const repository = new KnexAuditLogRepository(first);
    const before = (await repository.auditChainState()).head;
    const recorder = new AuditRecorder({ chain: repository, sinks: [new JsonLinesAuditSink(path.join(dir, "missing", "audit.jsonl"))] });
    const error = await recorder.record(event("secret.read", "x")).catch((e: unknown) => e);
    expect(isZsError(error) && error.code).toBe("AUDIT_UNAVAILABLE");
    expect((await repository.auditChainState()).head).toEqual(before);
    const losses: number[] = [];
    const bestEffort = new AuditRecorder({
      mode: "best-effort",
      chain: repository,
      sinks: [new JsonLinesAuditSink(path.join(dir, "missing", "audit.jsonl"))],
      onFailure: ({ lostTotal }) => losses.push(lostTotal),
    });
    await expect(bestEffort.record(event("secret.read", "y"))).resolves.toBeUndefined();
    await bestEffort.flush();
    expect(bestEffort.stats.lost).toBe(1);
    expect(losses).toEqual([1]);
  });
  it("the table refuses a row that does not follow the head, so no writer can fork the chain", async () => {
    const row = await first.knex("audit_events").orderBy("seq", "desc").first();
    const error = await first.knex("audit_events").insert({ ...row, seq: Number(row.seq) + 5, id: "forked" }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/ZS_AUDIT_CHAIN_MOVED/);
  });

  // Destructive: it runs last.
  it("a truncated tail and a deleted event are both detected", async () => {
    const repository = new KnexAuditLogRepository(first);
    const recorder = new AuditRecorder({ chain: repository });
    await Promise.all(Array.from({ length: 5 }, (_, i) => recorder.record(event("secret.read", `tail${i}`))));
    await recorder.close();
    const log = new AuditLog(repository);
    expect((await log.verify(admin)).valid).toBe(true);
    const last = await first.knex("audit_events").orderBy("seq", "desc").first();
    await first.knex("audit_events").where({ seq: last.seq }).delete();
    expect((await log.verify(admin)).firstInvalid).toMatchObject({ seq: Number(last.seq), id: null, reason: "head_mismatch" });
    const middle = await first.knex("audit_events").where("seq", "=", Number(last.seq) - 3).first();
    await first.knex("audit_events").where({ seq: middle.seq }).delete();
    expect((await log.verify(admin)).firstInvalid).toMatchObject({ seq: Number(middle.seq) + 1, reason: "sequence_gap" });
  });
});
