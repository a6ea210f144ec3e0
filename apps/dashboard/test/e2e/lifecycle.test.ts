import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomBytes } from "node:crypto";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchChromium, openPage, seriousAxeViolations, unexpectedConsoleErrors, withScreenshot, type PageProblems } from "../support/browser";
import { apiCall, loginToken, signIn } from "../support/dashboard-session";
import { startZsServer, type ZsServer } from "../support/zs-server";

describe("history, rollback, deleted secrets and usages in the dashboard", () => {
  let server: ZsServer;
  let browser: Browser;
  let token: string;
  let context: BrowserContext;
  let page: Page;
  let problems: PageProblems;
  const first = `first-${randomBytes(8).toString("hex")}`;
  const second = `second-${randomBytes(8).toString("hex")}`;
  let id: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startZsServer(), launchChromium()]);
    token = await loginToken(server.url);
    ({ context, page, problems } = await openPage(browser, server.url));
    await signIn(page);
    id = (await apiCall(server.url, token, "POST", "/api/v1/secrets", { name: "payments", values: { key: first, mode: "test" } })).json.id;
    await apiCall(server.url, token, "PATCH", "/api/v1/secrets/payments", { values: { key: second, mode: null, region: "eu" } });
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });
  const expectNoProblems = () => {
    expect(problems.csp).toEqual([]);
    expect(problems.dialogs).toEqual([]);
    expect(unexpectedConsoleErrors(problems)).toEqual([]);
  };

  it("history lists versions with who, when and which keys; an old version's values are revealed on request; roll back writes them as a new version", async () => {
    await withScreenshot(page, "history", async () => {
      await page.goto(`/secrets/${id}`);
      await page.getByRole("navigation", { name: "This secret" }).getByRole("link", { name: "History" }).click();
      await page.getByRole("heading", { name: "History of payments" }).waitFor();
      const rows = page.locator(".data-table tbody tr");
      await rows.first().waitFor();
      expect(await rows.count()).toBe(2);
      expect(await rows.nth(0).locator("th").textContent()).toBe("2 (current)");
      expect(await rows.nth(0).textContent()).toMatch(/adminmerge.*added: region.*removed: mode.*changed: key/);
      expect(await rows.nth(1).textContent()).toMatch(/admincreate.*added: key, mode/);
      expect(await page.content()).not.toContain(first);
      expect(await seriousAxeViolations(page)).toEqual([]);

      await page.getByRole("button", { name: "Reveal values of version 1" }).click();
      await page.getByText(first, { exact: true }).waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);
      await page.getByRole("button", { name: "Hide values of version 1" }).click();
      expect(await page.content()).not.toContain(first);

      await page.getByRole("button", { name: "Roll back to version 1" }).click();
      await page.getByText("Rolled back to the values of version 1; the secret is now at version 3.").waitFor();
      const now = (await apiCall(server.url, token, "GET", "/api/v1/secrets/payments")).json;
      expect([now.version, now.values]).toEqual([3, { key: first, mode: "test" }]);
      await page.getByRole("rowheader", { name: "3 (current)" }).waitFor();
      expect(await page.content()).not.toContain(first);
      expectNoProblems();
    });
  });

  it("usages lists the components and stacks that reference the secret", async () => {
    await withScreenshot(page, "usages", async () => {
      expect((await apiCall(server.url, token, "POST", "/api/v1/components", { name: "checkout", type: "service", flavor: "http", configuration: { api_key: "{{payments.key}}" } })).status).toBe(201);
      expect((await apiCall(server.url, token, "POST", "/api/v1/stacks", { name: "prod", components: ["checkout"] })).status).toBe(201);
      await page.getByRole("navigation", { name: "This secret" }).getByRole("link", { name: "Usages" }).click();
      await page.getByRole("heading", { name: "Usages of payments" }).waitFor();
      await page.getByRole("rowheader", { name: "checkout" }).waitFor();
      expect(await page.locator(".data-table tbody td").allTextContents()).toEqual(["api_key", "key", "{{payments.key}}", "prod"]);
      expect(await seriousAxeViolations(page)).toEqual([]);
      expectNoProblems();
    });
  });

  it("deleted secrets are listed with their purge date and recovered, under a new name when the old one is taken", async () => {
    await withScreenshot(page, "deleted", async () => {
      expect((await apiCall(server.url, token, "DELETE", "/api/v1/secrets/payments")).status).toBe(200);
      // Its name is free at once; someone takes it.
      await apiCall(server.url, token, "POST", "/api/v1/secrets", { name: "payments", values: { other: "x" } });

      await page.getByRole("link", { name: "Deleted" }).click();
      await page.getByRole("heading", { name: "Deleted secrets" }).waitFor();
      const row = page.getByRole("row", { name: /payments/ });
      await row.waitFor();
      const cells = await row.locator("td").allTextContents();
      expect(cells.slice(0, 3)).toEqual(["workspace", "default", "2"]);
      const purge = new Date((await row.locator("time").nth(1).getAttribute("datetime"))!).getTime();
      expect(purge - Date.now()).toBeGreaterThan(6 * 24 * 3600_000);
      expect(await seriousAxeViolations(page)).toEqual([]);

      await page.getByRole("button", { name: "Recover payments" }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByRole("button", { name: "Recover", exact: true }).click();
      await expect(dialog.locator(".field-error").textContent()).resolves.toMatch(/already exists/);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await dialog.getByRole("textbox", { name: "New name (optional)" }).fill("payments-old");
      await dialog.getByRole("button", { name: "Recover", exact: true }).click();
      await page.getByText("Recovered payments-old.").waitFor();
      await page.getByText("No deleted secrets.").waitFor();
      const recovered = (await apiCall(server.url, token, "GET", "/api/v1/secrets/payments-old")).json;
      expect([recovered.id, recovered.values]).toEqual([id, { key: first, mode: "test" }]);
      expectNoProblems();
    });
  });

  it("renaming a referenced secret warns with its usages and rewrites the references; deleting it warns too", async () => {
    await withScreenshot(page, "rename-references", async () => {
      const mail = (await apiCall(server.url, token, "POST", "/api/v1/secrets", { name: "mail", values: { pw: "mail-fixture" } })).json;
      await apiCall(server.url, token, "POST", "/api/v1/components", { name: "mailer", type: "service", flavor: "smtp", configuration: { smtp_password: "{{mail.pw}}" } });
      await page.goto(`/secrets/${mail.id}`);
      await page.getByRole("button", { name: "Rename…" }).click();
      await page.getByText("A component attribute references this secret; a rename breaks those references unless they are rewritten with it.").waitFor();
      expect(await page.getByRole("checkbox", { name: "Rewrite those references to the new name" }).isChecked()).toBe(true);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await page.getByRole("textbox", { name: "New name" }).fill("mail-v2");
      await page.getByRole("button", { name: "Rename", exact: true }).click();
      await page.getByRole("heading", { name: "mail-v2" }).waitFor();
      const component = (await apiCall(server.url, token, "GET", "/api/v1/components/mailer")).json;
      expect(component.configuration).toEqual({ smtp_password: "{{mail-v2.pw}}" });

      await page.getByRole("button", { name: "Delete…" }).click();
      await page.getByRole("alertdialog").getByText("mailer.smtp_password").waitFor();
      await page.getByRole("alertdialog").getByRole("button", { name: "Cancel" }).click();
      expectNoProblems();
    });
  });
});
