import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchChromium, openPage, seriousAxeViolations, unexpectedConsoleErrors, withScreenshot, type PageProblems } from "../support/browser";
import { apiCall, loginToken, signIn } from "../support/dashboard-session";
import { startZsServer, type ZsServer } from "../support/zs-server";

describe("components, stacks and administration in the dashboard", () => {
  let server: ZsServer;
  let browser: Browser;
  let token: string;
  let context: BrowserContext;
  let page: Page;
  let problems: PageProblems;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startZsServer(), launchChromium()]);
    token = await loginToken(server.url);
    ({ context, page, problems } = await openPage(browser, server.url));
    await signIn(page);
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

  it("components are listed and described; a stack's validation is shown at the chosen level", async () => {
    await withScreenshot(page, "components-stacks", async () => {
      await apiCall(server.url, token, "POST", "/api/v1/secrets", { name: "db", values: { password: "component-fixture-value" } });
      await apiCall(server.url, token, "POST", "/api/v1/components", { name: "api", type: "service", flavor: "http", configuration: { db_password: "{{db.password}}", db_user: "{{db.user}}", port: "8080" } });
      await apiCall(server.url, token, "POST", "/api/v1/stacks", { name: "prod", components: ["api"] });

      await page.getByRole("link", { name: "Components" }).click();
      await page.getByRole("heading", { name: "Components" }).waitFor();
      await page.getByRole("link", { name: "api", exact: true }).click();
      await page.getByRole("heading", { name: "Component api" }).waitFor();
      expect(await page.locator(".details .data-table tbody tr").allTextContents()).toEqual(["db_password{{db.password}}", "db_user{{db.user}}", "port8080"]);
      expect(await page.content()).not.toContain("component-fixture-value");
      expect(await seriousAxeViolations(page)).toEqual([]);

      await page.getByRole("link", { name: "Stacks" }).click();
      await page.getByRole("link", { name: "prod", exact: true }).click();
      await page.getByRole("heading", { name: "Stack prod" }).waitFor();
      await page.getByText("Not valid: 1 reference do not resolve.").waitFor();
      expect(await page.locator(".details .data-table tbody tr").allTextContents()).toEqual(["apidb_userdbuserno such key"]);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await page.getByRole("button", { name: /Validation level$/ }).click();
      await page.getByRole("option", { name: "Secrets exist" }).click();
      await page.getByText("Valid: every reference resolves at this level.").waitFor();
      expectNoProblems();
    });
  });

  it("users: create (the server's refusal at its field), sign in as them (no admin pages), delete", async () => {
    await withScreenshot(page, "users", async () => {
      await page.getByRole("link", { name: "Admin" }).click();
      await page.getByRole("heading", { name: "Users" }).waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);
      await page.getByRole("textbox", { name: "User name" }).fill("carol");
      await page.getByRole("textbox", { name: "Initial password" }).fill("short");
      await page.getByRole("button", { name: "Create user" }).click();
      await expect(page.locator(".field", { has: page.getByRole("textbox", { name: "Initial password" }) }).locator(".field-error").textContent()).resolves.toMatch(/at least 8 characters/);
      await page.getByRole("textbox", { name: "User name" }).fill("admin");
      await page.getByRole("textbox", { name: "Initial password" }).fill("carol-password-1");
      await page.getByRole("button", { name: "Create user" }).click();
      await expect(page.locator(".field", { has: page.getByRole("textbox", { name: "User name" }) }).locator(".field-error").textContent()).resolves.toBe("User 'admin' already exists.");
      await page.getByRole("textbox", { name: "User name" }).fill("carol");
      await page.getByRole("button", { name: "Create user" }).click();
      await page.getByRole("row", { name: /carol/ }).waitFor();

      const { context: carolContext, page: carolPage } = await openPage(browser, server.url);
      await signIn(carolPage, "carol", "carol-password-1");
      expect(await carolPage.getByRole("link", { name: "Admin" }).count()).toBe(0);
      await carolPage.goto("/admin/users");
      await carolPage.getByRole("heading", { name: "Page not found" }).waitFor();
      await carolContext.close();

      await page.getByRole("button", { name: "Delete user carol" }).click();
      const dialog = page.getByRole("alertdialog");
      await dialog.getByRole("textbox", { name: "Type carol to confirm" }).fill("carol");
      await dialog.getByRole("button", { name: "Delete", exact: true }).click();
      await dialog.waitFor({ state: "detached" });
      expect(await page.getByRole("row", { name: /carol/ }).count()).toBe(0);
      expectNoProblems();
    });
  });

  it("workspaces: create, refuse a bad name at its field, delete", async () => {
    await withScreenshot(page, "workspaces", async () => {
      await page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Workspaces" }).click();
      await page.getByRole("heading", { name: "Workspaces" }).waitFor();
      const name = page.getByRole("textbox", { name: "New workspace name" });
      await name.fill("bad name");
      await page.getByRole("button", { name: "Create workspace" }).click();
      await expect(page.locator(".field", { has: name }).locator(".field-error").textContent()).resolves.toMatch(/^must be 1-255 characters/);
      await name.fill("qa");
      await page.getByRole("button", { name: "Create workspace" }).click();
      await page.getByRole("rowheader", { name: "qa" }).waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);
      await page.getByRole("button", { name: "Delete workspace qa" }).click();
      await page.getByRole("alertdialog").getByRole("textbox", { name: "Type qa to confirm" }).fill("qa");
      await page.getByRole("alertdialog").getByRole("button", { name: "Delete", exact: true }).click();
      await page.getByRole("rowheader", { name: "qa" }).waitFor({ state: "detached" });
      const workspaces = (await apiCall(server.url, token, "GET", "/api/v1/workspaces")).json as { name: string }[];
      expect(workspaces.map((workspace) => workspace.name)).toEqual(["default"]);
      expectNoProblems();
    });
  });

  it("the audit log filters by action and outcome, shows a refused filter at its field, and verifies the chain", async () => {
    await withScreenshot(page, "audit", async () => {
      await apiCall(server.url, token, "GET", "/api/v1/secrets/db");
      await page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Audit log" }).click();
      await page.getByRole("heading", { name: "Audit log" }).waitFor();
      await page.locator(".data-table tbody tr").first().waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);

      await page.getByRole("textbox", { name: "Action (e.g. secret.read)" }).fill("secret.read");
      await page.getByRole("button", { name: "Apply filters" }).click();
      await page.getByText("Page 1 of 1 (1 in all)").waitFor();
      expect(await page.locator(".data-table tbody tr").first().textContent()).toMatch(/admin \(session\)secret\.readsecret db in defaultok127\.0\.0\.1/);

      await page.getByRole("textbox", { name: "Action (e.g. secret.read)" }).fill("");
      await page.getByRole("button", { name: /Outcome$/ }).click();
      await page.getByRole("option", { name: "error" }).click();
      await page.getByRole("button", { name: "Apply filters" }).click();
      await page.waitForURL(/outcome=error/);
      // The two refused user creations and the refused workspace of the earlier tests.
      await page.getByText("Page 1 of 1 (3 in all)").waitFor();

      const since = page.getByRole("textbox", { name: "Since (YYYY-MM-DD, UTC)" });
      await since.fill("yesterday");
      await page.getByRole("button", { name: "Apply filters" }).click();
      await expect(page.locator(".field", { has: since }).locator(".field-error").textContent()).resolves.toMatch(/^Invalid 'since' date 'yesterday'/);

      await page.getByRole("button", { name: "Verify the audit chain" }).click();
      await page.getByText(/^The audit chain is intact: \d+ events checked/).waitFor();
      expectNoProblems();
    });
  });
});
