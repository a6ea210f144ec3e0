import { parse, stringify } from "yaml";

// Commands import this module only when they read or write YAML, so the YAML library stays out
// of every other command's start-up. (Imported statically here: a dynamic import of the
// CommonJS package itself would yield only its `default` export once bundled.)

/** YAML text of a wire object. */
export function toYaml(value: unknown): string {
  return stringify(value);
}

/** Parses YAML with every scalar read as text, so `1.10` stays `1.10`; an empty document is `null`. */
export function parseYamlAsText(text: string): unknown {
  return parse(text, { schema: "failsafe" });
}
