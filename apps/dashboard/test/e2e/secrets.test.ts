import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomBytes } from "node:crypto";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchChromium, openPage, seriousAxeViolations, unexpectedConsoleErrors, withScreenshot, type PageProblems } from "../support/browser";
import { apiCall, loginToken, signIn } from "../support/dashboard-session";
import { startZsServer, type ZsServer } from "../support/zs-server";

/** A value no page, URL or storage may hold unless it is revealed on screen. */
const fixtureValue = (label: string) => `${label}-${randomBytes(9).toString("hex")}`;

describe("secrets in the dashboard", () => {
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

  const secretsNamed = async (name: string) => (await apiCall(server.url, token, "GET", `/api/v1/secrets?workspace=*&name=${encodeURIComponent(name)}`)).json.items as { id: string; version: number }[];
  /** Everything a browser keeps that a value must never reach. */
  const storedState = () =>
    page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, url: location.href, history: history.state as unknown }));
  const expectNoProblems = () => {
    expect(problems.csp).toEqual([]);
    expect(problems.dialogs).toEqual([]);
    expect(unexpectedConsoleErrors(problems)).toEqual([]);
  };

  it("bad input shows the server's error next to the field and writes nothing", async () => {
    await withScreenshot(page, "bad-input", async () => {
      await page.getByRole("link", { name: "New secret" }).first().click();
      await page.getByRole("heading", { name: "New secret" }).waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);
      const name = page.getByRole("textbox", { name: "Name" });

      await name.fill("bad name");
      await page.getByRole("textbox", { name: "Key 1" }).fill("good");
      await page.getByRole("textbox", { name: "Value 1" }).fill("x");
      await page.getByRole("button", { name: "Create secret" }).click();
      const nameError = page.locator(".field", { has: name }).locator(".field-error");
      await nameError.waitFor();
      await expect(name.getAttribute("aria-invalid")).resolves.toBe("true");
      await expect(nameError.textContent()).resolves.toMatch(/^must be 1-255 characters of A-Z a-z 0-9 _ -/);

      // A key the server refuses: its message at that row.
      await name.fill("bad-input");
      await page.getByRole("textbox", { name: "Key 1" }).fill("1a");
      await page.getByRole("button", { name: "Create secret" }).click();
      const keyError = page.locator(".field", { has: page.getByRole("textbox", { name: "Key 1" }) }).locator(".field-error");
      await expect(keyError.textContent()).resolves.toMatch(/invalid key '1a'/);

      // Empty and duplicate keys are caught before asking.
      await page.getByRole("textbox", { name: "Key 1" }).fill("dup");
      await page.getByRole("button", { name: "Add a key" }).click();
      await page.getByRole("textbox", { name: "Key 2" }).fill("dup");
      await page.getByRole("button", { name: "Add a key" }).click();
      await page.getByRole("button", { name: "Create secret" }).click();
      await expect(page.locator(".field", { has: page.getByRole("textbox", { name: "Key 2" }) }).locator(".field-error").textContent()).resolves.toBe("Key 'dup' is given more than once.");
      await expect(page.locator(".field", { has: page.getByRole("textbox", { name: "Key 3" }) }).locator(".field-error").textContent()).resolves.toBe("Enter a key name.");
      await page.getByRole("button", { name: "Remove key 3" }).click();
      await page.getByRole("button", { name: "Remove key 2 (dup)" }).click();

      // 70 KB: over the 64 KiB limit.
      await page.getByRole("textbox", { name: "Value 1" }).fill("v".repeat(70_000));
      await page.getByRole("button", { name: "Create secret" }).click();
      await expect(page.getByRole("alert").first().textContent()).resolves.toMatch(/^Secret 'bad-input' would be \d+ bytes .*the limit is 65536\.$/);

      expect(await secretsNamed("bad-input")).toEqual([]);
      expect(await secretsNamed("bad name")).toEqual([]);
      expect(await seriousAxeViolations(page)).toEqual([]);
      expectNoProblems();
    });
  });

  const password = fixtureValue("pw");
  const dbUser = fixtureValue("user");
  let secretUrl: string;

  it("creates a secret from rows and a pasted .env block; its page shows keys with values masked", async () => {
    await withScreenshot(page, "create", async () => {
      await page.goto("/secrets/new");
      await page.getByRole("textbox", { name: "Name" }).fill("billing-db");
      await page.getByRole("textbox", { name: "Key 1" }).fill("host");
      await page.getByRole("textbox", { name: "Value 1" }).fill("db.internal");
      await page.getByText("Paste a .env block").click();
      await page.getByRole("textbox", { name: ".env lines (KEY=value)" }).fill(`# billing\nDB_PASSWORD="${password}"\nexport DB_USER=${dbUser}\n`);
      await page.getByRole("button", { name: "Fill the rows" }).click();
      expect(await page.getByRole("textbox", { name: "Key 3" }).inputValue()).toBe("DB_USER");
      await page.getByRole("button", { name: "Create secret" }).click();
      await page.getByRole("heading", { name: "billing-db" }).waitFor();
      secretUrl = new URL(page.url()).pathname;
      expect(secretUrl).toMatch(/^\/secrets\/[0-9a-f-]{36}$/);

      const keys = await page.locator(".values-table tbody th").allTextContents();
      expect(keys).toEqual(["DB_PASSWORD", "DB_USER", "host"]);
      const html = await page.content();
      expect(html).not.toContain(password);
      expect(html).not.toContain(dbUser);
      const [secret] = await secretsNamed("billing-db");
      expect(secret?.version).toBe(1);
      expect(await seriousAxeViolations(page)).toEqual([]);
      expectNoProblems();
    });
  });

  it("reveals one value, then all (one audited read each); copies one; after leaving, no value is in storage, URL, history state or the list page", async () => {
    await withScreenshot(page, "reveal", async () => {
      const reads = () => apiCall(server.url, token, "GET", "/api/v1/audit?action=secret.read&size=100").then((result) => result.json.total as number);
      const readsBefore = await reads();
      const valueRequests: string[] = [];
      page.on("request", (request) => {
        if (/^\/api\/v1\/secrets\/[0-9a-f-]{36}$/.test(new URL(request.url()).pathname) && request.method() === "GET") valueRequests.push(request.url());
      });

      await page.getByRole("button", { name: "Reveal DB_PASSWORD" }).click();
      await page.getByText(password).waitFor();
      expect(await page.getByText(dbUser).count()).toBe(0);
      await page.getByRole("button", { name: "Reveal all values" }).click();
      await page.getByText(dbUser).waitFor();
      expect(valueRequests).toHaveLength(1);
      expect(await reads()).toBe(readsBefore + 1);
      expect(await seriousAxeViolations(page)).toEqual([]);

      await page.getByRole("button", { name: "Copy DB_USER" }).click();
      await page.getByRole("button", { name: "Copy DB_USER" }).getByText("Copied").waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(dbUser);
      await page.getByRole("button", { name: "Hide DB_PASSWORD" }).click();
      expect(await page.getByText(password).count()).toBe(0);

      // Leave the page through the app's own navigation (same document: state that lingered would still be there).
      await page.getByRole("link", { name: "Secrets" }).first().click();
      await page.getByRole("heading", { name: "Secrets", exact: true }).waitFor();
      await page.getByRole("link", { name: "billing-db" }).waitFor();
      for (const value of [password, dbUser]) {
        expect(await storedState()).not.toContain(value);
        expect(await page.content()).not.toContain(value);
      }
      // Back to the secret: masked again, nothing read until asked.
      await page.goBack();
      await page.getByRole("heading", { name: "billing-db" }).waitFor();
      expect(await page.content()).not.toContain(password);
      expect(valueRequests).toHaveLength(1);
      expect(await storedState()).not.toContain(password);
      expectNoProblems();
    });
  });

  it("an edit saved after someone else changed the secret is refused with a reload offer; after reloading, only the changed keys are sent", async () => {
    await withScreenshot(page, "conflict", async () => {
      await page.goto(secretUrl);
      await page.getByRole("heading", { name: "billing-db" }).waitFor();
      await page.getByRole("button", { name: "Edit values" }).click();
      await page.getByRole("button", { name: "Change value of host" }).click();
      await page.getByRole("textbox", { name: "New value of host" }).fill("db.browser");
      expect(await seriousAxeViolations(page)).toEqual([]);

      // Meanwhile another client changes it.
      const other = await apiCall(server.url, token, "PATCH", "/api/v1/secrets/billing-db", { values: { host: "db.api" } });
      expect(other.json.version).toBe(2);

      await page.getByRole("button", { name: "Save changes" }).click();
      const alert = page.getByRole("alert");
      await expect(alert.textContent()).resolves.toMatch(/^Someone else changed this secret since you started editing \(.*version 2.*\)\. Nothing was saved\./);
      expect((await apiCall(server.url, token, "GET", "/api/v1/secrets/billing-db")).json.values.host).toBe("db.api");
      await page.getByRole("button", { name: "Reload the secret" }).click();
      await page.getByText("Version").locator("xpath=following-sibling::dd[1]").getByText("2").waitFor();

      const sent: unknown[] = [];
      page.on("request", (request) => {
        if (request.method() === "PATCH") sent.push({ body: request.postDataJSON() as unknown, ifMatch: request.headers()["if-match"] });
      });
      const newKey = fixtureValue("token");
      await page.getByRole("button", { name: "Edit values" }).click();
      await page.getByRole("button", { name: "Change value of host" }).click();
      await page.getByRole("textbox", { name: "New value of host" }).fill("db.browser");
      // A person clicks the label (React Aria draws the box; the input is visually hidden).
      await page.locator("label", { hasText: "Remove DB_USER" }).click();
      expect(await page.getByRole("checkbox", { name: "Remove DB_USER" }).isChecked()).toBe(true);
      await page.getByRole("button", { name: "Add a key" }).click();
      await page.getByRole("textbox", { name: "Key 1" }).fill("API_TOKEN");
      await page.getByRole("textbox", { name: "Value 1" }).fill(newKey);
      await page.getByRole("button", { name: "Save changes" }).click();
      await page.getByText("Version").locator("xpath=following-sibling::dd[1]").getByText("3").waitFor();
      expect(sent).toEqual([{ body: { values: { host: "db.browser", DB_USER: null, API_TOKEN: newKey } }, ifMatch: '"2"' }]);
      const stored = (await apiCall(server.url, token, "GET", "/api/v1/secrets/billing-db")).json;
      expect(stored.values).toEqual({ host: "db.browser", DB_PASSWORD: password, API_TOKEN: newKey });
      expect(await page.content()).not.toContain(newKey);
      expectNoProblems();
    });
  });

  it("renames, and deletes only once the name is typed", async () => {
    await withScreenshot(page, "rename-delete", async () => {
      await page.getByRole("button", { name: "Rename…" }).click();
      await page.getByRole("textbox", { name: "New name" }).fill("billing-db-main");
      await page.getByRole("button", { name: "Rename", exact: true }).click();
      await page.getByRole("heading", { name: "billing-db-main" }).waitFor();
      expect(await secretsNamed("billing-db-main")).toHaveLength(1);

      await page.getByRole("button", { name: "Delete…" }).click();
      const dialog = page.getByRole("alertdialog");
      await dialog.waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);
      const confirm = dialog.getByRole("button", { name: "Delete", exact: true });
      expect(await confirm.isDisabled()).toBe(true);
      await dialog.getByRole("textbox", { name: "Name of the secret" }).fill("billing-db");
      expect(await confirm.isDisabled()).toBe(true);
      await dialog.getByRole("textbox", { name: "Name of the secret" }).fill("billing-db-main");
      await confirm.click();
      await page.getByRole("heading", { name: "Secrets", exact: true }).waitFor();
      expect(await secretsNamed("billing-db-main")).toEqual([]);
      const deleted = (await apiCall(server.url, token, "GET", "/api/v1/secrets?deleted=true&workspace=*")).json.items as { name: string }[];
      expect(deleted.map((secret) => secret.name)).toEqual(["billing-db-main"]);
      expectNoProblems();
    });
  });

  it("markup and template syntax in names, keys and values show as text: no dialog, no console error", async () => {
    await withScreenshot(page, "xss", async () => {
      const markup = "<img src=x onerror=alert(1)>";
      // Names and keys cannot hold markup (the server refuses them); the refusal is shown as text.
      await page.goto("/secrets/new");
      await page.getByRole("textbox", { name: "Name" }).fill(markup);
      await page.getByRole("textbox", { name: "Key 1" }).fill("{{7*7}}");
      await page.getByRole("button", { name: "Create secret" }).click();
      await page.locator(".field-error").first().waitFor();
      expect(await page.locator("img").count()).toBe(0);

      const created = await apiCall(server.url, token, "POST", "/api/v1/secrets", { name: "markup", values: { html: markup, template: "{{7*7}}" } });
      expect(created.status).toBe(201);
      await page.goto(`/secrets/${created.json.id}`);
      await page.getByRole("button", { name: "Reveal all values" }).click();
      await page.getByText(markup, { exact: true }).waitFor();
      await page.getByText("{{7*7}}", { exact: true }).waitFor();
      expect(await page.getByText("49", { exact: true }).count()).toBe(0);
      expect(await page.locator("main img").count()).toBe(0);
      await page.waitForTimeout(200);
      expectNoProblems();
    });
  });

  it("the secrets list searches, filters by scope and workspace, sorts and pages; it never holds a value", async () => {
    await withScreenshot(page, "list", async () => {
      await apiCall(server.url, token, "POST", "/api/v1/workspaces", { name: "staging" });
      const value = fixtureValue("list");
      for (let i = 0; i < 23; i++) await apiCall(server.url, token, "POST", "/api/v1/secrets", { name: `svc-${String(i).padStart(2, "0")}`, values: { k: value } });
      await apiCall(server.url, token, "POST", "/api/v1/secrets", { name: "mine", scope: "user", values: { k: value } });
      await apiCall(server.url, token, "POST", "/api/v1/secrets", { name: "svc-staging", workspace: "staging", values: { k: value } });
      // Another user changes it last: the list says who.
      await apiCall(server.url, token, "POST", "/api/v1/users", { name: "dana", password: "dana-password-1" });
      const danaToken = await loginToken(server.url, "dana", "dana-password-1");
      expect((await apiCall(server.url, danaToken, "PATCH", "/api/v1/secrets/svc-staging?workspace=staging", { values: { k2: value } })).status).toBe(200);

      const started = Date.now();
      await page.goto("/secrets");
      await page.locator(".data-table tbody tr").first().waitFor();
      console.log(`secrets page first load: ${Date.now() - started} ms`);
      expect(await seriousAxeViolations(page)).toEqual([]);
      const names = () => page.locator(".data-table tbody th").allTextContents();
      /** Waits until the table shows exactly these names (a filter's answer replaces the previous page when it arrives). */
      const namesBecome = async (expected: string[]) => {
        const deadline = Date.now() + 15_000;
        while (JSON.stringify(await names()) !== JSON.stringify(expected) && Date.now() < deadline) await page.waitForTimeout(50);
        expect(await names()).toEqual(expected);
        await page.locator('.data-table[aria-busy="false"]').waitFor();
      };
      expect(await names()).toHaveLength(20);
      await expect(page.getByText(/^Page 1 of 2 \(26 in all\)$/).count()).resolves.toBe(1);
      await page.getByRole("button", { name: "Next page" }).click();
      await namesBecome(["svc-18", "svc-19", "svc-20", "svc-21", "svc-22", "svc-staging"]);
      await page.getByText("Page 2 of 2 (26 in all)").waitFor();

      await page.getByRole("searchbox", { name: "Name contains" }).fill("staging");
      await namesBecome(["svc-staging"]);
      await page.getByText("Page 1 of 1 (1 in all)").waitFor();
      expect(await page.locator(".data-table tbody td").allTextContents()).toEqual(["workspace", "staging", "2", expect.any(String), "dana"]);

      await page.getByRole("searchbox", { name: "Name contains" }).fill("");
      await page.getByRole("button", { name: /Scope$/ }).click();
      await page.getByRole("option", { name: "User (private)" }).click();
      await namesBecome(["mine"]);
      await page.getByText("Page 1 of 1 (1 in all)").waitFor();

      await page.getByRole("button", { name: /Scope$/ }).click();
      await page.getByRole("option", { name: "All scopes" }).click();
      await page.getByRole("button", { name: /Workspace$/ }).click();
      await page.getByRole("option", { name: "staging" }).click();
      await namesBecome(["svc-staging"]);
      await page.getByText("Page 1 of 1 (1 in all)").waitFor();

      await page.getByRole("button", { name: /Workspace$/ }).click();
      await page.getByRole("option", { name: "default" }).click();
      await page.getByRole("button", { name: /Sort by$/ }).click();
      await page.getByRole("option", { name: "Name, Z to A" }).click();
      await page.waitForURL(/sort=desc%3Aname/);
      await namesBecome(["svc-22", "svc-21", "svc-20", "svc-19", "svc-18", "svc-17", "svc-16", "svc-15", "svc-14", "svc-13", "svc-12", "svc-11", "svc-10", "svc-09", "svc-08", "svc-07", "svc-06", "svc-05", "svc-04", "svc-03"]);
      await page.getByText("Page 1 of 2 (25 in all)").waitFor();
      expect(await page.content()).not.toContain(value);
      expect(await storedState()).not.toContain(value);
      expectNoProblems();
    });
  });
});
