import { runSqlConformance } from "./support/sql-conformance.js";
import { createSqliteDatabase } from "./support/test-databases.js";

runSqlConformance("SQLite", createSqliteDatabase);
