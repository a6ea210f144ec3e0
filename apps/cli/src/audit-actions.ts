import type { AuditQuery, AuditVerification, ChainedAuditEvent, Client, Page } from "@zs/client";
import type { AuditFilterOptions } from "./audit-commands.js";
import { withClient } from "./client-session.js";
import type { ReadFormat } from "./formats.js";
import { pageToWire, serialize, table, type Io } from "./output.js";

const HEAD = ["TIME", "ACTOR", "ACTION", "TARGET", "OUTCOME"];

function actorOf(event: ChainedAuditEvent): string {
  const name = event.actor.user_name ?? "-";
  return event.actor.via === "api_key" ? `${name} (api key)` : name;
}

function targetOf(event: ChainedAuditEvent): string {
  const { type, name, id, workspace } = event.target;
  const what = name ?? id ?? "";
  return `${type}${what ? ` ${what}` : ""}${workspace && type === "secret" ? ` (${workspace})` : ""}`;
}

function row(event: ChainedAuditEvent): string[] {
  return [event.time, actorOf(event), event.action, targetOf(event), event.error_code ? `${event.outcome} ${event.error_code}` : event.outcome];
}

/** `audit list`: a table and a page line, or the HTTP API's page. */
export async function renderAuditPage(io: Io, page: Page<ChainedAuditEvent>, format: ReadFormat): Promise<string> {
  if (format !== "table") return serialize(pageToWire(page), format);
  if (page.items.length === 0) return "No audit events found.\n";
  return `${table(io, HEAD, page.items.map(row))}\nPage ${page.index}/${page.totalPages}, ${page.total} event${page.total === 1 ? "" : "s"}.\n`;
}

/** `audit tail [-f]`: the last events oldest first, then (following) every new one as it is recorded. */
export async function tailAuditLog(
  io: Io,
  options: AuditFilterOptions & { follow?: boolean; lines: number; interval: number; output: "table" | "json" },
): Promise<void> {
  const { follow, lines, interval, output, ...filters } = options;
  const print = (events: readonly ChainedAuditEvent[]) => {
    if (events.length === 0) return;
    io.out(output === "json" ? events.map((event) => `${JSON.stringify(event)}\n`).join("") : events.map((event) => `${row(event).join("  ")}\n`).join(""));
  };
  await withClient({}, async (client) => {
    let after = await printLatest(client, filters, lines, print);
    while (follow) {
      await new Promise((resolve) => setTimeout(resolve, interval));
      for (;;) {
        const page = await client.listAuditEvents({ ...filters, after, size: 1000 });
        print(page.items);
        if (page.items.length > 0) after = page.items[page.items.length - 1]!.seq;
        if (page.items.length < 1000) break;
      }
    }
  });
}

/** Prints the latest `lines` events; returns the seq to follow from. */
async function printLatest(client: Client, filters: AuditQuery, lines: number, print: (events: readonly ChainedAuditEvent[]) => void): Promise<number> {
  const newest = await client.listAuditEvents({ ...filters, size: Math.max(lines, 1) });
  const shown = newest.items.slice(0, lines).reverse();
  print(shown);
  // Following starts after the newest event of the whole log, so nothing older turns up later.
  const latest = filters === undefined || Object.keys(filters).length === 0 ? newest : await client.listAuditEvents({ size: 1 });
  return latest.items[0]?.seq ?? 0;
}

/** `audit verify`: a line saying it holds, or an error naming the first event that does not match. */
export async function verifyAuditLog(io: Io, format: ReadFormat): Promise<void> {
  const result: AuditVerification = await withClient({}, (client) => client.verifyAuditLog());
  if (format !== "table") {
    io.out(await serialize({ valid: result.valid, checked: result.checked, first_seq: result.firstSeq, last_seq: result.lastSeq, ...(result.firstInvalid ? { first_invalid: result.firstInvalid } : {}) }, format));
  } else if (result.valid) {
    io.out(result.checked === 0 ? "Audit log verified: no events.\n" : `Audit log verified: ${result.checked} events, #${result.firstSeq} to #${result.lastSeq}.\n`);
  }
  if (!result.valid) {
    const broken = result.firstInvalid!;
    throw new Error(`The audit log does not verify: event #${broken.seq}${broken.id ? ` (${broken.id})` : ""} does not match (${broken.reason.replaceAll("_", " ")}).`);
  }
}
