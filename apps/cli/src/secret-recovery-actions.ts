import type { DeletedSecret, ListedSecret, Page, SecretMetadata, SecretQuery, SecretUsage, SecretWarning } from "@zs/core";
import { withClient, type CommonOptions } from "./client-session.js";
import type { ReadFormat } from "./formats.js";
import { confirm } from "./interactive.js";
import { listedSecretToWire, pageToWire, serialize, table, type Io } from "./output.js";

/** `secret list --deleted`: what can be recovered, and until when. */
export async function listDeletedSecrets(io: Io, query: SecretQuery, output: ReadFormat): Promise<void> {
  const page = await withClient({}, (client) => client.listDeletedSecrets(query));
  io.out(await renderDeletedSecretList(io, page, output));
}

/** A page of deleted secrets: a table, or the HTTP API's shape (`updated_by`, `purge_after`). */
export async function renderDeletedSecretList(io: Io, page: Page<DeletedSecret & ListedSecret>, format: ReadFormat): Promise<string> {
  if (format !== "table") {
    const items = page.items.map((item) => {
      const { purgeAfter, ...rest } = listedSecretToWire(item);
      return { ...rest, purge_after: purgeAfter };
    });
    return serialize(pageToWire({ ...page, items }), format);
  }
  if (page.total === 0) return "No deleted secrets found.\n";
  const rows = page.items.map((s) => [s.name, s.id, s.scope, s.keys.join(", "), s.deleted, s.purgeAfter]);
  const count = `${page.total} deleted secret${page.total === 1 ? "" : "s"}`;
  return `${table(io, ["NAME", "ID", "SCOPE", "KEYS", "DELETED", "PURGE AFTER"], rows)}\nPage ${page.index}/${page.totalPages}, ${count}. Recover one with: zs secret recover ID [--as NEW_NAME]\n`;
}

/** `secret recover ID [--as NEW]`. */
export async function recoverSecret(io: Io, nameOrId: string, options: CommonOptions & { as?: string; output: ReadFormat }): Promise<void> {
  const recovered = await withClient(options, (client) => client.recoverSecret(nameOrId, options.as === undefined ? {} : { as: options.as }));
  if (options.output !== "table") {
    io.out(await serialize(recovered, options.output));
    return;
  }
  io.out(`Secret '${recovered.name}' recovered (${recovered.id}).\n`);
}

/** `secret usages NAME`: which component attributes reference the secret. */
export async function secretUsages(io: Io, nameOrId: string, options: CommonOptions & { output: ReadFormat }): Promise<void> {
  const { secret, usages } = await withClient(options, async (client) => {
    const found = await client.findSecret(nameOrId);
    return { secret: found, usages: await client.secretUsages(found.id) };
  });
  if (options.output !== "table") {
    io.out(await serialize({ id: secret.id, name: secret.name, usages }, options.output));
    return;
  }
  if (usages.length === 0) {
    io.out(`No component references secret '${secret.name}'.\n`);
    return;
  }
  io.out(usagesTable(io, usages));
}

function usagesTable(io: Io, usages: readonly SecretUsage[]): string {
  const rows = usages.map((u) => [u.component, u.attribute, u.key, u.reference, u.stacks.join(", ") || "-"]);
  return table(io, ["COMPONENT", "ATTRIBUTE", "KEY", "REFERENCE", "STACKS"], rows);
}

/**
 * Before a change that breaks the references `usages` are: shows them on stderr and, on a
 * terminal, asks again (`question`); declining fails with `refusal`. Without a terminal, or with
 * `yes`, the warning is all: scripts go on.
 */
export async function confirmDespiteUsages(
  io: Io,
  secret: SecretMetadata,
  usages: readonly SecretUsage[],
  question: string,
  refusal: string,
  yes: boolean | undefined,
): Promise<boolean> {
  if (usages.length === 0) return false;
  io.err(`Warning: ${usages.length} component attribute reference${usages.length === 1 ? "" : "s"} use${usages.length === 1 ? "s" : ""} secret '${secret.name}':\n${usagesTable(io, usages)}`);
  if (yes || !process.stdin.isTTY || !process.stdout.isTTY) return true;
  if (!(await confirm(question))) throw new Error(refusal);
  return true;
}

/** Prints a response's warnings the command did not already show. */
export function printWarnings(io: Io, warnings: readonly SecretWarning[] | undefined, shown: boolean): void {
  if (shown) return;
  for (const warning of warnings ?? []) io.err(`Warning: ${warning.message}\n`);
}
