import { Command } from "commander";
import { withClient } from "./client-session.js";
import { passwordFrom, readCredentialFromStdin, type PasswordOptions } from "./credential-input.js";
import type { Io } from "./output.js";
import { UsageError } from "./usage-error.js";

/** Options of `zs connect`. */
interface ConnectOptions extends PasswordOptions {
  username?: string;
  apiKey?: string;
  apiKeyStdin?: boolean;
}

/**
 * The credentials `zs connect` logs in with. Every contradiction is refused before anything
 * is read: one key source, one stdin reader, a password only with a user name.
 */
async function connectCredentials(options: ConnectOptions): Promise<{ username: string; password: string } | { apiKey: string }> {
  const withApiKey = options.apiKey !== undefined || options.apiKeyStdin === true;
  const withPassword = options.password !== undefined || options.passwordStdin === true;
  if (options.apiKey !== undefined && options.apiKeyStdin) throw new UsageError("Give the API key with --api-key or with --api-key-stdin, not both.");
  if (options.passwordStdin && options.apiKeyStdin) throw new UsageError("Give --password-stdin or --api-key-stdin, not both: there is one standard input.");
  if (withApiKey && options.username !== undefined) throw new UsageError("Give either --username or --api-key, not both.");
  if (withApiKey && withPassword) throw new UsageError("A password goes with --username, not with an API key.");
  if (!withApiKey && options.username === undefined) throw new UsageError("Give --username (and a password) or --api-key (or --api-key-stdin).");
  if (withApiKey) return { apiKey: options.apiKey ?? (await readCredentialFromStdin("--api-key-stdin")) };
  return { username: options.username!, password: await passwordFrom(options, process.env, `Password of ${options.username}:`) };
}

/** `zs connect URL` and `zs disconnect` (aliases `login`, `logout`): remote mode on and off. */
export function connectionCommands(io: Io): Command[] {
  const connect = new Command("connect")
    .alias("login")
    .description("use a zs server from now on (saves the connection in a 0600 settings file)")
    .argument("<url>", "the server, e.g. http://127.0.0.1:8237")
    .option("--username <name>", "log in as this user; the password comes from --password-stdin, --password or ZS_PASSWORD, else it is asked, hidden, on a terminal")
    .option("--password <password>", "the user's password (other users of this machine can see it in the process list: prefer --password-stdin or ZS_PASSWORD)")
    .option("--password-stdin", "read the password from standard input (one trailing newline is dropped)")
    .option("--api-key <key>", "authenticate with an API key instead of a password (visible in the process list: prefer --api-key-stdin)")
    .option("--api-key-stdin", "read the API key from standard input (one trailing newline is dropped)")
    .action(async (url: string, options: ConnectOptions) => {
      const credentials = await connectCredentials(options);
      const user = await withClient({}, (client) => client.connect(url, credentials));
      io.out(`Connected to ${url.replace(/\/+$/, "")} as '${user.name}'.\n`);
    });

  const disconnect = new Command("disconnect")
    .alias("logout")
    .description("forget the saved server (its session is logged out) and go back to local mode")
    .action(async () => {
      const url = await withClient({}, (client) => client.disconnect());
      io.out(url ? `Disconnected from ${url}.\n` : "Not connected to a server; nothing to do.\n");
    });

  return [connect, disconnect];
}
