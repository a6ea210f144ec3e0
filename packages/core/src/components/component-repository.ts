import type { Workspace } from "../accounts/account-schema.js";
import type { Component, Configuration } from "./component-schema.js";
import type { Stack } from "./stack-schema.js";

/** A component's row as the repository keeps it; `configuration` holds references verbatim. */
export interface ComponentRow {
  id: string;
  name: string;
  type: string;
  flavor: string;
  workspaceId: string;
  ownerId: string;
  configuration: Configuration;
  /** Epoch milliseconds. */
  created: number;
  updated: number;
}

/** What an update may change of a component. */
export interface ComponentRowChanges {
  type: string;
  flavor: string;
  configuration: Configuration;
  updated: number;
}

/** A stack's row; its components are given separately, in order. */
export interface StackRow {
  id: string;
  name: string;
  workspaceId: string;
  ownerId: string;
  created: number;
  updated: number;
}

/** Reads available in and outside a transaction. Workspaces are given by name. */
export interface ComponentReader {
  findComponent(workspace: string, name: string): Promise<Component | undefined>;
  findStack(workspace: string, name: string): Promise<Stack | undefined>;
  /** A stack's components with their configurations, in the stack's order, in one query. */
  stackComponents(stackId: string): Promise<Component[]>;
}

/** Writes, always inside a transaction. */
export interface ComponentTransaction extends ComponentReader {
  findWorkspace(name: string): Promise<Workspace | undefined>;
  /** Re-reads a component and holds it against concurrent writers (and deleters) until commit. */
  lockComponent(workspace: string, name: string): Promise<Component | undefined>;
  /**
   * The ids of the named components of a workspace that exist, by name, held against deletion
   * until commit (a stack being registered keeps its components).
   */
  holdComponents(workspaceId: string, names: readonly string[]): Promise<Map<string, string>>;
  /** `exists` when the workspace already has a component of that name. */
  insertComponent(row: ComponentRow): Promise<"inserted" | "exists">;
  updateComponent(id: string, changes: ComponentRowChanges): Promise<void>;
  deleteComponent(id: string): Promise<void>;
  /** The names of the stacks that hold the component, sorted. */
  stacksUsing(componentId: string): Promise<string[]>;
  /** `exists` when the workspace already has a stack of that name. */
  insertStack(row: StackRow, componentIds: readonly string[]): Promise<"inserted" | "exists">;
  deleteStack(id: string): Promise<void>;
}

/**
 * Where components and stacks are kept (`@zs/store-sql`): metadata in the database, references
 * verbatim, never a resolved value. Each list is one query.
 */
export interface ComponentRepository extends ComponentReader {
  transaction<T>(work: (tx: ComponentTransaction) => Promise<T>): Promise<T>;
  /** A workspace's components, by name. */
  listComponents(workspace: string): Promise<Component[]>;
  /** A workspace's stacks with their components' names, by name. */
  listStacks(workspace: string): Promise<Stack[]>;
}
