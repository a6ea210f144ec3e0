import { Command, Option } from "commander";
import type { Client, ClientStatus, RemoteTarget } from "@zs/client";
import { withClient, type CommonOptions } from "./client-session.js";
import { READ_FORMATS, type ReadFormat } from "./formats.js";
import type { Io } from "./output.js";

/** What is wrong with a saved connection, in the words of `zs status`. */
function connectionProblem(error: unknown): { state: string; code: string } {
  const code = (error as { code?: unknown }).code;
  if (code === "UNAUTHENTICATED") return { state: "token invalid or expired (zs connect again)", code };
  if (code === "BACKEND_UNAVAILABLE") return { state: "server unreachable", code };
  return { state: typeof code === "string" ? `failed (${code})` : "failed", code: typeof code === "string" ? code : "INTERNAL" };
}

/**
 * The status of a remote client whose server cannot tell it: what the settings say, and why
 * the server did not answer. Rethrows `error` when there is no saved or configured server.
 */
async function unreachableStatus(client: Client, error: unknown): Promise<{ target: RemoteTarget; state: string; code: string }> {
  const target = await client.remoteTarget().catch(() => undefined);
  if (!target) throw error;
  return { target, ...connectionProblem(error) };
}

/** `zs status` (alias `whoami`): mode, where the store is, user, active workspace, values store. */
export function statusCommand(io: Io): Command {
  return new Command("status")
    .alias("whoami")
    .description("show the mode, user, active workspace and values store; with the server down or the token refused, what is saved and why (exit 1)")
    .addOption(new Option("-o, --output <format>", "output format").choices(READ_FORMATS).default("table"))
    .option("--workspace <name>", "act in this workspace instead of the active one")
    .action(async (options: CommonOptions & { output: ReadFormat }) => {
      const { serialize, keyValueTable } = await import("./output.js");
      const outcome = await withClient(options, async (client) => {
        try {
          return { ok: true as const, status: await client.status() };
        } catch (error) {
          return { ok: false as const, error, problem: await unreachableStatus(client, error) };
        }
      });
      if (outcome.ok) {
        io.out(options.output === "table" ? keyValueTable(statusRows(outcome.status)) : await serialize(outcome.status, options.output));
        return;
      }
      const { target, state, code } = outcome.problem;
      if (options.output !== "table") {
        io.out(await serialize({ mode: "remote", ...target, user: target.user ?? null, connection: state, error: code }, options.output));
      } else {
        io.out(
          keyValueTable([
            ["Mode", `remote (${target.server})`],
            ["User", target.user ?? "unknown (ZS_API_KEY)"],
            ["Workspace", target.workspace],
            ["Connection", state],
          ]),
        );
      }
      // The reason follows on stderr as `Error: …`, and the exit code is 1.
      throw outcome.error;
    });
}

function statusRows(status: ClientStatus): string[][] {
  const capabilities = Object.entries(status.store.capabilities).map(([k, v]) => `${k}=${String(v)}`).join(", ");
  return [
    ["Mode", status.mode === "local" ? `local (${status.home})` : `remote (${status.server})`],
    ["User", status.user],
    ["Workspace", status.workspace],
    ["Store", `${status.store.type} (${capabilities})`],
  ];
}
