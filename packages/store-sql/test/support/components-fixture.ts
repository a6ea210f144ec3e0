import { randomBytes } from "node:crypto";
import { ComponentsService, KeyRing, SecretsService, ZsError, isZsError, type Caller } from "@zs/core";
import { KnexComponentRepository, KnexMetadataRepository, SqlDatabase, SqlValuesStore } from "../../src/index.js";
import { countingReads, type CountingValuesStore } from "./counting-values-store.js";
import { randomKeys, type TestDatabase } from "./test-databases.js";

/** Both services over one fresh database, with an admin and two ordinary users. */
export interface ComponentsFixture {
  db: TestDatabase;
  database: SqlDatabase;
  values: CountingValuesStore;
  secrets: SecretsService;
  components: ComponentsService;
  admin: Caller;
  alice: Caller;
  bob: Caller;
  /** A new workspace, and alice and bob acting in it: a test's secrets never satisfy another's references. */
  inFreshWorkspace(): Promise<{ alice: Caller; bob: Caller }>;
  close(): Promise<void>;
}

export async function openComponentsFixture(createDatabase: () => Promise<TestDatabase>): Promise<ComponentsFixture> {
  const db = await createDatabase();
  const database = await SqlDatabase.open(db.url);
  const values = countingReads(await SqlValuesStore.open(database, new KeyRing(randomKeys())));
  const secrets = new SecretsService(new KnexMetadataRepository(database), values);
  const components = new ComponentsService(new KnexComponentRepository(database), secrets);
  const caller = async (name: string, isAdmin = false): Promise<Caller> => {
    const user = await secrets.ensureUser(name, { isAdmin });
    return { userId: user.id, userName: user.name, isAdmin, workspace: "default" };
  };
  const [admin, alice, bob] = [await caller("root", true), await caller("alice"), await caller("bob")];
  return {
    db,
    database,
    values,
    secrets,
    components,
    admin,
    alice,
    bob,
    async inFreshWorkspace() {
      const workspace = unique("ws");
      await secrets.createWorkspace(admin, { name: workspace });
      return { alice: { ...alice, workspace }, bob: { ...bob, workspace } };
    },
    async close() {
      await secrets.close();
      await db.drop();
    },
  };
}

/** A fresh name with a readable prefix, so tests never share rows. */
export function unique(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString("hex")}`;
}

/** The `ZsError` `promise` rejects with; fails the test otherwise. */
export async function rejection(promise: Promise<unknown>): Promise<ZsError> {
  const outcome = await promise.then(
    () => new Error("expected a ZsError, but it succeeded"),
    (error: unknown) => error,
  );
  if (isZsError(outcome)) return outcome;
  throw outcome;
}
