import { expect } from "@jest/globals";
import type { Page } from "playwright-core";
import { ADMIN_PASSWORD } from "./zs-server";

/** Signs the page in through the sign-in form (at `/`, or where the page is with `stay`) and waits for the app. */
export async function signIn(page: Page, username = "admin", password = ADMIN_PASSWORD, options: { stay?: boolean } = {}): Promise<void> {
  if (!options.stay) await page.goto("/");
  await page.getByLabel("User name").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Main" }).waitFor();
  expect(await page.getByText(`Signed in as`).textContent()).toContain(username);
}

/** A bearer token for API calls made beside the browser (as another client would). */
export async function loginToken(url: string, username = "admin", password = ADMIN_PASSWORD): Promise<string> {
  const response = await fetch(new URL("/api/v1/login", url), { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ username, password }) });
  if (!response.ok) throw new Error(`login answered ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** A JSON call with a bearer token; the parsed body and status. */
export async function apiCall(url: string, token: string, method: string, route: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(new URL(route, url), {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}
