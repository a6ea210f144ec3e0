import { randomUUID } from "node:crypto";
import type { Caller } from "../accounts/caller.js";
import type { ComponentRepository, ComponentTransaction } from "./component-repository.js";
import {
  componentCreateSchema,
  componentLookupSchema,
  componentUpdateSchema,
  type Component,
  type ComponentCreate,
  type ComponentLookup,
  type ComponentUpdate,
} from "./component-schema.js";
import { ZsError } from "../errors.js";
import { mergeValues } from "../secrets/merge.js";
import { nameSchema } from "../names.js";
import { assertReferenceLimit, assertTextLimit, countReferences } from "../references/reference-limit.js";
import { assertWellFormedReferences } from "../references/reference-parser.js";
import type { ReferenceSecrets } from "../references/reference-lookup.js";
import { ReferenceResolver, settledInOrder } from "../references/reference-resolver.js";
import { componentSites, parseValidationLevel, validateReferences, type ReferenceValidation } from "../references/reference-validation.js";
import type { RunRequest } from "../references/run-environment.js";
import { resolveRunEnvironment, type RunSources } from "../references/run-environment-resolution.js";
import { stackCreateSchema, type Stack, type StackCreate } from "./stack-schema.js";
import { parseInput } from "../validation.js";

function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

function notFound(kind: "component" | "stack", name: string, workspace: string): ZsError {
  return new ZsError("NOT_FOUND", `No ${kind} named '${name}' in workspace '${workspace}'.`, { kind, name, workspace });
}

function assertConfigurationReferences(component: string, configuration: Readonly<Record<string, string | null>>): void {
  for (const [attribute, value] of Object.entries(configuration)) {
    if (value !== null) assertWellFormedReferences(value, `Attribute '${attribute}' of component '${component}'`);
  }
}

/**
 * Components, stacks and the references in them (references.md): stored verbatim, validated
 * at a level reading metadata only, resolved only on request with each secret read once.
 * Secrets are reached through `SecretsService` alone, so lookup, scope privacy and
 * `SECRETS_STORE_DISABLED` are the secrets' own rules.
 */
export class ComponentsService {
  constructor(
    private readonly repository: ComponentRepository,
    private readonly secrets: ReferenceSecrets,
  ) {}

  /** Registers a component; a malformed reference in an attribute is `INVALID_REFERENCE` naming it. */
  async registerComponent(caller: Caller, input: ComponentCreate): Promise<Component> {
    const request = parseInput(componentCreateSchema, input, "component");
    const configuration = request.configuration ?? {};
    assertConfigurationReferences(request.name, configuration);
    const workspaceName = request.workspace ?? caller.workspace;
    return this.repository.transaction(async (tx) => {
      const workspace = await this.requireWorkspace(tx, workspaceName);
      const now = Date.now();
      const { name, type, flavor } = request;
      const row = { id: randomUUID(), name, type, flavor, configuration, workspaceId: workspace.id, ownerId: caller.userId, created: now, updated: now };
      if ((await tx.insertComponent(row)) === "exists") {
        throw new ZsError("COMPONENT_EXISTS", `A component named '${name}' already exists in workspace '${workspaceName}'.`);
      }
      return { id: row.id, name, type, flavor, workspace: workspaceName, user: caller.userName, configuration, created: toIso(now), updated: toIso(now) };
    });
  }

  /** A component as stored: references verbatim, nothing resolved. */
  async getComponent(caller: Caller, name: string, lookup: ComponentLookup = {}): Promise<Component> {
    const workspace = this.workspaceOf(caller, lookup);
    const component = await this.repository.findComponent(workspace, parseInput(nameSchema, name, "component name"));
    if (!component) throw notFound("component", name, workspace);
    return component;
  }

  /** A workspace's components by name, references verbatim. */
  async listComponents(caller: Caller, lookup: ComponentLookup = {}): Promise<Component[]> {
    const workspace = this.workspaceOf(caller, lookup);
    const components = await this.repository.listComponents(workspace);
    if (components.length === 0) await this.repository.transaction((tx) => this.requireWorkspace(tx, workspace));
    return components;
  }

  /** Changes type/flavor and merges the configuration (`null` removes an attribute) under a row lock. */
  async updateComponent(caller: Caller, name: string, input: ComponentUpdate, lookup: ComponentLookup = {}): Promise<Component> {
    const workspace = this.workspaceOf(caller, lookup);
    parseInput(nameSchema, name, "component name");
    const update = parseInput(componentUpdateSchema, input, "component update");
    if (update.type === undefined && update.flavor === undefined && update.configuration === undefined) {
      throw new ZsError("VALIDATION_ERROR", "Nothing to update: give a type, a flavor or configuration attributes.");
    }
    if (update.configuration) assertConfigurationReferences(name, update.configuration);
    return this.repository.transaction(async (tx) => {
      const current = await tx.lockComponent(workspace, name);
      if (!current) throw notFound("component", name, workspace);
      const changes = {
        type: update.type ?? current.type,
        flavor: update.flavor ?? current.flavor,
        configuration: update.configuration ? mergeValues(current.configuration, update.configuration) : current.configuration,
        updated: Math.max(Date.now(), Date.parse(current.updated) + 1),
      };
      await tx.updateComponent(current.id, changes);
      return { ...current, ...changes, updated: toIso(changes.updated) };
    });
  }

  /** Deletes a component; refused with `COMPONENT_IN_USE` naming the stacks that hold it. */
  async deleteComponent(caller: Caller, name: string, lookup: ComponentLookup = {}): Promise<void> {
    const workspace = this.workspaceOf(caller, lookup);
    parseInput(nameSchema, name, "component name");
    await this.repository.transaction(async (tx) => {
      const component = await tx.lockComponent(workspace, name);
      if (!component) throw notFound("component", name, workspace);
      const stacks = await tx.stacksUsing(component.id);
      if (stacks.length > 0) {
        throw new ZsError(
          "COMPONENT_IN_USE",
          `Component '${name}' is in stack${stacks.length === 1 ? "" : "s"} ${stacks.map((s) => `'${s}'`).join(", ")}; delete ${stacks.length === 1 ? "that stack" : "those stacks"} first.`,
          { stacks },
        );
      }
      await tx.deleteComponent(component.id);
    });
  }

  /** Registers a stack of existing components of its workspace, in the order given. */
  async registerStack(caller: Caller, input: StackCreate): Promise<Stack> {
    const request = parseInput(stackCreateSchema, input, "stack");
    const workspaceName = request.workspace ?? caller.workspace;
    return this.repository.transaction(async (tx) => {
      const workspace = await this.requireWorkspace(tx, workspaceName);
      const ids = await tx.holdComponents(workspace.id, request.components);
      const unknown = request.components.filter((name) => !ids.has(name));
      if (unknown.length > 0) {
        throw new ZsError(
          "NOT_FOUND",
          `No component${unknown.length === 1 ? "" : "s"} named ${unknown.map((n) => `'${n}'`).join(", ")} in workspace '${workspaceName}'; register ${unknown.length === 1 ? "it" : "them"} first.`,
          { kind: "component", names: unknown, workspace: workspaceName },
        );
      }
      const now = Date.now();
      const row = { id: randomUUID(), name: request.name, workspaceId: workspace.id, ownerId: caller.userId, created: now, updated: now };
      if ((await tx.insertStack(row, request.components.map((name) => ids.get(name)!))) === "exists") {
        throw new ZsError("STACK_EXISTS", `A stack named '${request.name}' already exists in workspace '${workspaceName}'.`);
      }
      return { id: row.id, name: row.name, workspace: workspaceName, user: caller.userName, components: request.components, created: toIso(now), updated: toIso(now) };
    });
  }

  async getStack(caller: Caller, name: string, lookup: ComponentLookup = {}): Promise<Stack> {
    const workspace = this.workspaceOf(caller, lookup);
    const stack = await this.repository.findStack(workspace, parseInput(nameSchema, name, "stack name"));
    if (!stack) throw notFound("stack", name, workspace);
    return stack;
  }

  /** A workspace's stacks by name, with their components' names. */
  async listStacks(caller: Caller, lookup: ComponentLookup = {}): Promise<Stack[]> {
    const workspace = this.workspaceOf(caller, lookup);
    const stacks = await this.repository.listStacks(workspace);
    if (stacks.length === 0) await this.repository.transaction((tx) => this.requireWorkspace(tx, workspace));
    return stacks;
  }

  /** Deletes a stack; its components stay. */
  async deleteStack(caller: Caller, name: string, lookup: ComponentLookup = {}): Promise<void> {
    const workspace = this.workspaceOf(caller, lookup);
    parseInput(nameSchema, name, "stack name");
    await this.repository.transaction(async (tx) => {
      const stack = await tx.findStack(workspace, name);
      if (!stack) throw notFound("stack", name, workspace);
      await tx.deleteStack(stack.id);
    });
  }

  /**
   * Checks every reference of the stack's components at `level` (`NONE`, `SECRET_EXISTS`,
   * `SECRET_AND_KEY_EXISTS`), listing every missing one at once. Reads no secret value.
   */
  async validateStack(caller: Caller, name: string, level: string, lookup: ComponentLookup = {}): Promise<ReferenceValidation> {
    const parsedLevel = parseValidationLevel(level);
    const { stack, components } = await this.stackWithComponents(caller, name, lookup);
    return validateReferences(this.secrets, caller, stack.workspace, components.flatMap(componentSites), parsedLevel);
  }

  /** Like `validateStack`, for one component. */
  async validateComponent(caller: Caller, name: string, level: string, lookup: ComponentLookup = {}): Promise<ReferenceValidation> {
    const parsedLevel = parseValidationLevel(level);
    const component = await this.getComponent(caller, name, lookup);
    return validateReferences(this.secrets, caller, component.workspace, componentSites(component), parsedLevel);
  }

  /** `text` with its references resolved for `caller` (`\{{` is a literal `{{`); nothing is stored. */
  async resolve(caller: Caller, text: string, lookup: ComponentLookup = {}): Promise<string> {
    if (typeof text !== "string") throw new ZsError("VALIDATION_ERROR", "Only a string can be resolved.");
    const [resolved] = await this.resolveTexts(caller, [text], lookup);
    return resolved!;
  }

  /**
   * Several texts resolved in one resolution, so a secret referenced by several is read once.
   * A failure names where the reference sits: "the text" when there is one, else "text N".
   */
  async resolveTexts(caller: Caller, texts: readonly string[], lookup: ComponentLookup = {}): Promise<string[]> {
    if (!Array.isArray(texts) || texts.some((text) => typeof text !== "string")) throw new ZsError("VALIDATION_ERROR", "Only strings can be resolved.");
    assertTextLimit(texts.length);
    assertReferenceLimit(countReferences(texts), texts.length === 1 ? "the text" : "the request");
    const resolver = new ReferenceResolver(this.secrets, caller, this.workspaceOf(caller, lookup));
    return settledInOrder(texts.map((text, i) => resolver.render(text, texts.length === 1 ? "the text" : `text ${i + 1}`)));
  }

  /** The component with its configuration resolved; each secret is read once. */
  async resolveComponent(caller: Caller, name: string, lookup: ComponentLookup = {}): Promise<Component> {
    const component = await this.getComponent(caller, name, lookup);
    assertReferenceLimit(countReferences(Object.values(component.configuration)), `component '${component.name}'`);
    const resolver = new ReferenceResolver(this.secrets, caller, component.workspace);
    return resolver.renderComponent(component);
  }

  /** The stack's components, in order, with their configurations resolved; each secret is read once. */
  async resolveStack(caller: Caller, name: string, lookup: ComponentLookup = {}): Promise<Component[]> {
    const { stack, components } = await this.stackWithComponents(caller, name, lookup);
    assertReferenceLimit(countReferences(components.flatMap((component) => Object.values(component.configuration))), `stack '${stack.name}'`);
    const resolver = new ReferenceResolver(this.secrets, caller, stack.workspace);
    return settledInOrder(components.map((component) => resolver.renderComponent(component)));
  }

  /** The variables `zs run` adds: `resolveRunEnvironment` over this store's components and secrets. */
  async runEnvironment(caller: Caller, input: RunRequest, level: string): Promise<Record<string, string>> {
    const sources: RunSources = {
      stackComponents: async (who, name, lookup) => (await this.stackWithComponents(who, name, lookup)).components,
      getComponent: (who, name, lookup) => this.getComponent(who, name, lookup),
      secrets: this.secrets,
    };
    return resolveRunEnvironment(sources, caller, input, level);
  }

  private async stackWithComponents(caller: Caller, name: string, lookup: ComponentLookup): Promise<{ stack: Stack; components: Component[] }> {
    const stack = await this.getStack(caller, name, lookup);
    return { stack, components: await this.repository.stackComponents(stack.id) };
  }

  private workspaceOf(caller: Caller, lookup: ComponentLookup): string {
    return parseInput(componentLookupSchema, lookup, "lookup").workspace ?? caller.workspace;
  }

  /** A misspelt workspace must not look like an empty one: lists check it when they find nothing. */
  private async requireWorkspace(tx: ComponentTransaction, name: string) {
    const workspace = await tx.findWorkspace(name);
    if (!workspace) throw new ZsError("WORKSPACE_NOT_FOUND", `No workspace named '${name}'.`);
    return workspace;
  }
}
