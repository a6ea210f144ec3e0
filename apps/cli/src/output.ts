import Table from "cli-table3";
import type { ApiKey } from "@zs/client";
import type { ListedSecret, Page, Secret, User, Workspace } from "@zs/core";
import { formatEnv } from "./env-format.js";
import type { ReadFormat, SecretValueFormat } from "./formats.js";
import { formatShellExports } from "./shell-format.js";

/** Where the CLI writes, and whether it may use colour (a TTY without NO_COLOR). */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  color: boolean;
}


const BORDERLESS = {
  chars: {
    top: "", "top-mid": "", "top-left": "", "top-right": "",
    bottom: "", "bottom-mid": "", "bottom-left": "", "bottom-right": "",
    left: "", "left-mid": "", mid: "", "mid-mid": "",
    right: "", "right-mid": "", middle: "  ",
  },
  style: { head: [], border: [], "padding-left": 0, "padding-right": 0 },
};

const bold = (io: Io, text: string) => (io.color ? `\u001b[1m${text}\u001b[22m` : text);

/** A borderless, left-aligned table with a header row. */
export function table(io: Io, head: string[], rows: string[][]): string {
  const printed = new Table({ ...BORDERLESS, head: head.map((h) => bold(io, h)) });
  printed.push(...rows);
  return `${printed.toString().split("\n").map((line) => line.trimEnd()).join("\n")}\n`;
}

/** Label / value lines, without a header. */
export function keyValueTable(rows: string[][]): string {
  const printed = new Table({ ...BORDERLESS });
  printed.push(...rows);
  return `${printed.toString().split("\n").map((line) => line.trimEnd()).join("\n")}\n`;
}

/** JSON (the HTTP API's shape) or YAML of a wire object. */
export async function serialize(value: unknown, format: "json" | "yaml"): Promise<string> {
  if (format === "json") return `${JSON.stringify(value, null, 2)}\n`;
  const { toYaml } = await import("./yaml-format.js");
  return toYaml(value);
}

/** A list page on the wire: snake_case, as the HTTP API sends it. */
export function pageToWire<T>(page: Page<T>): Record<string, unknown> {
  return { index: page.index, max_size: page.maxSize, total_pages: page.totalPages, total: page.total, items: page.items };
}

/** A secret as a table: its metadata, then KEY / VALUE rows (values masked unless `reveal`). */
export function secretTable(io: Io, secret: Secret, reveal: boolean): string {
  const about = table(io, ["NAME", "ID", "SCOPE", "WORKSPACE", "VERSION", "UPDATED"], [
    [secret.name, secret.id, secret.scope, secret.workspace, String(secret.version), secret.updated],
  ]);
  const keys = Object.keys(secret.values).sort();
  if (keys.length === 0) return `${about}\nNo keys.\n`;
  return `${about}\n${table(io, ["KEY", "VALUE"], keys.map((key) => [key, reveal ? secret.values[key]! : "***"]))}`;
}

/** A secret's values as `-o env` (dotenv lines, portable) or `-o shell` (`export` lines for `eval`) print them. */
export function renderValueLines(values: Record<string, string>, format: "env" | "shell"): string {
  return format === "env" ? formatEnv(values, "-o json or -o yaml") : formatShellExports(values);
}

/** `get -o …`: table, json, yaml, dotenv or shell lines. */
export async function renderSecret(io: Io, secret: Secret, format: SecretValueFormat): Promise<string> {
  if (format === "env" || format === "shell") return renderValueLines(secret.values, format);
  if (format === "table") return secretTable(io, secret, true);
  return serialize(secret, format);
}

/** A list item as the HTTP API shows it: `updated_by`. */
export function listedSecretToWire<T extends ListedSecret>({ updatedBy, ...rest }: T): Omit<T, "updatedBy"> & { updated_by: string | null } {
  return { ...rest, updated_by: updatedBy };
}

/** `list`: NAME, ID, SCOPE, (WORKSPACE when listing several,) KEYS, UPDATED and a page line; never values. */
export async function renderSecretList(io: Io, page: Page<ListedSecret>, format: ReadFormat, withWorkspace = false): Promise<string> {
  if (format !== "table") return serialize(pageToWire({ ...page, items: page.items.map(listedSecretToWire) }), format);
  if (page.total === 0) return "No secrets found.\n";
  const head = withWorkspace ? ["NAME", "ID", "SCOPE", "WORKSPACE", "KEYS", "UPDATED"] : ["NAME", "ID", "SCOPE", "KEYS", "UPDATED"];
  const rows = page.items.map((s) => [s.name, s.id, s.scope, ...(withWorkspace ? [s.workspace] : []), s.keys.join(", "), s.updated]);
  return `${table(io, head, rows)}\nPage ${page.index}/${page.totalPages}, ${page.total} secret${page.total === 1 ? "" : "s"}.\n`;
}

/** `workspace list`: the active one marked. */
export async function renderWorkspaces(io: Io, workspaces: Workspace[], active: string, format: ReadFormat): Promise<string> {
  if (format !== "table") return serialize(workspaces, format);
  return table(io, ["NAME", "ID", "CREATED"], workspaces.map((w) => [w.name === active ? `${w.name} *` : w.name, w.id, w.created]));
}

/** Users as the HTTP API shows them (`is_admin`). */
export async function renderUsers(io: Io, users: User[], format: ReadFormat): Promise<string> {
  const wire = users.map((user) => ({ id: user.id, name: user.name, is_admin: user.isAdmin, created: user.created }));
  if (format !== "table") return serialize(wire, format);
  return table(io, ["NAME", "ID", "ADMIN", "CREATED"], users.map((user) => [user.name, user.id, user.isAdmin ? "yes" : "no", user.created]));
}

/** API keys as the HTTP API lists them: never the key itself. */
export async function renderApiKeys(io: Io, keys: ApiKey[], format: ReadFormat): Promise<string> {
  const wire = keys.map((key) => ({ id: key.id, name: key.name, created: key.created, last_used: key.lastUsed, expires: key.expires }));
  if (format !== "table") return serialize(wire, format);
  const rows = keys.map((key) => [key.name, key.id, key.created, key.lastUsed ?? "never", key.expires ?? "never"]);
  return table(io, ["NAME", "ID", "CREATED", "LAST USED", "EXPIRES"], rows);
}
