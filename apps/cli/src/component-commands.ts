import { Command } from "commander";
import { collect, outputOption, workspaceOption } from "./common-options.js";
import type { Io } from "./output.js";

// The work is loaded only when a command runs, so parsing and `--help` stay light.
const actions = () => import("./component-actions.js");

/** `zs component register|list|describe|update|delete`. */
export function componentCommand(io: Io): Command {
  const component = new Command("component").description("register, list, describe, change and delete components (typed bags of attributes)");

  component
    .command("register")
    .description("register a component: zs component register NAME --type TYPE --flavor FLAVOR --ATTR=VALUE ... (VALUE may hold {{secret.key}})")
    .argument("<name>", "the component's name")
    .requiredOption("--type <type>", "what it is, e.g. experiment-tracker")
    .requiredOption("--flavor <flavor>", "which one, e.g. mlflow")
    .addOption(workspaceOption())
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (_name: string, options, command: Command) => (await actions()).registerComponent(io, options, command));

  component
    .command("list")
    .description("list components: names, types, flavors and attribute names")
    .addOption(outputOption())
    .addOption(workspaceOption())
    .action(async (options) => (await actions()).listComponents(io, options));

  component
    .command("describe")
    .description("show a component with its attributes as stored (references are shown, never resolved)")
    .argument("<name>", "the component's name")
    .addOption(outputOption())
    .addOption(workspaceOption())
    .action(async (name: string, options) => (await actions()).describeComponent(io, name, options));

  component
    .command("update")
    .description("change a component: --ATTR=VALUE sets, -r ATTR removes, other attributes are kept")
    .argument("<name>", "the component's name")
    .option("--type <type>", "a new type")
    .option("--flavor <flavor>", "a new flavor")
    .option("-r, --remove-attributes <attr>", "remove this attribute (repeatable)", collect, [])
    .addOption(workspaceOption())
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (_name: string, options, command: Command) => (await actions()).updateComponent(io, options, command));

  component
    .command("delete")
    .description("delete a component (not while a stack holds it)")
    .argument("<name>", "the component's name")
    .addOption(workspaceOption())
    .action(async (name: string, options) => (await actions()).deleteComponent(io, name, options));

  return component;
}
