import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { SecretManagerServiceClient } from "@google-cloud/secret-manager";
import { StoreRegistry, silentLogger } from "@zs/core";
import { runValuesStoreConformance } from "@zs/store-conformance";

// Against the real Secret Manager, only when asked: ZS_TEST_GCP=1 and ZS_TEST_GCP_PROJECT_ID,
// credentials from Application Default Credentials or ZS_TEST_GCP_CREDENTIALS_FILE. Every
// secret the run creates carries its own deployment label and is deleted afterwards.
const projectId = process.env.ZS_TEST_GCP === "1" ? process.env.ZS_TEST_GCP_PROJECT_ID : undefined;
const credentialsFile = process.env.ZS_TEST_GCP_CREDENTIALS_FILE;
const deploymentId = randomUUID();

async function deleteRunSecrets(project: string): Promise<void> {
  const sdk = new SecretManagerServiceClient(credentialsFile ? { keyFilename: credentialsFile } : {});
  const [secrets] = await sdk.listSecrets({ parent: `projects/${project}`, filter: `labels.zs-deployment=${deploymentId}` });
  for (const secret of secrets) if (secret.name) await sdk.deleteSecret({ name: secret.name });
  await sdk.close();
}

if (projectId) {
  runValuesStoreConformance({
    name: `gcp (live Secret Manager, project ${projectId})`,
    api: { describe, it, expect, beforeAll, afterAll },
    createStore: () =>
      new StoreRegistry({ gcp: async () => (await import("../src/index.js")).default }).create(
        "gcp",
        { project_id: projectId, ...(credentialsFile ? { credentials_file: credentialsFile } : {}) },
        { deploymentId, logger: silentLogger, configDir: process.cwd() },
      ),
    cleanup: () => deleteRunSecrets(projectId),
    timeout: 60000,
  });
} else {
  describe.skip("gcp against the live Secret Manager (set ZS_TEST_GCP=1 and ZS_TEST_GCP_PROJECT_ID to run)", () => {
    it("runs the values store conformance suite", () => undefined);
  });
}
