import { describe, expect, it } from "@jest/globals";
import { expectUsageError, uniqueName, useZsHarness } from "./support/zs-process.js";

/**
 * Sources `zs completion bash` in a bash child and calls its function as bash's programmable
 * completion would on TAB, once per line of `lines` (each the words typed, the last one being
 * completed); prints each COMPREPLY on one line, candidates separated by spaces.
 */
function bashCompletions(lines: readonly (readonly string[])[]): string {
  const quote = (word: string) => `'${word.replaceAll("'", "'\\''")}'`;
  const calls = lines.map((words) => `COMP_WORDS=(${words.map(quote).join(" ")}); COMP_CWORD=${words.length - 1}; _zs_completion; echo "\${COMPREPLY[*]}"`);
  return ['eval "$(zs completion bash)"', ...calls].join("\n");
}

describe("zs completion", () => {
  const zs = useZsHarness();

  it("bash: zs sec<TAB> completes to secret; subcommands, options, choices and secret names from the active store", async () => {
    const names = [uniqueName("db"), uniqueName("db"), uniqueName("api")];
    for (const name of names) await zs.addSecret(name, { k: "v" });
    await zs.addSecret(names[0]!, { k: "mine" }, "user");
    const workspace = uniqueName("ws");
    await zs.ok(["workspace", "create", workspace]);
    await zs.ok(["secret", "create", "only-there", "--workspace", workspace, "--k=v"]);
    const script = await zs.writeFile(
      "complete.bash",
      bashCompletions([
        ["zs", "sec"],
        ["zs", "secret", "ge"],
        ["zs", "secret", "get", ""],
        ["zs", "secret", "get", "db"],
        ["zs", "secret", "get", "--ke"],
        ["zs", "secret", "update", names[2]!, "-s", ""],
        ["zs", "run", "--secret", "ap"],
        ["zs", "secret", "get", "--workspace", workspace, ""],
        ["zs", "secret", "get", names[0]!, ""],
        ["zs", "run", "--", "e"],
        ["zs", "who"],
      ]),
    );
    const result = await zs.shell(`bash ${script}`);
    expect(result.stderr).toBe("");
    const dbNames = names.filter((name) => name.startsWith("db")).sort();
    expect(result.stdout.split("\n")).toEqual([
      "secret",
      "get",
      [...dbNames, names[2]!].sort().join(" "),
      dbNames.join(" "),
      "--key",
      "workspace user",
      names[2],
      "only-there",
      "",
      "",
      "whoami",
      "",
    ]);
  });

  it("bash: top-level completions are the commands of zs --help (the commander program, not a kept list), never the hidden __complete", async () => {
    const help = (await zs.ok(["--help"])).stdout;
    const commands = help
      .slice(help.indexOf("Commands:"))
      .split("\n")
      .slice(1)
      .map((line) => /^ {2}([a-z][\w-]*)(?:\|([\w-]+))?/.exec(line))
      .flatMap((match) => (match ? [match[1]!, ...(match[2] ? [match[2]] : [])] : []));
    expect(commands).toEqual(expect.arrayContaining(["secret", "completion", "status", "whoami", "login", "logout"]));
    const script = await zs.writeFile("top.bash", bashCompletions([["zs", ""]]));
    const offered = (await zs.shell(`bash ${script}`)).stdout.trim().split(" ");
    expect(offered.sort()).toEqual([...commands].sort());
    expect(help).not.toContain("__complete");
  });

  it("zsh and fish scripts pass their shells' syntax check and complete commands and secret names", async () => {
    const name = uniqueName("zf");
    await zs.addSecret(name, { k: "v" });
    await zs.shell("zs completion zsh > _zs && zs completion fish > zs.fish");
    expect(await zs.shell("zsh -n _zs && fish -n zs.fish")).toEqual({ code: 0, stdout: "", stderr: "" });
    // fish completes without a terminal: `complete -C` prints what TAB would offer.
    const fish = await zs.shell(`fish -c 'source zs.fish; complete -C "zs sec"; complete -C "zs secret get ${name.slice(0, 6)}"'`);
    expect(fish).toEqual({ code: 0, stdout: `secret\n${name}\n`, stderr: "" });
    // zsh's completion system needs a terminal; its widgets are stood in for by functions that print what they are given.
    const zsh = await zs.shell(
      `zsh -fc 'compdef() { :; }; compadd() { print -rl -- "\${@:3}"; }; _files() { print FILES; }; source ./_zs; ` +
        `words=(zs sec); CURRENT=2; _zs; words=(zs secret get ${name.slice(0, 6)}); CURRENT=4; _zs; words=(zs resolve ""); CURRENT=3; _zs'`,
    );
    expect(zsh).toEqual({ code: 0, stdout: `secret\n${name}\nFILES\n`, stderr: "" });
  });

  it("an unknown shell is a usage error; __complete prints nothing, and no error, when the store cannot answer", async () => {
    expectUsageError(await zs.run(["completion", "powershell"]), "'powershell' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish.");
    expectUsageError(await zs.run(["completion"]), "missing required argument 'shell'");
    expect(await zs.run(["__complete", "--", "secret", "get", ""], { env: { ZS_WORKSPACE: "no-such-ws" } })).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(await zs.run(["__complete", "--", "secret", "get", ""], { env: { ZS_API_KEY: "zs_key-without-url" } })).toEqual({ code: 0, stdout: "", stderr: "" });
  });
});
