import { readFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

/** Debian's Chromium, headless (playwright's own downloads do not work here). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.ZS_CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
}

/** What a page did that it never should: CSP violations, console errors, dialogs (alert from injected markup). */
export interface PageProblems {
  csp: string[];
  consoleErrors: string[];
  dialogs: string[];
}

/** A page of a fresh context (its own cookies) that records its problems. */
export async function openPage(browser: Browser, baseURL: string): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
  const context = await browser.newContext({ baseURL, permissions: ["clipboard-read", "clipboard-write"] });
  const page = await context.newPage();
  // Well under jest's test timeout, so a wait that fails says which one.
  page.setDefaultTimeout(15_000);
  const problems: PageProblems = { csp: [], consoleErrors: [], dialogs: [] };
  await page.exposeBinding("__zsReportCspViolation", (_source, text: string) => void problems.csp.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      (window as unknown as { __zsReportCspViolation(text: string): void }).__zsReportCspViolation(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  page.on("console", (message) => {
    if (message.type() === "error") problems.consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => problems.consoleErrors.push(`page error: ${error.message}`));
  page.on("dialog", (dialog) => {
    problems.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return { context, page, problems };
}

/**
 * Console errors that are expected answers of the server, not faults of the page: Chromium logs
 * every 4xx response ("Failed to load resource"), and tests provoke some on purpose.
 */
export function unexpectedConsoleErrors(problems: PageProblems): string[] {
  return problems.consoleErrors.filter((text) => !/^Failed to load resource: the server responded with a status of (4\d\d)/.test(text));
}

const SCREENSHOTS = path.join(__dirname, "..", "e2e", "screenshots");

/** Runs a test's body; when it fails, saves a screenshot of the page named after the test first. */
export async function withScreenshot(page: Page, name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    await mkdir(SCREENSHOTS, { recursive: true });
    const file = path.join(SCREENSHOTS, `${name.replace(/[^\w-]+/g, "-").slice(0, 100)}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    throw error;
  }
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

let axeSource: Promise<string> | undefined;

/**
 * axe-core's serious and critical violations on the page as it is now. The CSP refuses
 * injected script tags, so axe is evaluated through the DevTools protocol (which the page's
 * CSP does not govern), leaving the page's own policy in force for everything else.
 */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  axeSource ??= readFile(require.resolve("axe-core/axe.min.js"), "utf8");
  const source = await axeSource;
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    // React Aria's live announcer (a visually hidden log region) briefly holds a role="img" node labelled by an
    // element of the page; axe can catch it between the two. It is the library's screen-reader channel, not page content.
    const result = await axe.run({ exclude: [["[data-live-announcer]"]] } as unknown as Document, { resultTypes: ["violations"] });
    return result.violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.map((node) => ({ target: node.target })) }));
  });
  return violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.impact} ${violation.id}: ${violation.help} at ${JSON.stringify(violation.nodes.map((node) => node.target))}`);
}
