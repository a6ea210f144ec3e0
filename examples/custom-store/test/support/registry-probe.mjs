// Creates values stores through @zs/core's StoreRegistry in a plain Node process, as zs does:
// no jest module system, no TypeScript loader, `@zs/core` and the store as built packages.
// argv[2]: a JSON list of { type, options, configDir, deploymentId }; prints one result each.
import { randomUUID } from "node:crypto";
import { StoreRegistry, silentLogger } from "@zs/core";

const results = [];
for (const { type, options, configDir, deploymentId } of JSON.parse(process.argv[2])) {
  try {
    const store = await new StoreRegistry().create(type, options, { deploymentId, logger: silentLogger, configDir });
    const secretId = randomUUID();
    await store.putValues(secretId, { password: "pw" });
    results.push({ loaded: true, type: store.type, maxValueBytes: store.capabilities.maxValueBytes, secretId, values: await store.getValues(secretId) });
    await store.close?.();
  } catch (error) {
    results.push({ loaded: false, code: error.code, reason: error.details?.reason, message: error.message });
  }
}
process.stdout.write(JSON.stringify(results));
