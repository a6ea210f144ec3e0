import { Command, Option } from "commander";
import { withClient, type CommonOptions } from "./client-session.js";
import { READ_FORMATS, type ReadFormat } from "./formats.js";
import type { Io } from "./output.js";

/** `zs status`: mode, where the store is, user, active workspace, values store. */
export function statusCommand(io: Io): Command {
  return new Command("status")
    .description("show the mode, user, active workspace and values store")
    .addOption(new Option("-o, --output <format>", "output format").choices(READ_FORMATS).default("table"))
    .option("--workspace <name>", "act in this workspace instead of the active one")
    .action(async (options: CommonOptions & { output: ReadFormat }) => {
      const status = await withClient(options, (client) => client.status());
      const { serialize, keyValueTable } = await import("./output.js");
      if (options.output !== "table") {
        io.out(await serialize(status, options.output));
        return;
      }
      const capabilities = Object.entries(status.store.capabilities).map(([k, v]) => `${k}=${String(v)}`).join(", ");
      io.out(
        keyValueTable([
          ["Mode", status.mode === "local" ? `local (${status.home})` : `remote (${status.server})`],
          ["User", status.user],
          ["Workspace", status.workspace],
          ["Store", `${status.store.type} (${capabilities})`],
        ]),
      );
    });
}
