import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Browser } from "playwright-core";
import { launchChromium, openPage, seriousAxeViolations, unexpectedConsoleErrors, withScreenshot } from "../support/browser";
import { apiCall, signIn } from "../support/dashboard-session";
import { startZsServer, type ZsServer } from "../support/zs-server";

describe("API keys in the dashboard", () => {
  let server: ZsServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startZsServer(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("creates a key shown once with a copy button, which works as a bearer token; lists it without the key; deletes it", async () => {
    const { context, page, problems } = await openPage(browser, server.url);
    await withScreenshot(page, "api-keys", async () => {
      await signIn(page);
      await page.getByRole("link", { name: "API keys" }).click();
      await page.getByRole("heading", { name: "API keys" }).waitFor();
      await page.getByText("You have no API keys.").waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);

      // The server's refusal of a bad name, next to the field.
      await page.getByRole("textbox", { name: "Name of the new key" }).fill("");
      await page.getByRole("button", { name: "Create API key" }).click();
      await page.locator(".field-error, .alert").first().waitFor();

      await page.getByRole("textbox", { name: "Name of the new key" }).fill("deploy-bot");
      await page.getByRole("button", { name: "Create API key" }).click();
      const shown = page.getByLabel("The new API key");
      await shown.waitFor();
      const key = (await shown.textContent()) ?? "";
      expect(key.length).toBeGreaterThan(30);
      await page.getByRole("button", { name: "Copy the key" }).click();
      await page.getByText("Copied.").waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
      expect(await seriousAxeViolations(page)).toEqual([]);

      const asKey = await apiCall(server.url, key, "GET", "/api/v1/current-user");
      expect([asKey.status, asKey.json.name]).toEqual([200, "admin"]);

      await page.getByRole("button", { name: "Done" }).click();
      expect(await page.content()).not.toContain(key);
      await page.getByRole("row", { name: /deploy-bot/ }).waitFor();
      await page.getByRole("button", { name: "Delete API key deploy-bot" }).click();
      await page.getByText("You have no API keys.").waitFor();
      expect((await apiCall(server.url, key, "GET", "/api/v1/current-user")).status).toBe(401);

      const stored = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, url: location.href, history: history.state as unknown }));
      expect(stored).not.toContain(key);
      expect(problems.csp).toEqual([]);
      expect(problems.dialogs).toEqual([]);
      expect(unexpectedConsoleErrors(problems)).toEqual([]);
    });
    await context.close();
  });
});
