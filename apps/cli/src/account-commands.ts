import { Command, Option } from "commander";
import { withClient, type CommonOptions } from "./client-session.js";
import { passwordFrom, type PasswordOptions } from "./credential-input.js";
import { READ_FORMATS, type ReadFormat } from "./formats.js";
import type { Io } from "./output.js";

const output = () => import("./output.js");
const outputOption = () => new Option("-o, --output <format>", "output format").choices(READ_FORMATS).default("table");

/** `zs user list|create|delete` (admins, on a server). */
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
    .description("create a user with a password: from --password-stdin, --password or ZS_PASSWORD, else asked, hidden, on a terminal")
    .argument("<name>", "the user's name")
    .option("--admin", "make the user an admin")
    .option("--password <password>", "the new user's password (other users of this machine can see it in the process list: prefer --password-stdin)")
    .option("--password-stdin", "read the new user's password from standard input (one trailing newline is dropped)")
    .action(async (name: string, options: PasswordOptions & { admin?: boolean }) => {
      const password = await passwordFrom(options, process.env, `Password for ${name}:`);
      await withClient({}, (client) => client.createUser(name, password, { isAdmin: options.admin ?? false }));
      io.out(`User '${name}' created.\n`);
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
    .addOption(new Option("-o, --output <format>", "output format").choices(["text", "json", "yaml"]).default("text"))
    .action(async (name: string, options: { output: "text" | "json" | "yaml" }) => {
      const created = await withClient({}, (client) => client.createApiKey(name));
      if (options.output !== "text") {
        const { serialize } = await output();
        io.out(await serialize({ id: created.id, name: created.name, created: created.created, last_used: created.lastUsed, key: created.key }, options.output));
        return;
      }
      io.out(`API key '${name}' created (id ${created.id}). It is shown only this once:\n${created.key}\n`);
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
