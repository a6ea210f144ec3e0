import { Command } from "commander";
import { withClient } from "./client-session.js";
import type { Io } from "./output.js";
import { UsageError } from "./usage-error.js";

/** A password from the option, else asked hidden on the terminal. */
export async function passwordFrom(option: string | undefined, prompt: string): Promise<string> {
  if (option !== undefined) return option;
  if (!process.stdin.isTTY) throw new UsageError("No terminal to ask for the password on: pass --password, or use --api-key.");
  const { password } = await import("@inquirer/prompts");
  return password({ message: prompt });
}

/** `zs connect URL` and `zs disconnect`: remote mode on and off. */
export function connectionCommands(io: Io): Command[] {
  const connect = new Command("connect")
    .description("use a zs server from now on (saves the connection in a 0600 settings file)")
    .argument("<url>", "the server, e.g. http://127.0.0.1:8237")
    .option("--username <name>", "log in as this user (the password is asked, hidden, if not given)")
    .option("--password <password>", "the user's password")
    .option("--api-key <key>", "authenticate with an API key instead of a password")
    .action(async (url: string, options: { username?: string; password?: string; apiKey?: string }) => {
      if (options.apiKey !== undefined && options.username !== undefined) throw new UsageError("Give either --username or --api-key, not both.");
      if (options.apiKey === undefined && options.username === undefined) throw new UsageError("Give --username (and a password) or --api-key.");
      const credentials =
        options.apiKey !== undefined
          ? { apiKey: options.apiKey }
          : { username: options.username!, password: await passwordFrom(options.password, `Password of ${options.username}:`) };
      const user = await withClient({}, (client) => client.connect(url, credentials));
      io.out(`Connected to ${url.replace(/\/+$/, "")} as '${user.name}'.\n`);
    });

  const disconnect = new Command("disconnect")
    .description("forget the saved server (its session is logged out) and go back to local mode")
    .action(async () => {
      const url = await withClient({}, (client) => client.disconnect());
      io.out(url ? `Disconnected from ${url}.\n` : "Not connected to a server; nothing to do.\n");
    });

  return [connect, disconnect];
}
