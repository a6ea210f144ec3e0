import type { Knex } from "knex";
import type {
  Component,
  ComponentRepository,
  ComponentRow,
  ComponentRowChanges,
  ComponentTransaction,
  Stack,
  StackRow,
  Workspace,
} from "@zs/core";
import { findWorkspaceByName, insertUnique, iso } from "./knex-metadata-repository.js";
import type { SqlDatabase } from "./sql-database.js";

interface ComponentRecord {
  id: string;
  name: string;
  type: string;
  flavor: string;
  workspace: string;
  user: string | null;
  configuration: string;
  created: number | string;
  updated: number | string;
}

interface StackMemberRecord {
  id: string;
  name: string;
  workspace: string;
  user: string | null;
  created: number | string;
  updated: number | string;
  /** Null for the row of a stack without components (none are registered so, but the join allows it). */
  component: string | null;
}

const COMPONENT_SELECT = ["c.id", "c.name", "c.type", "c.flavor", "w.name as workspace", "u.name as user", "c.configuration", "c.created", "c.updated"];
const STACK_SELECT = ["s.id", "s.name", "w.name as workspace", "u.name as user", "s.created", "s.updated", "c.name as component"];

function toComponent(record: ComponentRecord): Component {
  return {
    id: record.id,
    name: record.name,
    type: record.type,
    flavor: record.flavor,
    workspace: record.workspace,
    user: record.user ?? null,
    configuration: JSON.parse(record.configuration) as Record<string, string>,
    created: iso(record.created),
    updated: iso(record.updated),
  };
}

/** Folds the rows of a stack–component join (ordered by stack, then position) into stacks. */
function toStacks(records: readonly StackMemberRecord[]): Stack[] {
  const stacks = new Map<string, Stack>();
  for (const record of records) {
    let stack = stacks.get(record.id);
    if (!stack) {
      stack = { id: record.id, name: record.name, workspace: record.workspace, user: record.user ?? null, components: [], created: iso(record.created), updated: iso(record.updated) };
      stacks.set(record.id, stack);
    }
    if (record.component !== null) stack.components.push(record.component);
  }
  return [...stacks.values()];
}

/** Queries shared by the repository (on the pool) and its transactions. */
class ComponentQueries {
  constructor(
    protected readonly db: Knex | Knex.Transaction,
    protected readonly dialect: SqlDatabase["dialect"],
  ) {}

  /** Components joined with their workspace and (if still there) the user who registered them. */
  protected components(): Knex.QueryBuilder {
    return this.db({ c: "components" }).join({ w: "workspaces" }, "w.id", "c.workspace_id").leftJoin({ u: "users" }, "u.id", "c.owner_id");
  }

  /** Stacks with one row per component, in the stack's order. */
  protected stackMembers(): Knex.QueryBuilder {
    return this.db({ s: "stacks" })
      .join({ w: "workspaces" }, "w.id", "s.workspace_id")
      .leftJoin({ u: "users" }, "u.id", "s.owner_id")
      .leftJoin({ sc: "stack_components" }, "sc.stack_id", "s.id")
      .leftJoin({ c: "components" }, "c.id", "sc.component_id")
      .orderBy([{ column: "s.name" }, { column: "s.id" }, { column: "sc.position" }])
      .select(STACK_SELECT);
  }

  async findComponent(workspace: string, name: string): Promise<Component | undefined> {
    const record = await this.components().where("w.name", workspace).where("c.name", name).first(COMPONENT_SELECT);
    return record ? toComponent(record) : undefined;
  }

  async findStack(workspace: string, name: string): Promise<Stack | undefined> {
    return toStacks(await this.stackMembers().where("w.name", workspace).where("s.name", name))[0];
  }

  async stackComponents(stackId: string): Promise<Component[]> {
    const records = await this.components()
      .join({ sc: "stack_components" }, "sc.component_id", "c.id")
      .where("sc.stack_id", stackId)
      .orderBy("sc.position")
      .select(COMPONENT_SELECT);
    return records.map(toComponent);
  }
}

class KnexComponentTransaction extends ComponentQueries implements ComponentTransaction {
  findWorkspace(name: string): Promise<Workspace | undefined> {
    return findWorkspaceByName(this.db, name);
  }

  async lockComponent(workspace: string, name: string): Promise<Component | undefined> {
    const query = this.components().where("w.name", workspace).where("c.name", name).first(COMPONENT_SELECT);
    // Lock the component's row only; SQLite's write transaction is already exclusive.
    const record: ComponentRecord | undefined = await (this.dialect === "postgres" ? query.forUpdate("c") : query);
    return record ? toComponent(record) : undefined;
  }

  async holdComponents(workspaceId: string, names: readonly string[]): Promise<Map<string, string>> {
    const query = this.db("components").where("workspace_id", workspaceId).whereIn("name", names).select("id", "name");
    // A share lock: a concurrent delete of one of them waits for this stack, then sees it.
    const records: { id: string; name: string }[] = await (this.dialect === "postgres" ? query.forShare() : query);
    return new Map(records.map((record) => [record.name, record.id]));
  }

  insertComponent(row: ComponentRow): Promise<"inserted" | "exists"> {
    return insertUnique(
      this.db("components").insert({
        id: row.id,
        workspace_id: row.workspaceId,
        owner_id: row.ownerId,
        name: row.name,
        type: row.type,
        flavor: row.flavor,
        configuration: JSON.stringify(row.configuration),
        created: row.created,
        updated: row.updated,
      }),
    );
  }

  async updateComponent(id: string, changes: ComponentRowChanges): Promise<void> {
    await this.db("components")
      .where({ id })
      .update({ type: changes.type, flavor: changes.flavor, configuration: JSON.stringify(changes.configuration), updated: changes.updated });
  }

  async deleteComponent(id: string): Promise<void> {
    await this.db("components").where({ id }).delete();
  }

  async stacksUsing(componentId: string): Promise<string[]> {
    return (await this.db({ sc: "stack_components" })
      .join({ s: "stacks" }, "s.id", "sc.stack_id")
      .where("sc.component_id", componentId)
      .orderBy("s.name")
      .pluck("s.name")) as string[];
  }

  async insertStack(row: StackRow, componentIds: readonly string[]): Promise<"inserted" | "exists"> {
    const outcome = await insertUnique(
      this.db("stacks").insert({
        id: row.id,
        workspace_id: row.workspaceId,
        owner_id: row.ownerId,
        name: row.name,
        created: row.created,
        updated: row.updated,
      }),
    );
    if (outcome === "inserted" && componentIds.length > 0) {
      await this.db("stack_components").insert(componentIds.map((componentId, position) => ({ stack_id: row.id, component_id: componentId, position })));
    }
    return outcome;
  }

  async deleteStack(id: string): Promise<void> {
    await this.db("stacks").where({ id }).delete();
  }
}

/** The knex `ComponentRepository`: components and stacks on SQLite or PostgreSQL. */
export class KnexComponentRepository extends ComponentQueries implements ComponentRepository {
  constructor(private readonly database: SqlDatabase) {
    super(database.knex, database.dialect);
  }

  transaction<T>(work: (tx: ComponentTransaction) => Promise<T>): Promise<T> {
    return this.database.transaction((trx) => work(new KnexComponentTransaction(trx, this.dialect)));
  }

  async listComponents(workspace: string): Promise<Component[]> {
    const records = await this.components().where("w.name", workspace).orderBy([{ column: "c.name" }, { column: "c.id" }]).select(COMPONENT_SELECT);
    return records.map(toComponent);
  }

  async listStacks(workspace: string): Promise<Stack[]> {
    return toStacks(await this.stackMembers().where("w.name", workspace));
  }
}
