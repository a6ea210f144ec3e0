import type { Component, ReferenceValidation, Stack } from "@zs/client";
import type { ReadFormat } from "./formats.js";
import { serialize, table, type Io } from "./output.js";

/**
 * A component as a table: its metadata, then ATTRIBUTE / VALUE rows exactly as stored —
 * references such as `{{db.password}}` are shown, never resolved.
 */
export function componentTable(io: Io, component: Component): string {
  const about = table(io, ["NAME", "ID", "TYPE", "FLAVOR", "WORKSPACE", "UPDATED"], [
    [component.name, component.id, component.type, component.flavor, component.workspace, component.updated],
  ]);
  const attributes = Object.keys(component.configuration).sort();
  if (attributes.length === 0) return `${about}\nNo attributes.\n`;
  return `${about}\n${table(io, ["ATTRIBUTE", "VALUE"], attributes.map((attribute) => [attribute, component.configuration[attribute]!]))}`;
}

/** `component describe`: the table, or the HTTP API's JSON / YAML (references verbatim either way). */
export async function renderComponent(io: Io, component: Component, format: ReadFormat): Promise<string> {
  return format === "table" ? componentTable(io, component) : serialize(component, format);
}

/** `component list`: NAME, TYPE, FLAVOR, ATTRIBUTES (names only), UPDATED. */
export async function renderComponentList(io: Io, components: Component[], format: ReadFormat): Promise<string> {
  if (format !== "table") return serialize(components, format);
  if (components.length === 0) return "No components found.\n";
  const rows = components.map((c) => [c.name, c.type, c.flavor, Object.keys(c.configuration).sort().join(", "), c.updated]);
  return table(io, ["NAME", "TYPE", "FLAVOR", "ATTRIBUTES", "UPDATED"], rows);
}

/**
 * A stack as a table: its metadata, then its components in order with their type, flavor
 * and attribute names (`components`: the workspace's, to look them up in).
 */
export function stackTable(io: Io, stack: Stack, components: readonly Component[]): string {
  const about = table(io, ["NAME", "ID", "WORKSPACE", "UPDATED"], [[stack.name, stack.id, stack.workspace, stack.updated]]);
  const rows = stack.components.map((name) => {
    const component = components.find((c) => c.name === name);
    return [name, component?.type ?? "", component?.flavor ?? "", component ? Object.keys(component.configuration).sort().join(", ") : ""];
  });
  return `${about}\n${table(io, ["COMPONENT", "TYPE", "FLAVOR", "ATTRIBUTES"], rows)}`;
}

/** `stack list`: NAME, COMPONENTS, UPDATED. */
export async function renderStackList(io: Io, stacks: Stack[], format: ReadFormat): Promise<string> {
  if (format !== "table") return serialize(stacks, format);
  if (stacks.length === 0) return "No stacks found.\n";
  return table(io, ["NAME", "COMPONENTS", "UPDATED"], stacks.map((s) => [s.name, s.components.join(", "), s.updated]));
}

/**
 * `stack validate`: "Stack 'S' is valid …", or every missing reference as REFERENCE /
 * COMPONENT / ATTRIBUTE / PROBLEM rows; JSON and YAML are the HTTP API's validation result.
 */
export async function renderValidation(io: Io, stack: string, validation: ReferenceValidation, format: ReadFormat): Promise<string> {
  if (format !== "table") return serialize(validation, format);
  if (validation.valid) {
    const checked = validation.level === "NONE" ? "level NONE: references are not checked" : `level ${validation.level}`;
    return `Stack '${stack}' is valid (${checked}).\n`;
  }
  const rows = validation.missing.map((m) => [
    `${m.secret}.${m.key}`,
    m.component ?? "",
    m.attribute,
    m.problem === "secret_missing" ? `no secret '${m.secret}'` : `secret '${m.secret}' has no key '${m.key}'`,
  ]);
  return table(io, ["REFERENCE", "COMPONENT", "ATTRIBUTE", "PROBLEM"], rows);
}
