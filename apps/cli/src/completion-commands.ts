import { Argument, Command } from "commander";
import { withClient } from "./client-session.js";
import { completionSlot, matching, type CompletionSlot } from "./completion-candidates.js";
import { COMPLETION_SHELLS, completionScript, type CompletionShell } from "./completion-scripts.js";
import type { Io } from "./output.js";

/** Most names one completion lists (a page of the list API). */
const MAX_NAMES = 1000;

/** The names a slot stands for, from the active store when it asks for secrets or workspaces. */
async function slotWords(slot: CompletionSlot, current: string): Promise<string[]> {
  switch (slot.kind) {
    case "words":
      return slot.words;
    case "none":
      return [];
    case "workspace":
      return withClient({}, async (client) => (await client.listWorkspaces()).map((workspace) => workspace.name));
    case "secret":
      return withClient(slot.workspace === undefined ? {} : { workspace: slot.workspace }, async (client) => {
        const page = await client.listSecrets({ ...(current !== "" && { name: `startswith:${current}` }), sortBy: "name", size: MAX_NAMES });
        return page.items.map((secret) => secret.name);
      });
  }
}

/** `zs completion SHELL` and the hidden `zs __complete WORDS…` its scripts call; `program` is the whole `zs`. */
export function completionCommands(io: Io, program: () => Command): Command[] {
  const completion = new Command("completion")
    .description("print a completion script for bash, zsh or fish: commands, options and secret names (e.g. eval \"$(zs completion bash)\")")
    .addArgument(new Argument("<shell>", "the shell").choices(COMPLETION_SHELLS))
    .action((shell: CompletionShell) => io.out(completionScript(shell)));

  const complete = new Command("__complete")
    .description("list the completions of the words after `zs` (for the completion scripts)")
    .argument("[words...]", "the words typed after zs, the last one being completed")
    .helpOption(false)
    .action(async (words: string[]) => {
      const current = words.at(-1) ?? "";
      try {
        const candidates = matching(await slotWords(completionSlot(program(), words.length > 0 ? words : [""]), current), current);
        if (candidates.length > 0) io.out(`${candidates.join("\n")}\n`);
      } catch {
        // A completion never prints an error into the command line: no store, no server, no names.
      }
    });

  return [completion, complete];
}
