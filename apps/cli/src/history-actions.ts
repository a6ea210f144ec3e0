import type { SecretDiff } from "@zs/client";
import type { HistoryEntry, Lookup, Page, Scope, SecretVersionValues } from "@zs/core";
import { withClient, type CommonOptions } from "./client-session.js";
import type { ReadFormat, SecretValueFormat } from "./formats.js";
import { renderValueLines, serialize, table, type Io } from "./output.js";

const lookupFrom = (options: { scope?: Scope }): Lookup => (options.scope ? { scope: options.scope } : {});

/** A history entry as the HTTP API sends it. */
function entryToWire(entry: HistoryEntry): Record<string, unknown> {
  return {
    version: entry.version,
    time: entry.time,
    actor: entry.actor,
    action: entry.action,
    keys_added: entry.keysAdded,
    keys_removed: entry.keysRemoved,
    keys_changed: entry.keysChanged,
    ...(entry.restoredVersion !== undefined ? { restored_version: entry.restoredVersion } : {}),
  };
}

/** What an entry did, in a few words: the rollback's source, else the action. */
function describeAction(entry: HistoryEntry): string {
  return entry.restoredVersion !== undefined ? `rollback to ${entry.restoredVersion}` : entry.action.replace("_", " ");
}

const keyList = (keys: string[]) => keys.join(", ");

/** `zs secret history NAME`: VERSION, TIME, ACTOR, ACTION and the keys each version touched; never a value. */
export async function showHistory(
  io: Io,
  nameOrId: string,
  options: CommonOptions & { scope?: Scope; page?: number; size?: number; output: ReadFormat },
): Promise<void> {
  const query = { ...(options.page !== undefined && { page: options.page }), ...(options.size !== undefined && { size: options.size }) };
  const page: Page<HistoryEntry> = await withClient(options, (client) => client.secretHistory(nameOrId, query, lookupFrom(options)));
  if (options.output !== "table") {
    io.out(await serialize({ index: page.index, max_size: page.maxSize, total_pages: page.totalPages, total: page.total, items: page.items.map(entryToWire) }, options.output));
    return;
  }
  if (page.total === 0) {
    io.out("No history recorded for this secret.\n");
    return;
  }
  const rows = page.items.map((entry) => [
    String(entry.version),
    entry.time,
    entry.actor,
    describeAction(entry),
    keyList(entry.keysAdded),
    keyList(entry.keysRemoved),
    keyList(entry.keysChanged),
  ]);
  const footer = `Page ${page.index}/${page.totalPages}, ${page.total} version${page.total === 1 ? "" : "s"}.`;
  io.out(`${table(io, ["VERSION", "TIME", "ACTOR", "ACTION", "ADDED", "REMOVED", "CHANGED"], rows)}\n${footer}\n`);
}

/** `zs secret get NAME --version N`: that version's values, as `get` shows the current ones. */
export async function showSecretVersion(
  io: Io,
  nameOrId: string,
  options: CommonOptions & { scope?: Scope; version: number; output: SecretValueFormat },
): Promise<void> {
  const found: SecretVersionValues = await withClient(options, (client) => client.getSecretVersion(nameOrId, options.version, lookupFrom(options)));
  if (options.output === "env" || options.output === "shell") {
    io.out(renderValueLines(found.values, options.output));
    return;
  }
  if (options.output !== "table") {
    const wire = { id: found.id, name: found.name, version: found.version, current_version: found.currentVersion, keys: found.keys, values: found.values };
    io.out(await serialize(wire, options.output));
    return;
  }
  const about = table(io, ["NAME", "ID", "VERSION", "CURRENT VERSION"], [[found.name, found.id, String(found.version), String(found.currentVersion)]]);
  const keys = Object.keys(found.values).sort();
  io.out(keys.length === 0 ? `${about}\nNo keys.\n` : `${about}\n${table(io, ["KEY", "VALUE"], keys.map((key) => [key, found.values[key]!]))}`);
}

/** `zs secret rollback NAME --to N`: that version's values become a new version. */
export async function rollbackSecret(
  io: Io,
  nameOrId: string,
  options: CommonOptions & { scope?: Scope; to: number; ifVersion?: number; output?: ReadFormat },
): Promise<void> {
  const rolled = await withClient(options, (client) =>
    client.rollbackSecret(nameOrId, options.to, options.ifVersion !== undefined ? { expectedVersion: options.ifVersion } : {}, lookupFrom(options)),
  );
  if (options.output && options.output !== "table") {
    const { values: _values, ...metadata } = rolled;
    io.out(await serialize(metadata, options.output));
    return;
  }
  io.out(`Secret '${rolled.name}' rolled back to the values of version ${options.to}; it is now at version ${rolled.version}.\n`);
}

/** `zs secret diff NAME`: the keys added, removed and changed between two versions; values only with --show-values. */
export async function diffSecret(
  io: Io,
  nameOrId: string,
  options: CommonOptions & { scope?: Scope; from?: number; to?: number; showValues?: boolean; output: ReadFormat },
): Promise<void> {
  const diff: SecretDiff = await withClient(options, (client) =>
    client.diffSecret(
      nameOrId,
      { ...(options.from !== undefined && { from: options.from }), ...(options.to !== undefined && { to: options.to }), withValues: options.showValues === true },
      lookupFrom(options),
    ),
  );
  if (options.output !== "table") {
    io.out(await serialize(diff, options.output));
    return;
  }
  const range = `${diff.from === 0 ? "nothing" : `version ${diff.from}`} and version ${diff.to}`;
  const changes: [string, string][] = [
    ...diff.added.map((key): [string, string] => [key, "added"]),
    ...diff.removed.map((key): [string, string] => [key, "removed"]),
    ...diff.changed.map((key): [string, string] => [key, "changed"]),
  ].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (changes.length === 0) {
    io.out(`Secret '${diff.name}': no difference between ${range}.\n`);
    return;
  }
  const head = diff.values ? ["KEY", "CHANGE", `VERSION ${diff.from}`, `VERSION ${diff.to}`] : ["KEY", "CHANGE"];
  const rows = changes.map(([key, change]) => (diff.values ? [key, change, diff.values[key]?.from ?? "", diff.values[key]?.to ?? ""] : [key, change]));
  io.out(`Secret '${diff.name}', ${range}:\n${table(io, head, rows)}`);
}
