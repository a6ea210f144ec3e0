// Run as a process of its own: opens (and so migrates) the database at argv[2], prints its
// deployment id, closes.
import { SqlDatabase } from "../../src/index.js";

const database = await SqlDatabase.open(process.argv[2]!);
process.stdout.write(database.deploymentId);
await database.close();
