// In a real browser against the production build: first-run setup creates the admin, sign
// out and in again, create a key and a share link in the UI, open the link as a customer
// (a fresh browser profile, no cookies), read the report, print it to PDF with Chromium and
// read the PDF's text, then see a revoked and an expired link refused.
// Screenshots go to $LINKSCOPE_SCREENSHOTS (docs/screenshots to refresh the docs) or a temp dir.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createShareLink } from "@/lib/reports/share-links";
import { startApp, type RunningApp } from "../helpers/app";
import { OTHER_SITE, REPORT_SITE, seedReportSites } from "../helpers/report-seed";
import { sqliteTestDb, type TestDb } from "../helpers/test-db";
import { browserMissing, freshBrowser, pdfText, pdftotextMissing, type Person } from "./browser";

const missing = browserMissing();
const inCi = process.env.CI === "true";
const shots = process.env.LINKSCOPE_SCREENSHOTS ?? fs.mkdtempSync(path.join(os.tmpdir(), "linkscope-shots-"));
// expect.poll's default second is short for a busy CI machine building pages on first view.
const poll = <T,>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });
const ADMIN = { email: "admin@acme.example", name: "Ada Admin", password: "correct horse battery staple" };

test("Chromium is installed, or this is not CI (where browser tests must run)", () => {
  expect(inCi ? missing : null).toBeNull();
});
if (missing && !inCi) console.warn(`skipping browser tests: ${missing}`);

describe.skipIf(missing !== null)("share-link report in Chromium", () => {
  let t: TestDb;
  let app: RunningApp;
  let admin: Person;
  let customer: Person;
  let reportUrl = "";

  beforeAll(async () => {
    t = await sqliteTestDb();
    await seedReportSites(t.db);
    app = await startApp(t.config, { LINKSCOPE_BACKGROUND: "off" });
    [admin, customer] = [await freshBrowser(), await freshBrowser()];
    fs.mkdirSync(shots, { recursive: true });
  }, 240_000);

  afterAll(async () => {
    await admin?.close();
    await customer?.close();
    await app?.stop();
    await t?.cleanup();
  });

  const adminPage = async (): Promise<Page> => admin.context.pages()[0] ?? (await admin.context.newPage());

  test("first-run setup creates the admin; sign out; sign in", async () => {
    const page = await adminPage();
    await page.goto(app.url);
    await poll(() => new URL(page.url()).pathname).toBe("/setup");
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Name").fill(ADMIN.name);
    await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
    await page.getByLabel("Password, again").fill(ADMIN.password);
    await page.getByRole("button", { name: "Create admin account" }).click();
    await page.waitForURL(`${app.url}/`);
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const item of ["Share links", "Keys", "Users"]) await poll(() => nav.getByRole("link", { name: item }).count()).toBe(1);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/login$/);
    await page.goto(`${app.url}/setup`);
    await page.waitForURL(/\/login$/); // setup is closed now
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${app.url}/`);
  }, 60_000);

  test("an admin creates a site key (shown once), then revokes it after confirming", async () => {
    const page = await adminPage();
    await page.goto(`${app.url}/settings/keys`);
    await page.getByLabel("Site", { exact: true }).fill(REPORT_SITE.slug);
    await page.getByLabel("Name (optional)").fill("Hamburg gateways");
    await page.getByRole("button", { name: "Create key" }).click();
    const shown = page.getByTestId("shown-once-value");
    await poll(() => shown.inputValue()).toMatch(/^lsk_[a-z0-9]{8}_/);
    const prefix = (await shown.inputValue()).split("_")[1];
    await poll(() => page.getByRole("row", { name: new RegExp(prefix) }).textContent()).toContain("Hamburg gateways");
    await page.screenshot({ path: path.join(shots, "keys.png"), fullPage: true });

    await page.getByRole("button", { name: `Revoke key ${prefix}` }).click();
    await page.getByRole("button", { name: "Yes, revoke" }).click();
    await poll(() => page.getByText(`Key ${prefix} is revoked`).count()).toBe(1);
    await poll(() => page.getByRole("row", { name: new RegExp(prefix) }).textContent()).toContain("Revoked");
  }, 60_000);

  test("an operator-level user creates a share link in the UI; the URL is shown once", async () => {
    const page = await adminPage();
    await page.goto(`${app.url}/settings/share-links`);
    await page.getByLabel("Site", { exact: true }).selectOption(REPORT_SITE.slug);
    await page.getByLabel("Expires after (days)").fill("7");
    await page.getByLabel("Note (optional, shown only in this list)").fill("ACME IT, ticket 4711");
    await page.getByRole("button", { name: "Create link" }).click();
    const shown = page.getByTestId("shown-once-value");
    await poll(() => shown.inputValue()).toMatch(/\/r\/lsr_/);
    reportUrl = await shown.inputValue();
    expect(reportUrl.startsWith(`${app.url}/r/`)).toBe(true);
    await poll(() => page.getByRole("row", { name: /ACME IT/ }).count()).toBe(1);
    await page.screenshot({ path: path.join(shots, "share-links.png"), fullPage: true });
  }, 60_000);

  test("a customer without any login opens the report: this site only, no navigation", async () => {
    const page = await customer.context.newPage();
    const res = await page.goto(reportUrl);
    expect(res?.status()).toBe(200);
    expect(await customer.context.cookies()).toEqual([]);
    await poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(REPORT_SITE.name);
    const text = await page.locator("body").innerText();
    for (const s of ["Period:", "Generated at", "What to ask your network team", "raise the TCP idle (session) timeout", "exempt tenant.example.com", "Zscaler", "gw-hh-01"]) expect(text).toContain(s);
    const html = await page.content();
    for (const s of [OTHER_SITE.name, OTHER_SITE.devicePrefix, OTHER_SITE.slug]) expect(html).not.toContain(s);
    // Nothing to click but the report's own anchors and downloads; no dashboard navigation.
    expect(await page.getByRole("navigation").count()).toBe(0);
    const hrefs = await page.locator("a:visible").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
    const own = new URL(reportUrl).pathname;
    expect(hrefs.filter((h) => !h.startsWith("#") && !h.startsWith(`${own}/`))).toEqual([]);
    // The charts are there, as SVG drawn on the server.
    expect(await page.locator("figure svg[role=img]").count()).toBeGreaterThanOrEqual(1);

    for (const file of ["sessions.csv", "findings.csv"]) {
      const csv = await page.request.get(`${reportUrl}/${file}`);
      expect(csv.status()).toBe(200);
      expect(csv.headers()["content-disposition"]).toMatch(/^attachment; filename="linkscope-hamburg-/);
      expect(await csv.text()).not.toContain(OTHER_SITE.devicePrefix);
    }
    await page.screenshot({ path: path.join(shots, "report-light.png"), fullPage: true });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: path.join(shots, "report-dark.png"), fullPage: true });
    await page.close();
  }, 60_000);

  test("the report prints to PDF: findings on their own pages, the asks and charts in the text", async (ctx) => {
    const page = await customer.context.newPage();
    await page.goto(reportUrl);
    const pdf = path.join(shots, "report.pdf");
    // Printed from dark mode on purpose: the print stylesheet must still give dark ink on white paper.
    await page.emulateMedia({ colorScheme: "dark" });
    await page.pdf({ path: pdf, format: "A4", printBackground: true });
    await page.pdf({ path: path.join(shots, "report-letter.pdf"), format: "Letter", printBackground: true });
    await page.close();
    const noPdftotext = pdftotextMissing();
    if (noPdftotext && !inCi) ctx.skip(noPdftotext);
    expect(noPdftotext).toBeNull();
    const text = pdfText(pdf);
    const pages = text.split("\f").filter((p) => p.trim());
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const flat = text.replace(/\s+/g, " ").toLowerCase();
    for (const s of [REPORT_SITE.name, "Generated at", "The change to ask for", "raise the TCP idle", "15-minute firewall idle timeout", "Zscaler", "Devices at this site"]) {
      expect(flat).toContain(s.toLowerCase());
    }
    // Findings start on their own pages; the screen-only parts are not printed.
    expect(pages.filter((p) => /the change to ask for/i.test(p)).length).toBe(2);
    expect(pages.some((p) => /the change to ask for/i.test(p) && p.includes("What to ask your network team"))).toBe(false);
    for (const s of ["Downloads", "Sign out", "Skip to content", OTHER_SITE.devicePrefix]) expect(text).not.toContain(s);
  }, 60_000);

  test("revoked and expired links show the expiry page (404)", async () => {
    const page = await adminPage();
    await page.goto(`${app.url}/settings/share-links`);
    await page.getByRole("button", { name: /Revoke the link to hamburg \(ACME IT/ }).click();
    await page.getByRole("button", { name: "Yes, revoke" }).click();
    await poll(() => page.getByRole("row", { name: /ACME IT/ }).count()).toBe(0);

    const expired = await createShareLink(t.db, { siteSlug: REPORT_SITE.slug, createdById: null, expiresInDays: 1 });
    await t.db.prisma.shareLink.update({ where: { id: expired!.link.id }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    const visitor = await customer.context.newPage();
    for (const url of [reportUrl, `${app.url}/r/${expired!.token}`]) {
      const res = await visitor.goto(url);
      expect(res?.status()).toBe(404);
      const text = await visitor.locator("body").innerText();
      expect(text).toContain("This link has expired or was revoked — ask your contact for a new one");
      expect(text).not.toContain(REPORT_SITE.name);
    }
    await visitor.screenshot({ path: path.join(shots, "report-expired.png") });
  }, 60_000);
});
