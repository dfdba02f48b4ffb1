// Debian's Chromium driven by playwright-core: one fresh profile (--user-data-dir) per person
// in a test, so a customer opening a link carries none of the operator's cookies.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

export const CHROMIUM = process.env.LINKSCOPE_CHROMIUM ?? "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/** Why browser tests cannot run here, or null when they can. */
export function browserMissing(): string | null {
  return fs.existsSync(CHROMIUM) ? null : `Chromium not found at ${CHROMIUM} (apt-get install chromium)`;
}

export function pdftotextMissing(): string | null {
  try {
    execFileSync("pdftotext", ["-v"], { stdio: "ignore" });
    return null;
  } catch {
    return "pdftotext not found (apt-get install poppler-utils)";
  }
}

export interface Person {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function freshBrowser(options: { colorScheme?: "light" | "dark" } = {}): Promise<Person> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "linkscope-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1200, height: 900 },
    colorScheme: options.colorScheme ?? "light",
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The text of a PDF, pages separated by form feeds. */
export function pdfText(file: string): string {
  return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
}
