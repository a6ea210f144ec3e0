// `node --import ./record-loads.mjs …` with ZS_RECORD_LOADS=FILE: appends to FILE, one a
// line, every module the program loads: ES modules by URL (a loader hook, which also sees
// CommonJS files that ESM imports), CommonJS files and native addons by path (require()
// bypasses the loader hooks on Node 20, so Module.prototype.load is wrapped too).
import { appendFileSync } from "node:fs";
import Module, { register } from "node:module";

const file = process.env.ZS_RECORD_LOADS;
if (!file) throw new Error("record-loads.mjs needs ZS_RECORD_LOADS=FILE.");

register(new URL("./record-loads-hooks.mjs", import.meta.url), { data: { file } });

const load = Module.prototype.load;
Module.prototype.load = function recordedLoad(filename) {
  appendFileSync(file, `${filename}\n`);
  return load.call(this, filename);
};
