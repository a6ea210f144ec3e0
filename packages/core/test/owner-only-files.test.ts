import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { ensureOwnerOnlyDirectory, ensureOwnerOnlyFile, tightenToOwnerOnly } from "../src/index.js";

const mode = async (target: string) => ((await stat(target)).mode & 0o7777).toString(8);

describe("owner-only files and directories", () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "zs-owner-only-"));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it("ensureOwnerOnlyFile creates a missing file empty with mode 0600", async () => {
    const file = path.join(root, "zs.db");
    await ensureOwnerOnlyFile(file);
    expect(await mode(file)).toBe("600");
    expect(await readFile(file, "utf8")).toBe("");
  });

  it("ensureOwnerOnlyFile tightens an existing 0644 file to 0600 and leaves its contents as they were", async () => {
    const file = path.join(root, "zs.db");
    await writeFile(file, "contents");
    await chmod(file, 0o644);
    await ensureOwnerOnlyFile(file);
    expect(await mode(file)).toBe("600");
    expect(await readFile(file, "utf8")).toBe("contents");
  });

  it("ensureOwnerOnlyDirectory creates missing directories 0700 and tightens an existing 0755 one", async () => {
    const nested = path.join(root, "a", "b");
    await ensureOwnerOnlyDirectory(nested);
    expect([await mode(path.join(root, "a")), await mode(nested)]).toEqual(["700", "700"]);
    await chmod(nested, 0o755);
    await ensureOwnerOnlyDirectory(nested);
    expect(await mode(nested)).toBe("700");
  });

  it("tightenToOwnerOnly keeps the owner's bits, leaves an owner-only or missing path alone, and never touches a shared (sticky) directory", async () => {
    const file = path.join(root, "f");
    await writeFile(file, "");
    await chmod(file, 0o754);
    await tightenToOwnerOnly(file);
    expect(await mode(file)).toBe("700");
    await chmod(file, 0o400);
    await tightenToOwnerOnly(file);
    expect(await mode(file)).toBe("400");
    await expect(tightenToOwnerOnly(path.join(root, "missing"))).resolves.toBeUndefined();
    await chmod(root, 0o1777);
    await tightenToOwnerOnly(root);
    expect(await mode(root)).toBe("1777");
  });
});
