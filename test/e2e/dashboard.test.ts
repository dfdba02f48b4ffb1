// The dashboard in a real browser (Debian's Chromium through playwright-core) against the
// production build, seeded like `npm run demo`: the demo fleet through the public ingest
// API, analysed by the server. Every page loads without console errors and shows the
// seed's numbers; filters, acknowledge/resolve and URLs round-trip. Screenshots of every
// page, light and dark, go to LINKSCOPE_SCREENSHOT_DIR (docs/screenshots for the README).
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { FleetOverview } from "@/lib/contract/dashboard";
import type { FindingItem } from "@/lib/contract/read";
import { awaitFindings } from "../../scripts/demo/await-findings";
import { demoFleet, type DemoFleet } from "../../scripts/demo/fleet";
import { sendEvents, startLiveHeartbeats } from "../../scripts/demo/send";
import { keyFor, signIn, startApp, type RunningApp } from "../helpers/app";
import { browserSkipReason, collectErrors, launchBrowser, type Browser } from "../helpers/browser";
import { sqliteTestDb, type TestDb } from "../helpers/test-db";

const skip = browserSkipReason();
const SHOTS = process.env.LINKSCOPE_SCREENSHOT_DIR ?? "test-results/screenshots";
/**
 * Seconds to let the seeded fleet settle before the pages are visited: online state is judged
 * by receive time, so devices that went dark in the simulated history read as offline only
 * 2x their heartbeat interval after the fill. The README's screenshots are taken with 130.
 */
const SETTLE_S = Number(process.env.LINKSCOPE_E2E_SETTLE_S ?? 0);

let t: TestDb;
let app: RunningApp;
let fleet: DemoFleet;
let live: { stop(): void };
let browser: Browser;

describe.skipIf(skip !== null)(`dashboard in Chromium${skip ? ` (skipped: ${skip})` : ""}`, () => {
  beforeAll(async () => {
    t = await sqliteTestDb();
    // Fleet-wide analysis every minute (flapping is judged against the whole fleet).
    app = await startApp(t.config, { LINKSCOPE_ANALYSIS_DEBOUNCE_MS: "500", LINKSCOPE_ANALYSIS_EVERY_S: "60" });
    const key = await keyFor(t.db, "ingest");
    fleet = demoFleet();
    live = startLiveHeartbeats(app.url, key, fleet.live);
    const sent = await sendEvents(app.url, key, fleet.events);
    expect(sent.rejected).toBe(0);
    await awaitFindings(t.db, fleet.sites, 120_000);
    await new Promise((r) => setTimeout(r, 2000 + SETTLE_S * 1000)); // the last debounced analysis
    browser = await launchBrowser(app.url, await signIn(app.url, t.db, "operator"));
    fs.mkdirSync(SHOTS, { recursive: true });
  }, 300_000 + SETTLE_S * 1000);

  afterAll(async () => {
    live?.stop();
    await browser?.close();
    await app?.stop();
    await t?.cleanup();
  });

  /** Opens a page, waits for its data, and fails on any console error. */
  async function open(url: string, ready: string, page?: Page): Promise<{ page: Page; errors: string[] }> {
    const p = page ?? (await browser.context.newPage());
    const errors = collectErrors(p);
    await p.goto(`${app.url}${url}`);
    await p.getByText(ready, { exact: false }).first().waitFor({ timeout: 30_000 });
    await p.waitForLoadState("networkidle");
    return { page: p, errors };
  }

  async function api<T>(page: Page, url: string): Promise<T> {
    return page.evaluate(async (u) => (await fetch(u)).json(), url) as Promise<T>;
  }

  async function screenshots(page: Page, name: string) {
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(SHOTS, `${name}-${colorScheme}.png`), fullPage: true, animations: "disabled" });
    }
    await page.emulateMedia({ colorScheme: "light" });
  }

  test("fleet: the seed's numbers, sites most urgent first, search jumps to a site", async () => {
    const { page, errors } = await open("/", "Sites by health");
    const overview = await api<FleetOverview>(page, "/api/v1/fleet/overview");
    expect(overview.devices.total).toBe(new Set(fleet.events.map((e) => e.device)).size);
    await expect.poll(() => page.getByText(`/ ${overview.devices.total}`).first().isVisible()).toBe(true);
    const rows = page.locator("table").first().locator("tbody tr");
    expect(await rows.count()).toBe(fleet.sites.length);
    expect(await rows.first().getByText("Critical").count()).toBe(1);
    const critical = page.locator("dt", { hasText: "Critical findings" }).locator("..").locator("dd").first();
    expect(Number(await critical.innerText())).toBe(overview.findings.bySeverity.critical);
    await screenshots(page, "fleet");

    await page.getByRole("combobox", { name: "Jump to a site or device" }).fill("hambu");
    await page.getByRole("option", { name: /hamburg\s*site/ }).waitFor();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/sites\/hamburg$/);
    await page.getByText("When idle connections die").waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  test("site: the 900 s cluster is marked and named; range and measure round-trip through the URL", async () => {
    const { page, errors } = await open("/sites/hamburg", "When idle connections die");
    const truth = fleet.sites.find((s) => s.slug === "hamburg")!.truths.find((x) => x.kind === "idle_timeout")!;
    const label = page.locator("figure svg text", { hasText: /^[\d.]+ s — / }).first();
    await label.waitFor();
    const text = await label.textContent();
    expect(text).toMatch(/^\d+(\.\d)? s — 15-min firewall\?$/);
    expect(Math.abs(Number(text!.split(" ")[0]) - truth.timeoutS!)).toBeLessThan(27);
    await page.getByText("How long connections survive").waitFor();
    await page.getByRole("heading", { name: "Heartbeat health" }).waitFor();
    await screenshots(page, "site");

    await page.getByRole("button", { name: "24 h" }).click();
    await page.getByRole("button", { name: "Connection duration" }).click();
    await expect.poll(() => page.url()).toMatch(/range=24h/);
    expect(page.url()).toMatch(/measure=duration/);
    await page.reload();
    await page.getByText("How long connections last").waitFor();
    expect(await page.getByRole("button", { name: "24 h" }).getAttribute("aria-pressed")).toBe("true");
    expect(await page.getByRole("button", { name: "Connection duration" }).getAttribute("aria-pressed")).toBe("true");
    expect(errors).toEqual([]);
    await page.close();
  });

  test("device: timeline, last TLS chain, event log filtered by type in the URL", async () => {
    const { page, errors } = await open("/devices/hamburg-d0", "Event log");
    await page.getByRole("heading", { name: "Connections" }).waitFor();
    await page.getByText("Leaf", { exact: true }).waitFor();
    await page.getByRole("listitem").first().waitFor();
    await screenshots(page, "device");

    await page.locator("label", { hasText: /^\+?tls$/ }).click();
    await expect.poll(() => page.url()).toMatch(/types=tls/);
    await page.reload();
    await page.getByRole("list", { name: "Events" }).waitFor();
    const badges = await page.getByRole("list", { name: "Events" }).getByRole("button").evaluateAll((rows) => rows.map((r) => r.children[1]?.textContent));
    expect(badges.length).toBeGreaterThan(0);
    expect(new Set(badges)).toEqual(new Set(["tls"]));
    expect(errors).toEqual([]);
    await page.close();
  });

  test("findings: filter by kind, open one to its evidence, acknowledge then resolve", async () => {
    const { page, errors } = await open("/findings", "open findings");
    await page.getByLabel("Kind").selectOption("idle_timeout");
    await expect.poll(() => page.url()).toMatch(/kind=idle_timeout/);
    const list = page.getByRole("list", { name: "Findings" });
    await expect.poll(async () => (await list.getByRole("link").allInnerTexts()).every((x) => x.includes("Idle timeout"))).toBe(true);
    await list.getByRole("link", { name: /at site hamburg/ }).click();
    await expect.poll(() => page.url()).toMatch(/open=\d+/);
    const id = Number(new URL(page.url()).searchParams.get("open"));
    const detail = page.getByRole("article");
    await detail.getByText("What to change").waitFor();
    await detail.locator("figure svg text", { hasText: /15-min firewall\?/ }).first().waitFor();
    await screenshots(page, "findings");

    await detail.getByRole("button", { name: "Acknowledge" }).click();
    await detail.getByText("acknowledged", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Acknowledged", exact: true }).click();
    await expect.poll(() => page.url()).toMatch(/status=acknowledged/);
    await list.getByRole("link", { name: /at site hamburg/ }).waitFor();
    await detail.getByRole("button", { name: "Resolve" }).click();
    await detail.getByText(/^Resolved\./).waitFor();
    const stored = await api<{ items: FindingItem[] }>(page, `/api/v1/findings?id=${id}&status=all`);
    expect(stored.items[0]).toMatchObject({ id, status: "resolved", acknowledgedAt: expect.any(String), resolvedAt: expect.any(String) });
    expect(errors).toEqual([]);
    await page.close();
  });

  test("a shared findings link opens the same view; viewers see the evidence but cannot act", async () => {
    const viewer = await launchBrowser(app.url, await signIn(app.url, t.db, "viewer"));
    try {
      const page = await viewer.context.newPage();
      const errors = collectErrors(page);
      await page.goto(`${app.url}/findings`);
      const tls = (await api<{ items: FindingItem[] }>(page, "/api/v1/findings?kind=tls_interception&status=active")).items[0];
      await page.goto(`${app.url}/findings?kind=tls_interception&status=active&open=${tls.id}`);
      await page.getByRole("heading", { name: tls.title }).waitFor();
      expect(await page.getByLabel("Kind").inputValue()).toBe("tls_interception");
      expect(await page.getByRole("button", { name: "Open + ack." }).getAttribute("aria-pressed")).toBe("true");
      await page.getByText(/^Intercepted (by|\(private root\))/).first().waitFor();
      await page.getByText("Only operators and admins can acknowledge or resolve findings.").waitFor();
      expect(await page.getByRole("button", { name: "Acknowledge", exact: true }).count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await viewer.close();
    }
  });

  test("a failing API call shows the error with a retry that recovers", async () => {
    const page = await browser.context.newPage();
    let fail = true;
    await page.route("**/api/v1/sites/hamburg/summary**", (route) =>
      fail
        ? route.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ error: { code: "unavailable", message: "Storage is unavailable. Retry later." } }) })
        : route.continue(),
    );
    await page.goto(`${app.url}/sites/hamburg`);
    await page.getByRole("alert").filter({ hasText: "Could not load the site summary" }).waitFor({ timeout: 30_000 });
    fail = false;
    await page.getByRole("button", { name: "Retry" }).first().click();
    await page.getByText("How long connections survive").waitFor();
    expect(await page.getByRole("alert").filter({ hasText: "Could not load" }).count()).toBe(0);
    await page.close();
  });

  test("tablet width: no page scrolls sideways", async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 820, height: 1180 });
    for (const [url, ready] of [["/", "Sites by health"], ["/sites/lisbon", "How connections ended"], ["/devices/dublin-d0", "Event log"], ["/findings", "open findings"]]) {
      await open(url, ready, page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), url).toBeLessThanOrEqual(1);
    }
    await page.close();
  });
});

describe.skipIf(skip !== null)("an empty fleet", () => {
  test("the pages teach how to connect the first device", async () => {
    const empty = await sqliteTestDb();
    const emptyApp = await startApp(empty.config, { LINKSCOPE_BACKGROUND: "off" });
    const b = await launchBrowser(emptyApp.url, await signIn(emptyApp.url, empty.db, "admin"));
    try {
      const page = await b.context.newPage();
      const errors = collectErrors(page);
      await page.goto(emptyApp.url);
      await page.getByRole("heading", { name: "Connect your first device" }).waitFor();
      expect(await page.getByText("keys create --scope ingest").count()).toBe(1);
      expect(await page.getByText(/curl -sS -X POST .*\/api\/v1\/events/).count()).toBe(1);
      await page.goto(`${emptyApp.url}/findings`);
      await page.getByText("No findings match these filters.").waitFor();
      await page.goto(`${emptyApp.url}/sites/nowhere`);
      await page.getByText("No site “nowhere” has reported yet.").waitFor();
      expect(errors.filter((e) => !e.includes("404"))).toEqual([]);
    } finally {
      await b.close();
      await emptyApp.stop();
      await empty.cleanup();
    }
  });
});
