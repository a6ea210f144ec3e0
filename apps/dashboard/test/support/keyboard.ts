import type { Page } from "playwright-core";

/** The focused element's name as a person would read it: its label, aria-label or text. */
function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return "";
    const labelledBy = element.getAttribute("aria-labelledby");
    const byIds = labelledBy
      ? labelledBy
          .split(" ")
          .map((id) => document.getElementById(id)?.textContent ?? "")
          .join(" ")
      : "";
    const label = (element as HTMLInputElement).labels?.[0]?.textContent ?? "";
    return (element.getAttribute("aria-label") ?? (byIds || label || element.textContent || "")).trim();
  });
}

/** Presses Tab until the focused element's name matches (failing after `limit` presses): reachable by keyboard. */
export async function tabTo(page: Page, name: string | RegExp, limit = 60): Promise<void> {
  const seen: string[] = [];
  for (let presses = 0; presses < limit; presses++) {
    await page.keyboard.press("Tab");
    const current = await focusedName(page);
    if (typeof name === "string" ? current === name : name.test(current)) return;
    seen.push(current);
  }
  throw new Error(`Tab never reached '${String(name)}'; focus went through: ${seen.join(" | ")}`);
}
