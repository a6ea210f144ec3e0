import { withClient, type CommonOptions } from "./client-session.js";
import { renderStackList, renderValidation, stackTable } from "./component-output.js";
import type { ReadFormat } from "./formats.js";
import { serialize, type Io } from "./output.js";
import { UsageError } from "./usage-error.js";

export async function registerStack(io: Io, name: string, options: CommonOptions & { component: string[] }): Promise<void> {
  if (options.component.length === 0) throw new UsageError("A stack needs at least one component: zs stack register NAME -c COMPONENT [-c COMPONENT ...].");
  const [stack, components] = await withClient(options, async (client) => [await client.registerStack(name, options.component), await client.listComponents()] as const);
  io.out(`${stackTable(io, stack, components)}\nStack '${stack.name}' registered.\n`);
}

export async function listStacks(io: Io, options: CommonOptions & { output: ReadFormat }): Promise<void> {
  const stacks = await withClient(options, (client) => client.listStacks());
  io.out(await renderStackList(io, stacks, options.output));
}

export async function describeStack(io: Io, name: string, options: CommonOptions & { output: ReadFormat }): Promise<void> {
  if (options.output !== "table") {
    io.out(await serialize(await withClient(options, (client) => client.getStack(name)), options.output));
    return;
  }
  const [stack, components] = await withClient(options, async (client) => [await client.getStack(name), await client.listComponents()] as const);
  io.out(stackTable(io, stack, components));
}

export async function deleteStack(io: Io, name: string, options: CommonOptions): Promise<void> {
  await withClient(options, (client) => client.deleteStack(name));
  io.out(`Stack '${name}' deleted.\n`);
}

/** Prints the result in any case; an invalid stack then fails (exit 1) suggesting `register-secrets`. */
export async function validateStack(io: Io, name: string, options: CommonOptions & { level?: string; output: ReadFormat }): Promise<void> {
  const validation = await withClient(options, (client) => client.validateStack(name, options.level));
  io.out(await renderValidation(io, name, validation, options.output));
  if (!validation.valid) {
    const count = validation.missing.length;
    const workspace = options.workspace ? ` --workspace ${options.workspace}` : "";
    throw new Error(
      `Stack '${name}' is not valid at level ${validation.level} (${count} missing reference${count === 1 ? "" : "s"}). Register them with: zs stack register-secrets ${name}${workspace}`,
    );
  }
}
