import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "@jest/globals";
import { HARNESS_FACTORIES, expectUsageError, localHarness, uniqueName, useZsHarness, type WirePage } from "./support/zs-process.js";

interface WireEvent {
  seq: number;
  id: string;
  action: string;
  outcome: string;
  error_code?: string;
  actor: { user_name: string | null; via: string | null };
  target: { type: string; name: string | null };
  details: Record<string, unknown>;
}

describe.each(HARNESS_FACTORIES)("zs audit ($mode)", (factory) => {
  const zs = useZsHarness(factory);

  it("records each command's action once, with key names and no values, and list filters them", async () => {
    const name = uniqueName("audited");
    await zs.addSecret(name, { password: "fixture-audit-value-1" });
    await zs.ok(["secret", "get", name]);
    await zs.ok(["secret", "update", name, "--extra=fixture-audit-value-2"]);
    const page = await zs.json<WirePage<WireEvent>>(["audit", "list", "--target", name]);
    expect(page.items.map((event) => event.action)).toEqual(["secret.update", "secret.read", "secret.create"]);
    expect(page.items.every((event) => event.outcome === "ok")).toBe(true);
    expect(page.items[0]!.actor).toMatchObject({ user_name: zs.user, via: zs.mode === "local" ? "local" : "session" });
    expect(page.items[0]!.details).toMatchObject({ keys: ["extra", "password"], keys_set: ["extra"], version: 2 });
    const raw = (await zs.ok(["audit", "list", "-o", "json", "--size", "1000"])).stdout;
    expect(raw).not.toContain("fixture-audit-value");
    const reads = await zs.json<WirePage<WireEvent>>(["audit", "list", "--action", "secret.read", "--target", name, "--outcome", "ok", "--since", "2000-01-01"]);
    expect(reads.total).toBe(1);
    const table = (await zs.ok(["audit", "list", "--target", name])).stdout.split("\n");
    expect(table[0]).toMatch(/^TIME\s+ACTOR\s+ACTION\s+TARGET\s+OUTCOME$/);
    expect(table.at(-2)).toBe("Page 1/1, 3 events.");
    expect((await zs.ok(["audit", "list", "--actor", "nobody-at-all"])).stdout).toBe("No audit events found.\n");
  });

  it("verify says the chain holds", async () => {
    const result = await zs.ok(["audit", "verify"]);
    expect(result.stdout).toMatch(/^Audit log verified: \d+ events, #1 to #\d+\.\n$/);
    expect(await zs.json(["audit", "verify"])).toMatchObject({ valid: true });
  });

  it("tail prints the latest events oldest first, and -f keeps printing new ones", async () => {
    const tailed = uniqueName("tailed");
    await zs.addSecret(tailed, { k: "v" });
    await zs.ok(["secret", "get", tailed]);
    const tail = (await zs.ok(["audit", "tail", "-n", "2", "-o", "json", "--action", "secret.*"])).stdout.trim().split("\n").map((line) => JSON.parse(line) as WireEvent);
    expect(tail).toHaveLength(2);
    expect(tail[0]!.seq).toBeLessThan(tail[1]!.seq);
    const name = uniqueName("followed");
    // The follower prints the latest event once it is up; only then is the secret created, and
    // the follower stopped once it printed the new event (or 30 s passed): no guessing how long a start takes.
    const result = await zs.shell(
      `out=$(mktemp); zs audit tail -f -n 1 --interval 100 -o json > "$out" & follower=$!
      for _ in $(seq 300); do [ -s "$out" ] && break; sleep 0.1; done
      zs secret create ${name} --k=fixture-followed-value > /dev/null
      for _ in $(seq 300); do grep -q '"${name}"' "$out" && break; sleep 0.1; done
      kill $follower; cat "$out"; rm -f "$out"`,
    );
    const events = result.stdout.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line) as WireEvent);
    expect(events.filter((event) => event.target.name === name).map((event) => event.action)).toEqual(["secret.create"]);
    expect(result.stdout).not.toContain("fixture-followed-value");
  });

  it("bad filters are refused: usage errors for malformed options, INVALID_FILTER for bad dates", async () => {
    expectUsageError(await zs.run(["audit", "list", "--outcome", "maybe"]), "--outcome must be ok, denied, error");
    expectUsageError(await zs.run(["audit", "list", "--page", "0"]), "--page must be a whole number of at least 1");
    expectUsageError(await zs.run(["audit", "list", "--size", "many"]), "--size must be a whole number");
    expectUsageError(await zs.run(["audit", "list", "--colour", "red"]), "unknown option '--colour'");
    const bad = await zs.run(["audit", "list", "--since", "yesterday"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^Error: Invalid 'since' date 'yesterday'/);
    const range = await zs.run(["audit", "list", "--since", "2026-02-01", "--until", "2026-01-01"]);
    expect(range.stderr).toMatch(/must be before 'until'/);
    const beyond = await zs.run(["audit", "list", "--page", "999"]);
    expect(beyond.stderr).toMatch(/Page 999 is out of range/);
  });
});

describe("zs audit verify on a tampered local store", () => {
  const zs = useZsHarness(localHarness);

  it("names the first event whose stored row was edited, and exits 1", async () => {
    await zs.addSecret(uniqueName("t"), { k: "v-tamper" });
    await zs.ok(["secret", "list"]);
    const events = await zs.json<WirePage<WireEvent>>(["audit", "list"]);
    const victim = events.items.at(-1)!;
    await promisify(execFile)("sqlite3", [path.join(zs.home!, "zs.db"), `update audit_events set action = 'secret.list' where seq = ${victim.seq}`]);
    const result = await zs.run(["audit", "verify"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`Error: The audit log does not verify: event #${victim.seq} (${victim.id}) does not match (hash mismatch).\n`);
  });

  it("local mode audits the purge of a deleted secret whose recovery window ended, done by the next command", async () => {
    const name = uniqueName("expiring");
    await zs.addSecret(name, { k: "fixture-expiring-value" });
    await zs.ok(["secret", "delete", name, "-y"]);
    await promisify(execFile)("sqlite3", [path.join(zs.home!, "zs.db"), `update secrets set purge_after = 1 where name = '${name}'`]);
    await zs.ok(["secret", "list"]);
    const purges = await zs.json<WirePage<WireEvent>>(["audit", "list", "--action", "secret.purge", "--target", name]);
    expect(purges.items).toEqual([
      expect.objectContaining({ outcome: "ok", actor: expect.objectContaining({ via: "local" }), target: expect.objectContaining({ name }), details: { reason: "recovery_window_ended" } }),
    ]);
    expect((await zs.ok(["secret", "list", "--deleted"])).stdout).not.toContain(name);
  });

  it("local mode prunes events past ZS_AUDIT_RETENTION_DAYS (once a day) and the chain still verifies from the first kept event", async () => {
    await zs.addSecret(uniqueName("p"), { k: "v-prune" });
    const before = await zs.json<WirePage<WireEvent>>(["audit", "list", "--size", "1000"]);
    const db = path.join(zs.home!, "zs.db");
    await promisify(execFile)("sqlite3", [db, "update audit_events set time = '2000-01-01T00:00:00.000Z'; delete from zs_meta where key = 'audit_pruned_at'"]);
    await zs.ok(["secret", "list"]);
    const after = await zs.json<WirePage<WireEvent>>(["audit", "list", "--size", "1000"]);
    expect(after.items.every((event) => event.seq > before.items[0]!.seq)).toBe(true);
    expect(after.items.map((event) => event.action)).toContain("secret.list");
    expect(await zs.json(["audit", "verify"])).toMatchObject({ valid: true, first_seq: before.items[0]!.seq + 1 });
  });
});
