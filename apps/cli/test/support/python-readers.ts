import { execFile } from "node:child_process";
import { promisify } from "node:util";

// Debian's python3-dotenv and python3-yaml (.ci/run installs them): the system interpreter, not
// another python3 that may come first on PATH without them.
const PYTHON = "/usr/bin/python3";
const READ_BACK = `
import json, sys
path, reader = sys.argv[1], sys.argv[2]
if reader == "python-dotenv":
    from dotenv import dotenv_values
    data = dotenv_values(path)
else:
    import yaml
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f)
def plain(node):
    if isinstance(node, dict):
        return {k if isinstance(k, str) else repr(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    return node if isinstance(node, str) else repr(node)
print(json.dumps(plain(data)))
`;

/** What a Python reader (python-dotenv's `dotenv_values`, PyYAML's `safe_load`) reads from `file`; a key or value that is no string shown as its repr. */
export async function readWithPython(file: string, reader: "python-dotenv" | "pyyaml"): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)(PYTHON, ["-c", READ_BACK, file, reader], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout) as Record<string, unknown>;
}
