import { Command, Option } from "commander";
import { withClient, type CommonOptions } from "./client-session.js";
import { READ_FORMATS, type ReadFormat } from "./formats.js";
import type { Io } from "./output.js";

const output = () => import("./output.js");

/** `zs workspace list|create|set|delete`. */
export function workspaceCommand(io: Io): Command {
  const workspace = new Command("workspace").description("list, create, choose and delete workspaces");

  workspace
    .command("list")
    .description("list workspaces; * marks the active one")
    .addOption(new Option("-o, --output <format>", "output format").choices(READ_FORMATS).default("table"))
    .option("--workspace <name>", "mark this workspace as the active one for this call")
    .action(async (options: CommonOptions & { output: ReadFormat }) => {
      const [workspaces, active] = await withClient(options, async (client) => [await client.listWorkspaces(), await client.activeWorkspace()] as const);
      io.out(await (await output()).renderWorkspaces(io, workspaces, active, options.output));
    });

  workspace
    .command("create")
    .description("create a workspace")
    .argument("<name>", "the workspace's name")
    .action(async (name: string) => {
      await withClient({}, (client) => client.createWorkspace(name));
      io.out(`Workspace '${name}' created.\n`);
    });

  workspace
    .command("set")
    .description("make a workspace the active one")
    .argument("<name>", "the workspace's name")
    .action(async (name: string) => {
      await withClient({}, (client) => client.setActiveWorkspace(name));
      io.out(`Workspace '${name}' is now active.\n`);
    });

  workspace
    .command("delete")
    .description("delete a workspace and every secret in it")
    .argument("<name>", "the workspace's name")
    .option("-y, --yes", "do not ask for confirmation")
    .action(async (name: string, options: { yes?: boolean }) => {
      const { confirmDeletion } = await import("./interactive.js");
      await confirmDeletion(`Delete workspace '${name}' and every secret in it?`, options.yes);
      await withClient({}, (client) => client.deleteWorkspace(name));
      io.out(`Workspace '${name}' deleted.\n`);
    });

  return workspace;
}
