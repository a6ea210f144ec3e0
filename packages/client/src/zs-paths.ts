import os from "node:os";
import path from "node:path";
import { xdgDataHome } from "@zs/core";

type Env = Record<string, string | undefined>;

/** Where local mode keeps its database and key: `$ZS_HOME`, else `<XDG data dir>/zs`. */
export function zsHome(env: Env): string {
  return path.resolve(env.ZS_HOME || path.join(xdgDataHome(env), "zs"));
}

/** Where the client keeps its settings (active workspace, saved connection): `<XDG config dir>/zs`. */
export function zsConfigDir(env: Env): string {
  return path.resolve(env.XDG_CONFIG_HOME || path.join(os.homedir(), ".config"), "zs");
}
