import type { ComponentsService } from "@zs/core";

/**
 * What a `Client` asks of components, stacks and references: `ComponentsService` itself in
 * local mode, `RemoteComponentsApi` (the server's routes) in remote mode.
 */
export type ComponentsApi = Pick<
  ComponentsService,
  | "registerComponent"
  | "getComponent"
  | "listComponents"
  | "updateComponent"
  | "deleteComponent"
  | "registerStack"
  | "getStack"
  | "listStacks"
  | "deleteStack"
  | "validateStack"
  | "resolve"
  | "resolveTexts"
  | "resolveComponent"
  | "runEnvironment"
>;
