import { describe, expect, it } from "@jest/globals";
import * as z from "zod";
import { defineImportSource, defineStore, openImportSource, silentLogger, type ImportSource } from "../src/index.js";
import { rejection } from "./support/thrown.js";

const schema = z.strictObject({ url: z.url(), token: z.string().min(1), prefix: z.string().default("zs/") });
const store = defineStore<z.infer<typeof schema>>({ apiVersion: 1, type: "kv", optionsSchema: schema, create: async () => Promise.reject(new Error("unused")) });
const opened: unknown[] = [];
const source = defineImportSource<z.infer<typeof schema>>({
  type: "kv",
  optionNames: ["url", "token"],
  open: async (options) => {
    opened.push(options);
    return {} as ImportSource;
  },
});
const context = { logger: silentLogger, configDir: process.cwd() };

describe("openImportSource", () => {
  it("validates the options with the store's schema and opens the source with them", async () => {
    await openImportSource(store, source, { url: "http://127.0.0.1:1", token: "t" }, context);
    expect(opened.at(-1)).toEqual({ url: "http://127.0.0.1:1", token: "t", prefix: "zs/" });
  });

  it("an option the source does not take is refused, listing the ones it does; even a store option (prefix)", async () => {
    const error = await rejection(openImportSource(store, source, { url: "http://x", token: "t", prefix: "p/", regoin: "x" }, context));
    expect(error).toMatchObject({ code: "VALIDATION_ERROR", message: "Unknown options for import from 'kv': 'prefix', 'regoin'. Allowed options: url, token." });
  });

  it("invalid or missing options: every problem listed, never the value given", async () => {
    const error = await rejection(openImportSource(store, source, { url: "not-a-url-secret" }, context));
    expect(error.message).toMatch(/^Invalid options for import from 'kv': url: .*; token: .*\. Allowed options: url, token\.$/);
    expect(error.message).not.toContain("not-a-url-secret");
  });
});
