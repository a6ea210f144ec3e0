import { ZsError, isValidKey, type SecretValues } from "@zs/core";
import { UsageError } from "./usage-error.js";

/**
 * `-i`: asks for key names and hidden values until an empty key. Needs a terminal; invalid
 * keys are refused right away and asked again.
 */
export async function askForValues(): Promise<SecretValues> {
  if (!process.stdin.isTTY) throw new UsageError("-i/--interactive needs a terminal.");
  const { input, password } = await import("@inquirer/prompts");
  const entries = new Map<string, string>();
  for (;;) {
    const key = await input({
      message: "Key (empty to finish):",
      validate: (text) =>
        text === "" || isValidKey(text) ? true : "Keys start with a letter or _, then letters, digits, _, - or .",
    });
    if (key === "") break;
    entries.set(key, await password({ message: `Value of ${key}:` }));
  }
  if (entries.size === 0) throw new ZsError("VALIDATION_ERROR", "No keys were entered.");
  return Object.fromEntries(entries);
}

/** Asks a yes/no question on the terminal; `false` when there is none to ask on. */
export async function confirm(message: string): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return false;
  const { confirm: ask } = await import("@inquirer/prompts");
  return ask({ message, default: false });
}

/**
 * Before deleting: nothing to ask with `-y`; otherwise asks on the terminal (declining fails
 * with "Not deleted."), and without a terminal refuses as a usage error.
 */
export async function confirmDeletion(question: string, yes: boolean | undefined): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY) throw new UsageError("Not deleting without confirmation: pass -y/--yes (there is no terminal to ask on).");
  if (!(await confirm(question))) throw new Error("Not deleted.");
}
