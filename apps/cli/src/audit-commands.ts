import { Command, Option } from "commander";
import { withClient } from "./client-session.js";
import { READ_FORMATS, type ReadFormat } from "./formats.js";
import type { Io } from "./output.js";
import { UsageError } from "./usage-error.js";

const actions = () => import("./audit-actions.js");

const OUTCOMES = ["ok", "denied", "error"] as const;
type Outcome = (typeof OUTCOMES)[number];

const wholeNumber = (name: string, min: number) => (text: string) => {
  if (!/^\d{1,9}$/.test(text) || Number(text) < min) throw new UsageError(`--${name} must be a whole number of at least ${min}, not '${text}'.`);
  return Number(text);
};

/** The filters `list` and `tail` share (those of GET /api/v1/audit). */
export interface AuditFilterOptions {
  actor?: string;
  action?: string;
  target?: string;
  outcome?: Outcome;
  since?: string;
  until?: string;
}

function withFilters(command: Command): Command {
  return command
    .option("--actor <user>", "events by this user (name or id)")
    .option("--action <action>", "this action, or a prefix such as 'secret.*'")
    .option("--target <name>", "events on this target (name or id)")
    .addOption(
      new Option("--outcome <outcome>", `ok, denied or error`).argParser((value: string) => {
        if (!(OUTCOMES as readonly string[]).includes(value)) throw new UsageError(`--outcome must be ${OUTCOMES.join(", ")}, not '${value}'.`);
        return value;
      }),
    )
    .option("--since <date>", "events at or after this time (ISO-8601 or 'YYYY-MM-DD[ HH:MM[:SS]]', UTC)")
    .option("--until <date>", "events before the end of this time");
}

/** `zs audit list|tail|verify` (lifecycle.md "Audit log"): admins on a server; the local store's own log in local mode. */
export function auditCommand(io: Io): Command {
  const audit = new Command("audit").description("read and verify the audit log (admins)");

  withFilters(audit.command("list").description("list audit events, newest first"))
    .option("--page <n>", "page number", wholeNumber("page", 1))
    .option("--size <n>", "events per page (1-1000)", wholeNumber("size", 1))
    .addOption(new Option("-o, --output <format>", "output format").choices(READ_FORMATS).default("table"))
    .action(async (options: AuditFilterOptions & { page?: number; size?: number; output: ReadFormat }) => {
      const { output, ...query } = options;
      const page = await withClient({}, (client) => client.listAuditEvents(query));
      io.out(await (await actions()).renderAuditPage(io, page, output));
    });

  withFilters(audit.command("tail").description("the latest events, oldest first; with -f, keep printing new ones"))
    .option("-f, --follow", "keep waiting for new events (Ctrl-C stops)")
    .option("-n, --lines <n>", "how many of the latest events to show first", wholeNumber("lines", 0), 10)
    .option("--interval <ms>", "with -f, how often to look for new events", wholeNumber("interval", 100), 1000)
    .addOption(new Option("-o, --output <format>", "table lines, or one JSON object per line").choices(["table", "json"]).default("table"))
    .action(async (options: AuditFilterOptions & { follow?: boolean; lines: number; interval: number; output: "table" | "json" }) => {
      await (await actions()).tailAuditLog(io, options);
    });

  audit
    .command("verify")
    .description("recompute the audit log's hash chain; names the first event that does not match (exit 1)")
    .addOption(new Option("-o, --output <format>", "output format").choices(READ_FORMATS).default("table"))
    .action(async (options: { output: ReadFormat }) => {
      await (await actions()).verifyAuditLog(io, options.output);
    });

  return audit;
}
