import type { Client } from "@zs/client";

/** Options every command takes. */
export interface CommonOptions {
  /** Overrides the active workspace for this call. */
  workspace?: string;
}

/**
 * Opens a client for one command (imported only now, so `zs --help` and `zs --version` load
 * no store code), runs `work`, and always closes it.
 */
export async function withClient<T>(options: CommonOptions, work: (client: Client) => Promise<T>): Promise<T> {
  const { Client } = await import("@zs/client");
  const client = new Client(options.workspace ? { workspace: options.workspace } : {});
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}
