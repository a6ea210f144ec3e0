import type { Command, Option } from "commander";

/** What the word being completed is, worked out from the commander program (never a hand-kept list). */
export type CompletionSlot =
  /** Fixed words: subcommands, options, an option's choices. */
  | { kind: "words"; words: string[] }
  /** A secret's name, in `workspace` when one was given on the line. */
  | { kind: "secret"; workspace?: string }
  /** A workspace's name. */
  | { kind: "workspace" }
  /** Nothing zs knows of (a file, a new name, a value): the shell's own completion. */
  | { kind: "none" };

/** Options that name a secret, by long flag: their values complete to secret names. */
const SECRET_VALUED_OPTIONS = new Set(["--secret"]);

function findOption(command: Command, flag: string): Option | undefined {
  return command.options.find((option) => option.long === flag || option.short === flag);
}

function takesValue(option: Option): boolean {
  return option.required || option.optional;
}

function subcommand(command: Command, word: string): Command | undefined {
  return command.commands.find((sub) => sub.name() === word || sub.aliases().includes(word));
}

/** The slot for an option's value. */
function optionValueSlot(option: Option, workspace: string | undefined): CompletionSlot {
  if (option.argChoices) return { kind: "words", words: option.argChoices };
  if (option.long === "--workspace") return { kind: "workspace" };
  if (option.long !== undefined && SECRET_VALUED_OPTIONS.has(option.long)) return { kind: "secret", ...(workspace !== undefined && { workspace }) };
  return { kind: "none" };
}

/**
 * What `words` (typed after `zs`; the last is the one being completed, maybe empty) ask for:
 * walks `program`'s commands and options as commander would parse them.
 */
export function completionSlot(program: Command, words: readonly string[]): CompletionSlot {
  const typed = words.slice(0, -1);
  const current = words.at(-1) ?? "";
  let command = program;
  let operands = 0;
  let workspace: string | undefined;
  let pending: Option | undefined;
  for (let i = 0; i < typed.length; i++) {
    const word = typed[i]!;
    // `zs run … -- CMD`: the rest belongs to another program.
    if (word === "--") return { kind: "none" };
    if (word.startsWith("-") && word !== "-") {
      const [flag = word, inline] = word.split(/=(.*)/s);
      const option = findOption(command, flag);
      if (option && takesValue(option) && inline === undefined) {
        if (i + 1 === typed.length) pending = option;
        else if (option.long === "--workspace") workspace = typed[i + 1];
        i++;
      } else if (option?.long === "--workspace" && inline !== undefined) {
        workspace = inline;
      }
      continue;
    }
    const sub = operands === 0 ? subcommand(command, word) : undefined;
    if (sub) command = sub;
    else operands++;
  }
  if (pending) return optionValueSlot(pending, workspace);
  const help = command.createHelp();
  if (current.startsWith("-")) {
    const flags = help.visibleOptions(command).flatMap((option) => [option.long, option.short]);
    return { kind: "words", words: flags.filter((flag): flag is string => flag !== undefined) };
  }
  if (command.commands.length > 0) {
    return { kind: "words", words: help.visibleCommands(command).flatMap((sub) => [sub.name(), ...sub.aliases()]) };
  }
  const argument = command.registeredArguments[operands];
  if (argument?.name() === "name-or-id" && command.parent?.name() === "secret") return { kind: "secret", ...(workspace !== undefined && { workspace }) };
  return { kind: "none" };
}

/** The candidates among `words` that start with `current`, each once. */
export function matching(words: readonly string[], current: string): string[] {
  return [...new Set(words.filter((word) => word.startsWith(current)))];
}
