// The dashboard benchmark's report: one markdown section, printed and written into
// docs/benchmarks.md in place of the previous run's (the other sections are kept).
import { machine } from "./report";
import type { AnalysisReport } from "./ui-analysis";
import type { CallResult } from "./ui-api";
import type { PageResult } from "./ui-pages";
import type { SeedResult } from "./ui-seed";

export const SECTION_HEADING = "## Dashboard (npm run bench:ui)";
export const TARGETS = { apiP95Ms: 150, pageMs: 2000 };

export interface UiFigures {
  commit: string;
  /** source files (app, components, lib, prisma) that differed from the commit when measured */
  uncommitted: string[];
  loadAverage: { before: number[]; after: number[] };
  seed: SeedResult;
  /** seeded in this run, or reused from an earlier one */
  reused: boolean;
  analysis: (AnalysisReport & { note: string | null }) | { failed: string };
  /** minutes between the seed's "now" and the first measured request */
  ageMin: number;
  health: CallResult;
  calls: CallResult[];
  widest: CallResult[];
  pages: PageResult[];
  requests: number;
  warmup: number;
  navigations: number;
  serverErrors: number;
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (n: number) => (Number.isFinite(n) ? (n < 10 ? `${n.toFixed(1)} ms` : `${int(n)} ms`) : "timed out");
const x = (n: number) => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(1) : int(n)}x` : "–");
const loads = (l: number[]) => l.map((v) => v.toFixed(1)).join(" / ");
const gb = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;
const minutes = (s: number) => (s >= 90 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${s.toFixed(1)} s`);
const met = (ok: boolean) => (ok ? "met" : "**missed**");
const phase = (v: number | null) => (v === null ? "–" : ms(v));

function callRows(results: CallResult[], healthP95: number): string[] {
  return results.map((r) => {
    const n = r.cut ? ` (${r.samples.length} requests: time budget)` : "";
    return `| ${r.call.page} | ${r.call.label}${n} | ${ms(r.p50)} | **${ms(r.p95)}** | ${x(r.p95 / healthP95)} | ${int(r.bytes / 1024)} KiB | ${met(r.p95 <= TARGETS.apiP95Ms)} |`;
  });
}

export function renderSection(f: UiFigures): string {
  const s = f.seed;
  const c = s.counts;
  const types = Object.entries(c.byType)
    .map(([t, n]) => `${int(n)} ${t}`)
    .join(", ");
  const networks = Object.entries(s.networks)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${n} ${k}`)
    .join(", ");
  const a = f.analysis;
  const analysis =
    "failed" in a
      ? `Analysis: ${a.failed}`
      : `Analysis (\`runAnalysis\`, ${a.mode === "fleet" ? "the whole fleet" : "site by site"}, 7-day window, at the seed's "now", in its own process): **${minutes(a.seconds)}**, ` +
        `peak RSS ${int(a.peakRssMb)} MiB, ${int(Object.values(a.findings).reduce((n, v) => n + v, 0))} open findings ` +
        `(${Object.entries(a.findings)
          .map(([k, n]) => `${int(n)} ${k}`)
          .join(", ")}).${a.note ? ` ${a.note}` : ""}`;
  const health = f.health;
  const login = f.pages.find((p) => p.spec.signedOut);
  const all = [...f.calls, ...f.widest];
  const missedCalls = f.calls.filter((r) => r.p95 > TARGETS.apiP95Ms);
  const missedWide = f.widest.filter((r) => r.p95 > TARGETS.apiP95Ms);
  const dashboardPages = f.pages.filter((p) => !p.spec.signedOut);
  const slowPages = dashboardPages.filter((p) => !(p.max <= TARGETS.pageMs));
  const worst = [...all].sort((p, q) => q.p95 - p.p95).slice(0, 3);
  const named = (r: CallResult) => `${r.call.page}: ${r.call.label}`;
  return [
    SECTION_HEADING,
    "",
    `Run ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC at commit \`${f.commit}\`` +
      (f.uncommitted.length
        ? ` plus uncommitted changes to ${f.uncommitted.length} source file(s) (${f.uncommitted.slice(0, 6).join(", ")}${f.uncommitted.length > 6 ? ", …" : ""}) in the build and schema measured`
        : "") +
      `, on ${machine()}. Load average (1/5/15 min) ${loads(f.loadAverage.before)} before the run, ${loads(f.loadAverage.after)} after: ` +
      "the machine is shared, so absolute times vary from run to run; the ratios to the baselines measured in the same run vary less.",
    "",
    `Dataset (${f.reused ? "reused from an earlier seed" : "seeded directly into a fresh SQLite file by test/bench/ui-seed.ts"}${s.scale !== 1 ? `, **scale ${s.scale}**` : ""}): ` +
      `${int(c.devices)} devices on ${int(c.sites)} sites (biggest \`${s.sites.biggest.slug}\` with ${int(s.sites.biggest.devices)} devices, ` +
      `median \`${s.sites.median.slug}\` with ${int(s.sites.median.devices)}), 7 days of history ending at the seed's "now" ` +
      `(${f.ageMin.toFixed(0)} min before the first measured request): ${int(c.sessions)} sessions (${int(c.openSessions)} open), ` +
      `${int(c.events)} events (${types}). Site networks: ${networks}. ` +
      `Database ${gb(s.bytes)}; seeded in **${minutes(s.seconds.total)}** (rows ${minutes(s.seconds.rows)}, the Event table's indexes re-created afterwards in ${minutes(s.seconds.indexes)}` +
      `${s.triggers.length ? `; triggers ${s.triggers.map((t) => `\`${t}\``).join(", ")} fired on every insert` : ""}).`,
    "",
    analysis,
    "",
    `API: \`next start\` (production build, background analysis off), signed in as an operator with a session cookie as the browser is; ` +
      `each call ${f.warmup} warm-up requests, then ${f.requests} sequential ones (p50, p95 nearest-rank); from/to computed per request as the pages' hooks do. ` +
      `Baseline: GET /api/v1/health (no database, no auth) p50 ${ms(health.p50)}, p95 **${ms(health.p95)}** over ${health.samples.length} requests (half before, half after the calls).`,
    "",
    `| page | call (page defaults) | p50 | p95 | p95 / health p95 | body | p95 ≤ ${TARGETS.apiP95Ms} ms |`,
    "|---|---|---:|---:|---:|---:|---|",
    ...callRows(f.calls, health.p95),
    "",
    "Widest preset (30 d), reported apart:",
    "",
    `| page | call | p50 | p95 | p95 / health p95 | body | p95 ≤ ${TARGETS.apiP95Ms} ms |`,
    "|---|---|---:|---:|---:|---:|---|",
    ...callRows(f.widest, health.p95),
    "",
    `Pages: headless Chromium (Debian's), ${f.navigations} navigations per page after one warm-up, each in a new tab of the same browser; ` +
      "time from the start of `page.goto` until the page's key data is on screen and no loading skeleton is left " +
      "(fleet: the site table has rows; site: histogram, survival chart and device table drawn; device: connections timeline and event log; findings: the list has links). " +
      "Baseline: the sign-in page, signed out, until its form is hydrated.",
    "",
    `| page | p50 | max | p50 / sign-in p50 | every navigation ≤ ${TARGETS.pageMs / 1000} s | HTML in | first API request | last API answer |`,
    "|---|---:|---:|---:|---|---:|---:|---:|",
    ...f.pages.map(
      (p) =>
        `| ${p.spec.label} (\`${p.spec.path}\`) | ${ms(p.p50)} | ${ms(p.max)}${p.timedOut ? ` (${p.timedOut} timed out)` : ""} | ${p.spec.signedOut ? "baseline" : x(p.p50 / (login?.p50 ?? NaN))} | ` +
        `${p.spec.signedOut ? "–" : met(p.max <= TARGETS.pageMs)} | ${phase(p.phases.html)} | ${phase(p.phases.firstApi)} | ${phase(p.phases.lastApi)} |`,
    ),
    "",
    "The last three columns (medians, the page's own clock from the start of its navigation) split the time: the document, then the scripts " +
      "loading and hydrating until the first data request, then the answers; what follows the last answer is rendering. The data requests each page made:",
    "",
    ...f.pages.filter((p) => p.apiCalls.length).map((p) => `- ${p.spec.label}: ${p.apiCalls.map((c) => `\`${c}\``).join(", ")}`),
    "",
    `Targets (issue 4): API p95 ≤ ${TARGETS.apiP95Ms} ms ${missedCalls.length ? `**missed** by ${missedCalls.length} of ${f.calls.length} calls` : `met by all ${f.calls.length} calls`} at the pages' default ranges` +
      ` (${missedWide.length ? `${missedWide.length} of ${f.widest.length} missed` : "all met"} at 30 d); ` +
      `pages usable ≤ ${TARGETS.pageMs / 1000} s ${slowPages.length ? `**missed** by ${slowPages.map((p) => p.spec.label).join(", ")}` : "met by every navigation of every page"}. ` +
      `Slowest calls by p95: ${worst.map((r) => `${named(r)} (${ms(r.p95)})`).join("; ")}. ` +
      `Error lines in the server log: ${f.serverErrors}.`,
    "",
    "How to run: `npm run bench:ui` seeds the full fleet into a temp file (several GiB; about 10 minutes on this machine), analyses it, " +
      "measures and rewrites this section. `-- --scale 0.01` for a quick small run; `-- --keep <file>` keeps the seeded database " +
      "(and `<file>.json` describing it), `-- --reuse <file>` measures a kept one again (its week ends at the seed's \"now\": " +
      "the longer ago that was, the emptier the 24 h windows); `-- --no-write` leaves this file alone.",
    "",
  ].join("\n");
}
