// Time to a usable page in headless Chromium (Debian's, through playwright-core): from the
// start of `page.goto` until the page's key data is on screen and no loading skeleton is
// left, each time in a new tab of the same signed-in browser (the server and the browser's
// cache of scripts stay warm, as for someone moving around the dashboard).
//
// Readiness per page (see test/e2e/dashboard.test.ts and the components):
//   login     the form is hydrated (React has attached its handlers), so it can be submitted
//   fleet     the "Sites by health" table has rows
//   site      the histogram and the "How long connections survive" chart are drawn (or say
//             there is nothing to draw), the device table has rows
//   device    the connections timeline is drawn and the event log has rows
//   findings  the findings list has links
// and on every page: no skeleton (role=status "Loading…" or a pulsing placeholder) left.
import type { Page } from "playwright-core";
import { collectErrors, launchBrowser, type Browser } from "../helpers/browser";
import { percentile } from "./ui-api";

export type Readiness = "login" | "fleet" | "site" | "device" | "findings";

export interface PageSpec {
  label: string;
  path: string;
  ready: Readiness;
  /** the baseline: the sign-in page, opened without a session */
  signedOut?: boolean;
}

export interface PageResult {
  spec: PageSpec;
  samples: number[];
  p50: number;
  max: number;
  /** navigations that did not become usable within the timeout */
  timedOut: number;
  /** API paths the page requested (first measured navigation) */
  apiCalls: string[];
  /** medians over the measured navigations */
  phases: Phases;
}

/**
 * Runs in the page: "ready", "error: …", or false (not yet). Kept as source text: the test
 * runner's transpiler wraps named functions in helpers the page does not have.
 */
const READINESS = `(kind) => {
  const alert = Array.from(document.querySelectorAll('[role="alert"]')).find((a) => /could not load/i.test(a.textContent || ""));
  if (alert) return "error: " + alert.textContent;
  if (document.querySelector('[role="status"][aria-label^="Loading"], .animate-pulse.rounded')) return false;
  const section = (title) => Array.from(document.querySelectorAll("section")).find((s) => (s.querySelector("h2, h3")?.textContent || "").trim() === title) || null;
  const drawn = (title, empty) => {
    const s = section(title);
    return s !== null && (s.querySelector("svg") !== null || empty.test(s.textContent || ""));
  };
  const rows = (title) => section(title)?.querySelectorAll("tbody tr").length || 0;
  switch (kind) {
    case "login": {
      const form = document.querySelector("form");
      return form !== null && Object.keys(form).some((k) => k.startsWith("__reactProps")) ? "ready" : false;
    }
    case "fleet":
      return rows("Sites by health") > 0 ? "ready" : false;
    case "site":
      return drawn("When idle connections die", /No abnormal drops in this range/) &&
        drawn("How long connections survive", /No connection started in this range/) &&
        rows("Devices") > 0 ? "ready" : false;
    case "device":
      return drawn("Connections", /No connection in this range/) &&
        document.querySelectorAll('[role="list"][aria-label="Events"] [role="listitem"]').length > 0 ? "ready" : false;
    case "findings":
      return document.querySelectorAll('ul[aria-label="Findings"] a').length > 0 ? "ready" : false;
  }
  return "error: unknown page kind " + kind;
}`;

/** Where the time went, from the page's own clock (ms since its navigation started). */
const PHASES = `() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const api = performance.getEntriesByType("resource").filter((r) => {
    const u = new URL(r.name);
    return u.pathname.startsWith("/api/") && !u.searchParams.has("_rsc");
  });
  return {
    html: nav ? nav.responseEnd : null,
    firstApi: api.length ? Math.min(...api.map((r) => r.startTime)) : null,
    lastApi: api.length ? Math.max(...api.map((r) => r.responseEnd)) : null,
  };
}`;

export interface Phases {
  /** the document's HTML fully received */
  html: number | null;
  /** the first data request sent (the page's scripts ran and hydrated) */
  firstApi: number | null;
  /** the last data answer received before the page was usable */
  lastApi: number | null;
}

async function navigate(browser: Browser, base: string, spec: PageSpec, timeoutMs: number): Promise<{ ms: number | null; apiCalls: string[]; phases: Phases | null }> {
  const page: Page = await browser.context.newPage();
  const errors = collectErrors(page);
  const apiCalls: string[] = [];
  page.on("request", (r) => {
    const url = new URL(r.url());
    // Data requests only: the router's prefetch of the header's API link (?_rsc) is no read.
    if (url.pathname.startsWith("/api/") && !url.searchParams.has("_rsc")) apiCalls.push(`${url.pathname}${url.search ? `?${[...url.searchParams.keys()].join("&")}` : ""}`);
  });
  try {
    const t0 = performance.now();
    await page.goto(base + spec.path, { waitUntil: "commit" });
    let outcome: string;
    try {
      const handle = await page.waitForFunction(`(${READINESS})(${JSON.stringify(spec.ready)})`, undefined, { polling: "raf", timeout: timeoutMs });
      outcome = (await handle.jsonValue()) as string;
    } catch (error) {
      if ((error as Error).name === "TimeoutError") return { ms: null, apiCalls, phases: null };
      throw error;
    }
    const ms = performance.now() - t0;
    const phases = (await page.evaluate(`(${PHASES})()`)) as Phases;
    if (outcome !== "ready") throw new Error(`${spec.label} (${spec.path}): ${outcome}`);
    if (!spec.signedOut && new URL(page.url()).pathname === "/login") throw new Error(`${spec.label}: redirected to the sign-in page`);
    const failures = errors.filter((e) => !/Failed to load resource.*(404|401)/.test(e));
    if (failures.length) throw new Error(`${spec.label} (${spec.path}): ${failures.join("; ")}`);
    return { ms, apiCalls, phases };
  } finally {
    await page.close();
  }
}

export async function measurePages(
  base: string,
  cookie: string,
  specs: PageSpec[],
  o: { navigations: number; timeoutMs: number; log: (line: string) => void },
): Promise<PageResult[]> {
  const signedIn = await launchBrowser(base, cookie);
  // A cookie that names no session: /login renders its form instead of redirecting.
  const signedOut = await launchBrowser(base, "linkscope_bench_none=1");
  try {
    const results: PageResult[] = [];
    for (const spec of specs) {
      const browser = spec.signedOut ? signedOut : signedIn;
      await navigate(browser, base, spec, o.timeoutMs); // warm-up: first compile of the route, first fetch of its scripts
      const samples: number[] = [];
      let timedOut = 0;
      let apiCalls: string[] = [];
      const phases: Phases[] = [];
      for (let i = 0; i < o.navigations; i++) {
        const r = await navigate(browser, base, spec, o.timeoutMs);
        if (i === 0) apiCalls = r.apiCalls;
        if (r.ms === null) timedOut++;
        else samples.push(r.ms);
        if (r.phases) phases.push(r.phases);
      }
      const median = (k: keyof Phases) => {
        const v = phases.map((p) => p[k]).filter((x): x is number => x !== null).sort((a, b) => a - b);
        return v.length ? percentile(v, 0.5) : null;
      };
      const sorted = [...samples].sort((a, b) => a - b);
      const result: PageResult = {
        spec,
        samples,
        p50: sorted.length ? percentile(sorted, 0.5) : Infinity,
        max: timedOut ? Infinity : sorted[sorted.length - 1],
        timedOut,
        apiCalls: [...new Set(apiCalls)],
        phases: { html: median("html"), firstApi: median("firstApi"), lastApi: median("lastApi") },
      };
      o.log(`bench: page ${spec.label}: p50 ${result.p50.toFixed(0)} ms, max ${result.max.toFixed(0)} ms${timedOut ? `, ${timedOut} timed out` : ""}`);
      results.push(result);
    }
    return results;
  } finally {
    await signedIn.close();
    await signedOut.close();
  }
}
