// The README's screenshots of the dashboard: `pnpm --filter @zs/dashboard readme-screenshots`
// (after `pnpm build`). A zs-server on a temp database, a few demo secrets, headless Chromium;
// writes docs/images/dashboard-secrets.png and docs/images/dashboard-secret-revealed.png.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium, openPage } from "../test/support/browser";
import { ADMIN_PASSWORD, startZsServer } from "../test/support/zs-server";

const IMAGES = fileURLToPath(new URL("../../../docs/images", import.meta.url));

/** Demo secrets, values made up for the picture. */
const SECRETS: { name: string; values: Record<string, string>; workspace?: string }[] = [
  { name: "prod-billing-db", values: { DB_USER: "billing", DB_PASSWORD: "demo-Xq7r-not-a-real-password" } },
  { name: "openai-api", values: { OPENAI_API_KEY: "sk-demo-0000000000000000" } },
  { name: "wandb", values: { WANDB_API_KEY: "demo-wandb-key", WANDB_ENTITY: "ml-platform" } },
  { name: "s3-training-data", values: { AWS_ACCESS_KEY_ID: "AKIADEMO000000000000", AWS_SECRET_ACCESS_KEY: "demo-secret-access-key", AWS_REGION: "eu-west-1" } },
  { name: "hf-hub", values: { HF_TOKEN: "hf_demo_token" } },
];

async function main(): Promise<void> {
  const server = await startZsServer();
  const browser = await launchChromium();
  try {
    const { page } = await openPage(browser, server.url);
    await page.setViewportSize({ width: 1200, height: 640 });
    await page.goto("/");
    await page.getByLabel("User name").fill("admin");
    await page.getByLabel("Password").fill(ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("navigation", { name: "Main" }).waitFor();
    // Created through the API with the page's own session, as the dashboard's client does.
    for (const secret of SECRETS) {
      const status = await page.evaluate(
        (body) => fetch("/api/v1/secrets", { method: "POST", headers: { "Content-Type": "application/json", "X-ZS-Request": "1" }, body }).then((r) => r.status),
        JSON.stringify(secret),
      );
      if (status !== 201) throw new Error(`creating ${secret.name}: ${status}`);
    }
    await page.reload();
    await page.getByRole("link", { name: "prod-billing-db" }).waitFor();
    await page.screenshot({ path: path.join(IMAGES, "dashboard-secrets.png") });
    await page.getByRole("link", { name: "prod-billing-db" }).click();
    await page.getByRole("button", { name: "Reveal DB_PASSWORD" }).click();
    await page.getByText(SECRETS[0]!.values.DB_PASSWORD!).waitFor();
    await page.screenshot({ path: path.join(IMAGES, "dashboard-secret-revealed.png") });
    process.stdout.write(`wrote ${IMAGES}/dashboard-secrets.png and dashboard-secret-revealed.png\n`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
