import { Command, Option } from "commander";
import { withClient, type CommonOptions } from "./client-session.js";
import { askHidden, passwordFrom, readCredentialFromStdin, type PasswordOptions } from "./credential-input.js";
import { UsageError } from "./usage-error.js";
import { READ_FORMATS, type ReadFormat } from "./formats.js";
import type { Io } from "./output.js";

const output = () => import("./output.js");
const outputOption = () => new Option("-o, --output <format>", "output format").choices(READ_FORMATS).default("table");

/** A new password: from standard input with --password-stdin, else asked twice, hidden, on the terminal. */
async function newPasswordFrom(options: { passwordStdin?: boolean }, prompt: string): Promise<string> {
  if (options.passwordStdin) return readCredentialFromStdin("--password-stdin");
  const missing = "No new password given and no terminal to ask for it on: pipe it in with --password-stdin.";
  const first = await askHidden(prompt, missing);
  if ((await askHidden("Again:", missing)) !== first) throw new UsageError("The two passwords differ; nothing changed.");
  return first;
}

/** `zs user list|create|update|password|delete` (on a server). */
export function userCommand(io: Io): Command {
  const user = new Command("user").description("manage the server's users (admins only)");
  user
    .command("list")
    .description("list users")
    .addOption(outputOption())
    .action(async (options: CommonOptions & { output: ReadFormat }) => {
      const users = await withClient({}, (client) => client.listUsers());
      io.out(await (await output()).renderUsers(io, users, options.output));
    });
  user
    .command("create")
    .description("create a user with a password: from --password-stdin or --password, else asked, hidden, on a terminal (never ZS_PASSWORD: that is your own)")
    .argument("<name>", "the user's name")
    .option("--admin", "make the user an admin")
    .option("--password <password>", "the new user's password (other users of this machine can see it in the process list: prefer --password-stdin)")
    .option("--password-stdin", "read the new user's password from standard input (one trailing newline is dropped)")
    .action(async (name: string, options: PasswordOptions & { admin?: boolean }) => {
      // ZS_PASSWORD is the caller's own password, never a new user's.
      const password = await passwordFrom(options, undefined, `Password for ${name}:`);
      await withClient({}, (client) => client.createUser(name, password, { isAdmin: options.admin ?? false }));
      io.out(`User '${name}' created.\n`);
    });
  user
    .command("update")
    .description("make a user an admin (--admin) or not (--no-admin); the last admin cannot be demoted")
    .argument("<name>", "the user's name")
    .option("--admin", "make the user an admin")
    .option("--no-admin", "make the user an ordinary user")
    .action(async (name: string, options: { admin?: boolean }) => {
      if (options.admin === undefined) throw new UsageError("Give --admin or --no-admin.");
      await withClient({}, (client) => client.setUserAdmin(name, options.admin!));
      io.out(`User '${name}' is ${options.admin ? "now an admin" : "no longer an admin"}.\n`);
    });
  user
    .command("password")
    .description(
      "change your password (asks the current one, or reads ZS_PASSWORD, then the new one), or as an admin set NAME's; " +
        "the user's other sessions are revoked",
    )
    .argument("[name]", "the user whose password an admin sets (default: your own)")
    .option("--password-stdin", "read the new password from standard input (one trailing newline is dropped)")
    .action(async (name: string | undefined, options: { passwordStdin?: boolean }) => {
      if (name === undefined) {
        const current = process.env.ZS_PASSWORD || (await askHidden("Current password:", "No current password given and no terminal to ask for it on: set ZS_PASSWORD."));
        const next = await newPasswordFrom(options, "New password:");
        await withClient({}, (client) => client.changePassword(current, next));
        io.out("Password changed; your other sessions are logged out.\n");
        return;
      }
      const next = await newPasswordFrom(options, `New password for ${name}:`);
      await withClient({}, (client) => client.setUserPassword(name, next));
      io.out(`Password of '${name}' set; their sessions are logged out.\n`);
    });
  user
    .command("delete")
    .description("delete a user; refused while they own secrets, unless --cascade")
    .argument("<name>", "the user's name")
    .option("--cascade", "also delete every secret the user owns")
    .option("-y, --yes", "do not ask for confirmation")
    .action(async (name: string, options: { cascade?: boolean; yes?: boolean }) => {
      const { confirmDeletion } = await import("./interactive.js");
      await confirmDeletion(`Delete user '${name}'${options.cascade ? " and every secret they own" : ""}?`, options.yes);
      await withClient({}, (client) => client.deleteUser(name, { cascade: options.cascade ?? false }));
      io.out(`User '${name}' deleted.\n`);
    });
  return user;
}

/** `zs api-key create|list|delete` (your own keys, on a server). */
export function apiKeyCommand(io: Io): Command {
  const apiKey = new Command("api-key").description("manage your API keys on the server");
  apiKey
    .command("create")
    .description("create an API key; it is shown only this once")
    .argument("<name>", "a name to recognise the key by")
    .option("--expires-in <duration>", "how long the key works: minutes, hours or days, e.g. 30m, 12h, 90d (default: until deleted)")
    .addOption(new Option("-o, --output <format>", "output format").choices(["text", "json", "yaml"]).default("text"))
    .action(async (name: string, options: { output: "text" | "json" | "yaml"; expiresIn?: string }) => {
      const created = await withClient({}, (client) => client.createApiKey(name, { expiresIn: options.expiresIn }));
      if (options.output !== "text") {
        const { serialize } = await output();
        const wire = { id: created.id, name: created.name, created: created.created, last_used: created.lastUsed, expires: created.expires, key: created.key };
        io.out(await serialize(wire, options.output));
        return;
      }
      const lifetime = created.expires ? `, expires ${created.expires}` : "";
      io.out(`API key '${name}' created (id ${created.id}${lifetime}). It is shown only this once:\n${created.key}\n`);
    });
  apiKey
    .command("list")
    .description("list your API keys (never the keys themselves)")
    .addOption(outputOption())
    .action(async (options: { output: ReadFormat }) => {
      const keys = await withClient({}, (client) => client.listApiKeys());
      io.out(await (await output()).renderApiKeys(io, keys, options.output));
    });
  apiKey
    .command("delete")
    .description("delete one of your API keys")
    .argument("<id>", "the key's id (see zs api-key list)")
    .action(async (id: string) => {
      await withClient({}, (client) => client.deleteApiKey(id));
      io.out(`API key '${id}' deleted.\n`);
    });
  return apiKey;
}
