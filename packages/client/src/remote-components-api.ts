import {
  ZsError,
  assertReferenceLimit,
  assertTextLimit,
  countReferences,
  componentCreateSchema,
  componentLookupSchema,
  componentUpdateSchema,
  nameSchema,
  parseInput,
  parseValidationLevel,
  resolveRunEnvironment,
  stackCreateSchema,
  type Caller,
  type Component,
  type ComponentCreate,
  type ComponentLookup,
  type ComponentUpdate,
  type ReferenceValidation,
  type RunRequest,
  type RunSources,
  type Stack,
  type StackCreate,
} from "@zs/core";
import type { ComponentsApi } from "./components-api.js";
import type { RemoteHttp } from "./remote-http.js";
import type { RemoteSecretsApi } from "./remote-secrets-api.js";

const segment = encodeURIComponent;

/**
 * Components, stacks and references of a zs server (http-api.md), called as
 * `ComponentsService` is in local mode. Input is checked here first, with the service's
 * schemas and in the service's order, so a mistake gets the same error before any request;
 * the server checks again. Every call names the client's active workspace.
 */
export class RemoteComponentsApi implements ComponentsApi {
  constructor(
    private readonly http: RemoteHttp,
    private readonly secrets: RemoteSecretsApi,
  ) {}

  async registerComponent(caller: Caller, input: ComponentCreate): Promise<Component> {
    const component = parseInput(componentCreateSchema, input, "component");
    const body = { ...component, workspace: component.workspace ?? caller.workspace };
    return (await this.http.request("POST", "/api/v1/components", { body })).body as Component;
  }

  async getComponent(caller: Caller, name: string, lookup: ComponentLookup = {}): Promise<Component> {
    const query = { workspace: this.workspaceOf(caller, lookup) };
    return (await this.http.request("GET", `/api/v1/components/${segment(checkedName(name, "component name"))}`, { query })).body as Component;
  }

  async listComponents(caller: Caller, lookup: ComponentLookup = {}): Promise<Component[]> {
    return (await this.http.request("GET", "/api/v1/components", { query: { workspace: this.workspaceOf(caller, lookup) } })).body as Component[];
  }

  async updateComponent(caller: Caller, name: string, input: ComponentUpdate, lookup: ComponentLookup = {}): Promise<Component> {
    const query = { workspace: this.workspaceOf(caller, lookup) };
    const path = `/api/v1/components/${segment(checkedName(name, "component name"))}`;
    const body = parseInput(componentUpdateSchema, input, "component update");
    return (await this.http.request("PATCH", path, { query, body })).body as Component;
  }

  async deleteComponent(caller: Caller, name: string, lookup: ComponentLookup = {}): Promise<void> {
    const query = { workspace: this.workspaceOf(caller, lookup) };
    await this.http.request("DELETE", `/api/v1/components/${segment(checkedName(name, "component name"))}`, { query });
  }

  async registerStack(caller: Caller, input: StackCreate): Promise<Stack> {
    const stack = parseInput(stackCreateSchema, input, "stack");
    const body = { ...stack, workspace: stack.workspace ?? caller.workspace };
    return (await this.http.request("POST", "/api/v1/stacks", { body })).body as Stack;
  }

  async getStack(caller: Caller, name: string, lookup: ComponentLookup = {}): Promise<Stack> {
    const query = { workspace: this.workspaceOf(caller, lookup) };
    return (await this.http.request("GET", `/api/v1/stacks/${segment(checkedName(name, "stack name"))}`, { query })).body as Stack;
  }

  async listStacks(caller: Caller, lookup: ComponentLookup = {}): Promise<Stack[]> {
    return (await this.http.request("GET", "/api/v1/stacks", { query: { workspace: this.workspaceOf(caller, lookup) } })).body as Stack[];
  }

  async deleteStack(caller: Caller, name: string, lookup: ComponentLookup = {}): Promise<void> {
    const query = { workspace: this.workspaceOf(caller, lookup) };
    await this.http.request("DELETE", `/api/v1/stacks/${segment(checkedName(name, "stack name"))}`, { query });
  }

  /** The server's validation route: metadata only, no value read. */
  async validateStack(caller: Caller, name: string, level: string, lookup: ComponentLookup = {}): Promise<ReferenceValidation> {
    const query = { level: parseValidationLevel(level), workspace: this.workspaceOf(caller, lookup) };
    const path = `/api/v1/stacks/${segment(checkedName(name, "stack name"))}/validation`;
    return (await this.http.request("GET", path, { query })).body as ReferenceValidation;
  }

  /** One `POST /references/resolve {references: [text]}`: the server resolves, reading each secret once. */
  async resolve(caller: Caller, text: string, lookup: ComponentLookup = {}): Promise<string> {
    if (typeof text !== "string") throw new ZsError("VALIDATION_ERROR", "Only a string can be resolved.");
    assertReferenceLimit(countReferences([text]), "the text");
    const body = { references: [text], workspace: this.workspaceOf(caller, lookup) };
    return ((await this.http.request("POST", "/api/v1/references/resolve", { body })).body as { values: string[] }).values[0]!;
  }

  /** One `POST /references/resolve {references: texts}`: one resolution, each secret read once. */
  async resolveTexts(caller: Caller, texts: readonly string[], lookup: ComponentLookup = {}): Promise<string[]> {
    if (!Array.isArray(texts) || texts.some((text) => typeof text !== "string")) throw new ZsError("VALIDATION_ERROR", "Only strings can be resolved.");
    assertTextLimit(texts.length);
    assertReferenceLimit(countReferences(texts), texts.length === 1 ? "the text" : "the request");
    const body = { references: texts, workspace: this.workspaceOf(caller, lookup) };
    return ((await this.http.request("POST", "/api/v1/references/resolve", { body })).body as { values: string[] }).values;
  }

  /** One `POST /references/resolve {component}`: the server resolves, reading each secret once. */
  async resolveComponent(caller: Caller, name: string, lookup: ComponentLookup = {}): Promise<Component> {
    const workspace = this.workspaceOf(caller, lookup);
    const body = { component: checkedName(name, "component name"), workspace };
    return ((await this.http.request("POST", "/api/v1/references/resolve", { body })).body as { component: Component }).component;
  }

  /**
   * `zs run`'s variables by core's own `resolveRunEnvironment`, over the routes: components
   * from `GET /stacks/{name}` and `GET /components/{name}`; validation through the secrets
   * list route, which answers metadata only, so nothing is read when validation fails; then
   * one resolution whose reader fetches each secret's values once (`GET /secrets/{id}`). The
   * resolve route cannot serve here: one request resolves one stack, component or list of
   * texts, while a run combines them and `--secret`s in one resolution.
   */
  async runEnvironment(caller: Caller, input: RunRequest, level: string): Promise<Record<string, string>> {
    const sources: RunSources = {
      stackComponents: async (who, name, lookup) => {
        const stack = await this.getStack(who, name, lookup);
        return Promise.all(stack.components.map((component) => this.getComponent(who, component, { workspace: stack.workspace })));
      },
      getComponent: (who, name, lookup) => this.getComponent(who, name, lookup),
      secrets: this.secrets,
    };
    return resolveRunEnvironment(sources, caller, input, level);
  }

  /** The workspace a call names: the lookup's, else the client's active one. */
  private workspaceOf(caller: Caller, lookup: ComponentLookup): string {
    return parseInput(componentLookupSchema, lookup, "lookup").workspace ?? caller.workspace;
  }
}

/** A component or stack name as the service checks it; an empty one would otherwise address the list route. */
function checkedName(name: string, what: string): string {
  return parseInput(nameSchema, name, what);
}
