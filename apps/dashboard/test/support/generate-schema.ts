// Regenerates src/api/schema.ts from a real zs-server's /openapi.json (build @zs/server first):
// `pnpm --filter @zs/dashboard generate-schema`.
import { writeFile } from "node:fs/promises";
import { renderApiSchema, SCHEMA_FILE } from "./openapi-schema";

void renderApiSchema().then(async (schema) => {
  await writeFile(SCHEMA_FILE, schema);
  console.log(`wrote ${SCHEMA_FILE}`);
});
