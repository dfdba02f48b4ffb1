// Debian's Chromium driven by playwright-core, as ENVIRONMENT.md prescribes (never a
// downloaded browser). Missing Chromium skips browser suites locally and fails them when
// CI=true or LINKSCOPE_REQUIRE_BROWSER=1: a silently skipped browser test proves nothing.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM_PATH = process.env.LINKSCOPE_CHROMIUM ?? "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

export function browserSkipReason(): string | null {
  if (fs.existsSync(CHROMIUM_PATH)) return null;
  const reason = `Chromium is not installed at ${CHROMIUM_PATH} (apt-get install -y chromium)`;
  if (process.env.CI === "true" || process.env.LINKSCOPE_REQUIRE_BROWSER === "1") throw new Error(`A browser is required (CI) but ${reason}`);
  return reason;
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh profile (its own --user-data-dir), signed in with the given session cookie. */
export async function launchBrowser(baseUrl: string, cookie: string, viewport = { width: 1440, height: 900 }): Promise<Browser> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "linkscope-chromium-"));
  const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM_PATH, headless: true, args: ARGS, viewport, timezoneId: "UTC", locale: "en-GB" });
  const [name, ...value] = cookie.split("=");
  await context.addCookies([{ name, value: value.join("="), url: baseUrl }]);
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Console errors and uncaught exceptions of a page, collected as they happen. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`page: ${e.message}`));
  return errors;
}
