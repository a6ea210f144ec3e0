import { describe, expect, it } from "@jest/globals";
import { distinctive, expectNoLeak } from "./support/import-fixtures.js";
import { expectError, expectUsageError, remoteHarness, uniqueName, useZsHarness, type WirePage, type WireSecret, type ZsResult } from "./support/zs-process.js";

// `zs secret import -f FILE` and the command's usage, against the local store (and once a server).

describe("zs secret import -f", () => {
  const zs = useZsHarness();
  const names = async () => (await zs.json<WirePage<WireSecret>>(["secret", "list", "--size", "1000"])).items.map((s) => s.name).sort();

  it("a .env file is one secret named by --name, each variable a key", async () => {
    const name = uniqueName("env");
    const V = { password: distinctive("env-pw"), quoted: `two words ${distinctive("env-q")}` };
    await zs.writeFile("app.env", `# app\nDB_PASSWORD=${V.password}\nexport QUOTED="${V.quoted}"\nEMPTY=\n`);
    const result = await zs.ok(["secret", "import", "-f", "app.env", "--name", name]);
    expect(result.stdout).toBe(`imported '${name}' as '${name}'\n1 imported, 0 skipped, 0 failed\n`);
    expect(await zs.values(name)).toEqual({ DB_PASSWORD: V.password, QUOTED: V.quoted, EMPTY: "" });
    expectNoLeak([result], Object.values(V));
  });

  it("a JSON map of maps is one secret per top-level key; non-string values become their JSON text, names are mapped", async () => {
    const p = uniqueName("json");
    const V = { user: distinctive("json-user"), token: distinctive("json-token") };
    await zs.writeFile("secrets.json", JSON.stringify({ [`${p}-db`]: { user: V.user, port: 5432, tls: true, opts: { pool: { max: 5 } } }, [`${p}/api.key`]: { token: V.token } }));
    const result = await zs.ok(["secret", "import", "-f", "secrets.json"]);
    expect(result.stdout.split("\n")).toEqual([`imported '${p}-db' as '${p}-db'`, `imported '${p}/api.key' as '${p}_api_key'`, "2 imported, 0 skipped, 0 failed", ""]);
    expect(await zs.values(`${p}-db`)).toEqual({ user: V.user, port: "5432", tls: "true", opts: '{"pool":{"max":5}}' });
    expect(await zs.values(`${p}_api_key`)).toEqual({ token: V.token });
    expectNoLeak([result], Object.values(V));
  });

  it("a YAML map of maps: scalars are kept as text (1.10 stays 1.10), nested maps become JSON text", async () => {
    const p = uniqueName("yaml");
    const secret = distinctive("yaml-pw");
    await zs.writeFile("secrets.yaml", `${p}-svc:\n  password: ${secret}\n  version: 1.10\n  enabled: yes\n  nested:\n    a: b\n`);
    await zs.ok(["secret", "import", "-f", "secrets.yaml"]);
    expect(await zs.values(`${p}-svc`)).toEqual({ password: secret, version: "1.10", enabled: "yes", nested: '{"a":"b"}' });
  });

  it("a flat map is one secret named by --name; without --name it is a usage error, and nothing is created", async () => {
    const name = uniqueName("flat");
    await zs.writeFile("flat.yml", "user: admin\nport: 5432\n");
    const before = await names();
    expectUsageError(await zs.run(["secret", "import", "-f", "flat.yml"]), "Error: 'flat.yml' is one flat map of keys and values: name the secret with --name.");
    expect(await names()).toEqual(before);
    await zs.ok(["secret", "import", "-f", "flat.yml", "--name", name]);
    expect(await zs.values(name)).toEqual({ user: "admin", port: "5432" });
  });

  it("--dry-run prints what each secret would become and creates nothing", async () => {
    const p = uniqueName("dry");
    await zs.addSecret(`${p}-taken`, { k: "v" });
    await zs.writeFile("dry.json", JSON.stringify({ [`${p}-new`]: { k: "v" }, [`${p}-taken`]: { k: "v" }, "café": { k: "v" } }));
    const before = await names();
    const result = await zs.ok(["secret", "import", "-f", "dry.json", "--dry-run"]);
    expect(result.stdout.split("\n")).toEqual([
      "fail: 'café': no secret name for it: it holds characters a secret name cannot (A-Z a-z 0-9 _ -) and that have no stand-in: U+00E9",
      `import '${p}-new' as '${p}-new'`,
      `skip: '${p}-taken': a secret named '${p}-taken' already exists in workspace 'default'`,
      "Dry run: 1 to import, 1 to skip, 1 to fail; nothing was changed.",
      "",
    ]);
    expect(await names()).toEqual(before);
  });

  it("a name that is taken is reported and skipped, its secret unchanged; --rename-prefix imports it renamed", async () => {
    const name = uniqueName("clash");
    const original = distinctive("original");
    const incoming = distinctive("incoming");
    await zs.addSecret(name, { password: original });
    await zs.writeFile("clash.json", JSON.stringify({ [name]: { password: incoming } }));
    const skipped = await zs.ok(["secret", "import", "-f", "clash.json"]);
    expect(skipped.stdout).toBe("0 imported, 1 skipped, 0 failed\n");
    expect(skipped.stderr).toBe(`skipped: '${name}': a secret named '${name}' already exists in workspace 'default'\n`);
    expect(await zs.values(name)).toEqual({ password: original });

    const renamed = await zs.ok(["secret", "import", "-f", "clash.json", "--rename-prefix", "legacy-"]);
    expect(renamed.stdout).toBe(`imported '${name}' as 'legacy-${name}' (renamed: '${name}' is taken)\n1 imported, 0 skipped, 0 failed\n`);
    expect(await zs.values(name)).toEqual({ password: original });
    expect(await zs.values(`legacy-${name}`)).toEqual({ password: incoming });
    expectNoLeak([skipped, renamed], [original, incoming]);
  });

  it("a secret that cannot be imported fails alone: listed on stderr, counted, exit 1; the others are imported", async () => {
    const p = uniqueName("partial");
    const V = { good: distinctive("good"), badKey: distinctive("bad-key") };
    await zs.writeFile("partial.json", JSON.stringify({ [`${p}-good`]: { k: V.good }, [`${p}-bad`]: { "1st": V.badKey }, [`${p}-empty`]: {} }));
    const result = await zs.run(["secret", "import", "-f", "partial.json"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(`imported '${p}-good' as '${p}-good'\n1 imported, 0 skipped, 2 failed\n`);
    expect(result.stderr).toBe(
      `failed: '${p}-bad': key '1st' cannot be zs keys (a key starts with a letter or '_', then letters, digits, '_', '-' or '.')\n` +
        `failed: '${p}-empty': an empty object: no keys to import\n` +
        "Error: 2 secrets failed; nothing else was changed for them.\n",
    );
    expect(await zs.values(`${p}-good`)).toEqual({ k: V.good });
    expectNoLeak([result], Object.values(V));
  });

  it("--workspace imports into that workspace; an unknown one is an error and nothing is created", async () => {
    const workspace = uniqueName("ws");
    const name = uniqueName("in-ws");
    await zs.ok(["workspace", "create", workspace]);
    await zs.writeFile("ws.json", JSON.stringify({ [name]: { k: "v" } }));
    await zs.ok(["secret", "import", "-f", "ws.json", "--workspace", workspace]);
    expect(await zs.values(name, "--workspace", workspace)).toEqual({ k: "v" });
    expect(await names()).not.toContain(name);
    expectError(await zs.run(["secret", "import", "-f", "ws.json", "--workspace", "no-such-ws"]), "No workspace named 'no-such-ws'.");
  });

  describe("bad input: a clear error, exit non-zero, nothing created, no value echoed", () => {
    const F = { json: distinctive("bad-json"), yaml: distinctive("bad-yaml"), token: distinctive("token") };
    const cases: [string, string[], (result: ZsResult) => void, Record<string, string>?][] = [
      ["neither --from nor -f", [], (r) => expectUsageError(r, "Error: Give --from TYPE (aws, gcp, azure or vault) or -f FILE.")],
      ["both --from and -f", ["--from", "aws", "-f", "x.json"], (r) => expectUsageError(r, "Error: Give --from or -f/--file, not both.")],
      ["an unknown --from", ["--from", "s3"], (r) => expectUsageError(r, "Error: --from must be aws, gcp, azure, vault; not 's3'.")],
      [
        "an unknown --option",
        ["--from", "vault", "--option", "vault_adr=http://127.0.0.1:1", "--option", `vault_token=${F.token}`],
        (r) => expectError(r, "Unknown option for import from 'vault': 'vault_adr'. Allowed options: vault_addr, vault_token, vault_namespace, mount_point."),
      ],
      [
        "an invalid --option",
        ["--from", "azure", "--option", "vault_url=http://vault.example", "--option", `client_secret=${F.token}`],
        (r) => {
          expect(r.code).toBe(1);
          expect(r.stderr).toMatch(/^Error: Invalid options for import from 'azure': vault_url: must be an https:\/\/ URL; .*Allowed options: vault_url, /);
        },
      ],
      [
        "an --option without =",
        ["--from", "vault", "--option", F.token],
        (r) => expectError(r, "--option takes NAME=VALUE, e.g. --option region=eu-west-1 (the value given is not shown: it may be a credential)."),
      ],
      ["--option with a file", ["-f", "x.json", "--option", "region=x"], (r) => expectUsageError(r, "Error: --option configures a --from source; a file takes none.")],
      ["a .env file without --name", ["-f", "app.env"], (r) => expectUsageError(r, "Error: A .env file holds one secret: name it with --name.")],
      ["a file that is not there", ["-f", "missing.json"], (r) => expectError(r, "Cannot read 'missing.json': no such file.")],
      ["a file of another format", ["-f", "secrets.txt"], (r) => expectUsageError(r, "Error: Cannot tell the format of 'secrets.txt' from its name: import reads .env, .json, .yaml and .yml files.")],
      ["malformed JSON", ["-f", "bad.json"], (r) => expectError(r, "'bad.json' is not valid JSON (line 3, column 3).")],
      ["malformed YAML", ["-f", "bad.yaml"], (r) => expectError(r, "'bad.yaml' is not valid YAML (line 3, column 3).")],
      ["JSON that is not a map", ["-f", "list.json"], (r) => expectError(r, "'list.json' must be a mapping: of secret names to maps of keys and values, or of keys to values (one secret).")],
      ["a map that mixes secrets and values", ["-f", "mixed.json"], (r) => expectError(r, "'mixed.json' mixes maps (one secret each: 'db') with plain values ('token'); it must hold one or the other.")],
      ["--name with a map of maps", ["-f", "list-ok.json", "--name", "x"], (r) => expectUsageError(r, "--name is only for a .env file or a flat map.")],
      ["a --rename-prefix no name can start with", ["-f", "list-ok.json", "--rename-prefix", "old."], (r) => expectUsageError(r, "Error: --rename-prefix starts secret names")],
    ];

    it.each(cases)("%s", async (_what, args, check) => {
      await zs.writeFile("bad.json", `{\n  "db": { "password": "${F.json}" }\n  "x": 1 }`);
      await zs.writeFile("bad.yaml", `db:\n  password: [${F.yaml}\n  user: x\n`);
      await zs.writeFile("list.json", JSON.stringify([{ password: F.json }]));
      await zs.writeFile("mixed.json", JSON.stringify({ db: { password: F.json }, token: F.token }));
      await zs.writeFile("list-ok.json", JSON.stringify({ db: { password: F.json } }));
      await zs.writeFile("secrets.txt", `password=${F.token}`);
      await zs.writeFile("app.env", `PASSWORD=${F.token}\n`);
      const before = await names();
      const result = await zs.run(["secret", "import", ...args]);
      check(result);
      expect(await names()).toEqual(before);
      expectNoLeak([result], Object.values(F));
    });
  });
});

describe("zs secret import -f against a server", () => {
  const zs = useZsHarness(remoteHarness);

  it("reads the file in the CLI and creates each secret through the server", async () => {
    const p = uniqueName("remote");
    await zs.writeFile("remote.json", JSON.stringify({ [`${p}-a`]: { k: "1" }, [`${p}-b`]: { k: "2" } }));
    expect((await zs.ok(["secret", "import", "-f", "remote.json"])).stdout).toMatch(/^2 imported, 0 skipped, 0 failed$/m);
    expect(await zs.values(`${p}-b`)).toEqual({ k: "2" });
    const again = await zs.ok(["secret", "import", "-f", "remote.json"]);
    expect(again.stdout).toBe("0 imported, 2 skipped, 0 failed\n");
  });
});
