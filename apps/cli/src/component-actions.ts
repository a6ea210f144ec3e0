import type { Command } from "commander";
import { ZsError, type ComponentUpdate } from "@zs/core";
import { withClient, type CommonOptions } from "./client-session.js";
import { componentTable, renderComponent, renderComponentList } from "./component-output.js";
import type { ReadFormat } from "./formats.js";
import type { Io } from "./output.js";
import { splitOperands } from "./secret-input.js";
import { UsageError } from "./usage-error.js";
import { valuesFromArguments } from "./values-input.js";

export async function registerComponent(io: Io, options: CommonOptions & { type: string; flavor: string }, command: Command): Promise<void> {
  const { nameOrId: name, pairs } = splitOperands(command, "attribute");
  const configuration = await valuesFromArguments(pairs, "attribute");
  const registered = await withClient(options, (client) => client.registerComponent(name, { type: options.type, flavor: options.flavor, configuration }));
  io.out(`${componentTable(io, registered)}\nComponent '${registered.name}' registered.\n`);
}

export async function listComponents(io: Io, options: CommonOptions & { output: ReadFormat }): Promise<void> {
  const components = await withClient(options, (client) => client.listComponents());
  io.out(await renderComponentList(io, components, options.output));
}

export async function describeComponent(io: Io, name: string, options: CommonOptions & { output: ReadFormat }): Promise<void> {
  const component = await withClient(options, (client) => client.getComponent(name));
  io.out(await renderComponent(io, component, options.output));
}

/**
 * `--ATTR=VALUE` sets, `-r ATTR` removes (strictly, as `secret update -r` does: an attribute
 * the component lacks, or one also being set, is refused), `--type`/`--flavor` change those.
 */
export async function updateComponent(
  io: Io,
  options: CommonOptions & { type?: string; flavor?: string; removeAttributes: string[] },
  command: Command,
): Promise<void> {
  const { nameOrId: name, pairs } = splitOperands(command, "attribute");
  const set = await valuesFromArguments(pairs, "attribute");
  const remove = options.removeAttributes;
  if (Object.keys(set).length === 0 && remove.length === 0 && options.type === undefined && options.flavor === undefined) {
    throw new UsageError("Nothing to update: give --ATTR=VALUE, -r ATTR, --type or --flavor.");
  }
  const both = remove.find((attribute) => Object.hasOwn(set, attribute));
  if (both !== undefined) throw new ZsError("VALIDATION_ERROR", `Attribute '${both}' of component '${name}' cannot be both set and removed.`);
  const updated = await withClient(options, async (client) => {
    if (remove.length > 0) {
      const current = await client.getComponent(name);
      const absent = remove.find((attribute) => !Object.hasOwn(current.configuration, attribute));
      if (absent !== undefined) throw new ZsError("VALIDATION_ERROR", `Cannot remove attribute '${absent}' from component '${name}': no such attribute.`);
    }
    const configuration = { ...set, ...Object.fromEntries(remove.map((attribute) => [attribute, null])) };
    const update: ComponentUpdate = {
      ...(options.type !== undefined && { type: options.type }),
      ...(options.flavor !== undefined && { flavor: options.flavor }),
      ...(Object.keys(configuration).length > 0 && { configuration }),
    };
    return client.updateComponent(name, update);
  });
  io.out(`${componentTable(io, updated)}\nComponent '${updated.name}' updated.\n`);
}

export async function deleteComponent(io: Io, name: string, options: CommonOptions): Promise<void> {
  await withClient(options, (client) => client.deleteComponent(name));
  io.out(`Component '${name}' deleted.\n`);
}
