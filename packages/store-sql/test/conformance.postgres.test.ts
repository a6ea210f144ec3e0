import { describe, it } from "@jest/globals";
import { runSqlConformance } from "./support/sql-conformance.js";
import { createPostgresDatabase, postgresUrl } from "./support/test-databases.js";

if (postgresUrl) runSqlConformance("PostgreSQL", createPostgresDatabase);
else describe.skip("PostgreSQL conformance (set ZS_TEST_POSTGRES_URL to run)", () => it("runs the suites", () => undefined));
