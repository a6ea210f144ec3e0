import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Browser } from "playwright-core";
import { launchChromium, openPage, seriousAxeViolations, unexpectedConsoleErrors, withScreenshot } from "../support/browser";
import { apiCall, loginToken, signIn } from "../support/dashboard-session";
import { tabTo } from "../support/keyboard";
import { ADMIN_PASSWORD, startZsServer, type ZsServer } from "../support/zs-server";

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

describe("signing in and out of the dashboard", () => {
  let server: ZsServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startZsServer({ ZS_DASHBOARD_IDLE_MINUTES: "1" }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("the dashboard is served at / and at its routes under the strict CSP, with no inline script", async () => {
    for (const route of ["/", "/secrets", "/secrets/some-id"]) {
      const response = await fetch(new URL(route, server.url));
      expect(response.status).toBe(200);
      expect(response.headers.get("content-security-policy")).toBe(CSP);
      const html = await response.text();
      expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/<style/);
    }
  });

  it("a wrong password shows the server's error; the right one opens the app; axe finds nothing serious on either", async () => {
    const { context, page, problems } = await openPage(browser, server.url);
    await withScreenshot(page, "sign-in", async () => {
      await page.goto("/");
      await page.getByRole("heading", { name: "Sign in to zs" }).waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);
      await page.getByLabel("User name").fill("admin");
      await page.getByLabel("Password").fill("not-the-password");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByRole("alert").textContent()).resolves.toBe("Wrong user name or password.");
      // The password field is emptied after a refusal.
      expect(await page.getByLabel("Password").inputValue()).toBe("");

      await signIn(page);
      expect(new URL(page.url()).pathname).toBe("/secrets");
      await page.getByRole("heading", { name: "Secrets" }).waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);
      // The session cookie is HttpOnly: no script of the page sees it.
      expect(await page.evaluate(() => document.cookie)).toBe("");
      const cookies = await context.cookies();
      expect(cookies.map((cookie) => [cookie.name, cookie.httpOnly, cookie.sameSite])).toEqual([["zs_session", true, "Strict"]]);

      // A reload keeps the session (GET /api/v1/session).
      await page.reload();
      await page.getByRole("heading", { name: "Secrets" }).waitFor();

      const revoked = page.waitForResponse((response) => new URL(response.url()).pathname === "/api/v1/session" && response.request().method() === "DELETE");
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByRole("heading", { name: "Sign in to zs" }).waitFor();
      expect((await revoked).status()).toBe(204);
      // Names only: a cookie's value is a session token, never printed.
      expect((await context.cookies()).map((cookie) => cookie.name)).toEqual([]);
      expect(problems.csp).toEqual([]);
      expect(problems.dialogs).toEqual([]);
      expect(unexpectedConsoleErrors(problems)).toEqual([]);
    });
    await context.close();
  });

  it("the dashboard's requests carry X-ZS-Request; a cookie-authenticated change without it is refused with CSRF_REJECTED", async () => {
    const { context, page, problems } = await openPage(browser, server.url);
    await withScreenshot(page, "csrf", async () => {
      const requests: (string | undefined)[] = [];
      page.on("request", (request) => {
        if (new URL(request.url()).pathname.startsWith("/api/")) requests.push(request.headers()["x-zs-request"]);
      });
      await signIn(page);
      await page.getByRole("heading", { name: "Secrets" }).waitFor();
      expect(requests.length).toBeGreaterThan(1);
      expect(new Set(requests)).toEqual(new Set(["1"]));
      const refused = await page.evaluate(async () => {
        const response = await fetch("/api/v1/secrets", { method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: "csrf", values: { a: "b" } }) });
        return { status: response.status, body: (await response.json()) as { error: { code: string } } };
      });
      expect([refused.status, refused.body.error.code]).toEqual([403, "CSRF_REJECTED"]);
      expect(problems.csp).toEqual([]);
    });
    await context.close();
  });

  it("a form on another origin of the same site posts to the API with the browser's cookie: 403 CSRF_REJECTED, nothing written; a bearer request needs no header", async () => {
    // The attacker's page: another port of the same host (so the SameSite=Strict cookie is sent),
    // a form that submits itself as text/plain with a body shaped like JSON, as CSRF attacks on JSON APIs do.
    const forgedName = "forged-by-form";
    const attackerPage = `<!doctype html><body><form id="f" method="POST" enctype="text/plain" action="${server.url}/api/v1/secrets">` +
      `<input name='{"name":"${forgedName}","values":{"a":"b"},"pad":"' value='"}'></form><script>document.getElementById("f").submit()</script></body>`;
    const attacker = http.createServer((_request, response) => response.writeHead(200, { "Content-Type": "text/html" }).end(attackerPage));
    await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
    const { context, page } = await openPage(browser, server.url);
    try {
      await withScreenshot(page, "csrf-form", async () => {
        await signIn(page);
        const answer = page.waitForResponse((response) => response.url() === `${server.url}/api/v1/secrets` && response.request().method() === "POST");
        await page.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
        const response = await answer;
        expect(response.request().headers().cookie ?? (await response.request().allHeaders()).cookie).toMatch(/zs_session=/);
        expect([response.status(), ((await response.json()) as { error: { code: string } }).error.code]).toEqual([403, "CSRF_REJECTED"]);
        const token = await loginToken(server.url);
        expect((await apiCall(server.url, token, "GET", `/api/v1/secrets?name=eq:${forgedName}`)).json.total).toBe(0);
        const byScript = await apiCall(server.url, token, "POST", "/api/v1/secrets", { name: "made-with-a-bearer-token", values: { a: "b" } });
        expect(byScript.status).toBe(201);
      });
    } finally {
      await context.close();
      await new Promise((resolve) => attacker.close(resolve));
    }
  });

  it("a session that ends elsewhere (its cookie gone) brings back the sign-in page with a message at the next request", async () => {
    const { context, page, problems } = await openPage(browser, server.url);
    await withScreenshot(page, "session-ended", async () => {
      await signIn(page);
      await page.getByRole("heading", { name: "Secrets" }).waitFor();
      await context.clearCookies();
      await page.getByRole("link", { name: "API keys" }).click();
      await page.getByRole("heading", { name: "Sign in to zs" }).waitFor();
      await expect(page.getByRole("status").first().textContent()).resolves.toBe("Your session has ended. Sign in again.");
      await signIn(page, undefined, undefined, { stay: true });
      // Back where the person was.
      expect(new URL(page.url()).pathname).toBe("/api-keys");
      expect(problems.csp).toEqual([]);
    });
    await context.close();
  });

  it("after the idle time without activity, the session locks: cache cleared, session revoked, sign-in page says so", async () => {
    const { context, page, problems } = await openPage(browser, server.url);
    await withScreenshot(page, "idle-lock", async () => {
      await page.clock.install();
      await signIn(page);
      await page.getByRole("heading", { name: "Secrets" }).waitFor();
      // ZS_DASHBOARD_IDLE_MINUTES=1 for this server.
      await page.clock.fastForward("00:30");
      await page.getByRole("heading", { name: "Secrets" }).waitFor();
      // The page locks at once and revokes the session in the background: wait for that answer.
      const revoked = page.waitForResponse((response) => new URL(response.url()).pathname === "/api/v1/session" && response.request().method() === "DELETE");
      await page.clock.fastForward("00:40");
      await page.getByRole("heading", { name: "Sign in to zs" }).waitFor();
      await expect(page.getByRole("status").first().textContent()).resolves.toMatch(/session locked after 1 minutes without activity/);
      expect((await revoked).status()).toBe(204);
      const session = await page.evaluate(async () => (await fetch("/api/v1/session", { headers: { "X-ZS-Request": "1" } })).status);
      expect(session).toBe(401);
      expect(problems.csp).toEqual([]);
    });
    await context.close();
  });

  it("a person with only a keyboard signs in, creates a secret, reveals it, filters the list and signs out", async () => {
    const { context, page, problems } = await openPage(browser, server.url);
    await withScreenshot(page, "keyboard", async () => {
      const value = `keyboard-${Date.now()}`;
      await page.goto("/");
      await tabTo(page, "User name");
      await page.keyboard.type("admin");
      await tabTo(page, "Password");
      await page.keyboard.type(ADMIN_PASSWORD);
      await page.keyboard.press("Enter");
      await page.getByRole("heading", { name: "Secrets" }).waitFor();

      await tabTo(page, "New secret");
      await page.keyboard.press("Enter");
      await page.getByRole("heading", { name: "New secret" }).waitFor();
      await tabTo(page, "Name");
      await page.keyboard.type("typed-by-keys");
      await tabTo(page, "Key 1");
      await page.keyboard.type("TOKEN");
      await tabTo(page, "Value 1");
      await page.keyboard.type(value);
      await tabTo(page, "Create secret");
      await page.keyboard.press("Enter");
      await page.getByRole("heading", { name: "typed-by-keys" }).waitFor();
      await tabTo(page, "Reveal all values");
      await page.keyboard.press("Enter");
      await page.getByText(value).waitFor();

      await tabTo(page, "Secrets");
      await page.keyboard.press("Enter");
      await page.getByRole("heading", { name: "Secrets", exact: true }).waitFor();
      await tabTo(page, /Scope$/);
      await page.keyboard.press("ArrowDown");
      await page.getByRole("listbox").waitFor();
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("Enter");
      await page.waitForURL(/scope=workspace/);
      await page.getByRole("link", { name: "typed-by-keys" }).waitFor();
      await tabTo(page, "Sign out");
      await page.keyboard.press("Enter");
      await page.getByRole("heading", { name: "Sign in to zs" }).waitFor();
      expect(problems.csp).toEqual([]);
    });
    await context.close();
  });

  it("throttled sign-ins show the server's message with when to try again", async () => {
    const { context, page, problems } = await openPage(browser, server.url);
    await withScreenshot(page, "rate-limited", async () => {
      await page.goto("/");
      let message = "";
      for (let attempt = 0; attempt < 20 && !message.includes("Too many"); attempt++) {
        await page.getByLabel("User name").fill("nobody-here");
        await page.getByLabel("Password").fill(`wrong-${attempt}`);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.getByRole("alert").waitFor();
        await page.getByRole("button", { name: "Sign in" }).and(page.locator(":not([data-pending])")).waitFor();
        message = (await page.getByRole("alert").textContent()) ?? "";
      }
      expect(message).toMatch(/^Too many failed logins .*try again in \d+ s\. \(You can try again at .+\.\)$/);
      expect(problems.csp).toEqual([]);
    });
    await context.close();
  });
});
