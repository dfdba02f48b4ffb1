// `npm run bench:ui` — how fast the dashboard reads are at fleet scale (issue 4, "Speed"):
// 10,000 devices, ~1,000,000 sessions and ~20,000,000 events seeded straight into SQLite
// (test/bench/ui-seed.ts), analysed once, then every read API call the pages make timed
// against the production build (p50/p95, against GET /api/v1/health in the same run), and
// each page's time to usable in headless Chromium (against the sign-in page). Prints a
// markdown section and rewrites the "Dashboard" section of docs/benchmarks.md.
//
// Options: --scale <s> (every site's size times s; 0.01 for a quick run), --keep <file>
// (keep the seeded database, described in <file>.json), --reuse <file> (measure a kept one
// again), --requests <n> (default 30), --navigations <n> (default 5), --build (rebuild
// first), --no-write (leave the docs alone). LINKSCOPE_DIST_DIR picks the build, as for
// `next build` / `next start`. Exits non-zero only on errors, never on a missed target.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { openDb } from "@/lib/db/client";
import type { DbConfig } from "@/lib/db/config";
import { applyMigrations } from "@/lib/db/migrate";
import { signIn, startApp, type RunningApp } from "../helpers/app";
import type { AnalysisReport } from "./ui-analysis";
import { benchContext, HEALTH, measureCall, mergeResults, nextEventsPage, pageCalls, percentile, plural, widestCalls, type CallResult } from "./ui-api";
import { runJsonChild } from "./measure";
import { planFleet } from "./ui-fleet";
import { measurePages, type PageSpec } from "./ui-pages";
import { writeSection } from "./report";
import { renderSection, SECTION_HEADING, type UiFigures } from "./ui-report";
import { seedFleet, type SeedResult } from "./ui-seed";

const HERE = path.dirname(new URL(import.meta.url).pathname);
const WARMUP = 3;
const MIN_REQUESTS = 10;
/** per call, after its warm-up: a call slower than this stops early (never below MIN_REQUESTS) and says so */
const CALL_BUDGET_MS = 120_000;
const REQUEST_TIMEOUT_MS = 120_000;
const PAGE_TIMEOUT_MS = 90_000;
/** beyond this the fleet-wide analysis is given up for site-by-site runs at a handful of sites */
const ANALYSIS_DEADLINE_MS = 5 * 60_000;
const ANALYSIS_HEAP_MB = 8192;

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const option = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  if (i === -1) return undefined;
  if (i + 1 >= argv.length || argv[i + 1].startsWith("--")) throw new Error(`${name} needs a value`);
  return argv[i + 1];
};
const log = (line: string) => console.log(line);
let app: RunningApp | null = null;

function ensureBuild(): void {
  const dist = process.env.LINKSCOPE_DIST_DIR || ".next";
  const buildId = path.join(dist, "BUILD_ID");
  if (fs.existsSync(buildId) && !flag("--build")) {
    const built = fs.statSync(buildId).mtimeMs;
    const newer = ["app", "components", "lib"]
      .flatMap((d) => (fs.readdirSync(d, { recursive: true, withFileTypes: true }) as fs.Dirent[]).filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !e.parentPath.includes("generated")).map((e) => path.join(e.parentPath, e.name)))
      .filter((f) => fs.statSync(f).mtimeMs > built);
    if (newer.length) console.warn(`bench: the production build in ${dist} is older than ${newer.length} source file(s), e.g. ${newer[0]}; pass --build to rebuild.`);
    return;
  }
  log(`bench: building the production build into ${dist} (npm run build)...`);
  const result = spawnSync("npm", ["run", "-s", "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (result.status !== 0) throw new Error("the build failed");
}

function git(args: string[]): string {
  return execFileSync("git", args, { encoding: "utf8" });
}

/** Runs test/bench/ui-analysis.ts in its own process with a bigger heap and a deadline. */
function analyse(file: string, now: number, sites: number[] | null): Promise<AnalysisReport> {
  return runJsonChild<AnalysisReport>(path.join(HERE, "ui-analysis.ts"), [file, String(now), ...(sites ? ["--sites", sites.join(",")] : [])], {
    execArgv: [`--max-old-space-size=${ANALYSIS_HEAP_MB}`],
    deadlineMs: ANALYSIS_DEADLINE_MS,
  });
}

/**
 * The engine over the whole fleet; if that fails or takes too long, site-scoped runs at one
 * site of each network kind (the real engine still writes the findings, on less of the fleet).
 */
async function analyseSeed(seed: SeedResult): Promise<UiFigures["analysis"]> {
  log(`bench: analysing the fleet (runAnalysis, in its own process, heap up to ${ANALYSIS_HEAP_MB} MiB)...`);
  try {
    const report = await analyse(seed.file, seed.now, null);
    log(`bench: analysis took ${report.seconds.toFixed(1)} s: ${JSON.stringify(report.findings)}`);
    return { ...report, note: null };
  } catch (error) {
    const why = (error as Error).message;
    console.warn(`bench: the fleet-wide analysis ${why}; analysing a handful of sites instead.`);
    const fleet = planFleet({ scale: seed.scale, now: seed.now });
    const picks = new Map<string, string>();
    for (const s of fleet.sites) {
      const kind = s.network.kind === "idle" ? `idle-${s.network.mode}` : s.network.kind;
      if (!picks.has(kind)) picks.set(kind, s.slug);
    }
    const db = new Database(seed.file, { readonly: true });
    const ids = [...picks.values()].map((slug) => db.prepare(`SELECT id FROM Site WHERE slug = ?`).pluck().get(slug) as number);
    db.close();
    try {
      const report = await analyse(seed.file, seed.now, ids);
      return { ...report, note: `The fleet-wide run ${why}; these findings come from site-scoped runs at ${ids.length} sites (${[...picks.values()].join(", ")}).` };
    } catch (again) {
      return { failed: `the fleet-wide run ${why}, and site-scoped runs ${(again as Error).message}: no findings` };
    }
  }
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg();
  const scale = Number(option("--scale") ?? 1);
  if (!(scale > 0 && scale <= 1)) throw new Error("--scale must be in (0, 1]");
  const requests = Number(option("--requests") ?? 30);
  const navigations = Number(option("--navigations") ?? 5);
  const keep = option("--keep");
  const reuse = option("--reuse");
  if (keep && reuse) throw new Error("--keep and --reuse exclude each other");
  ensureBuild();
  const commit = git(["rev-parse", "--short", "HEAD"]).trim();
  const uncommitted = git(["status", "--porcelain", "--", "app", "components", "lib", "prisma"]).split("\n").filter(Boolean).map((l) => l.slice(3));
  if (uncommitted.length) console.warn(`bench: measuring commit ${commit} plus uncommitted changes to ${uncommitted.length} source file(s).`);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "linkscope-bench-ui-"));
  try {
    let seed: SeedResult;
    let analysis: UiFigures["analysis"];
    if (reuse) {
      const meta = JSON.parse(fs.readFileSync(`${path.resolve(reuse)}.json`, "utf8")) as { seed: SeedResult; analysis: UiFigures["analysis"] };
      seed = { ...meta.seed, file: path.resolve(reuse) };
      analysis = meta.analysis;
      const applied = await applyMigrations({ provider: "sqlite", file: seed.file });
      if (applied.applied.length) log(`bench: applied ${applied.applied.join(", ")} to the reused database`);
      const ageH = (Date.now() - seed.now) / 3_600_000;
      console.warn(`bench: reusing ${seed.file}, seeded ${ageH.toFixed(1)} h ago: its week ends then, so "now"-relative ranges (24 h, 7 d) hold less of it than a fresh seed.`);
    } else {
      const file = keep ? path.resolve(keep) : path.join(tmp, "linkscope-ui.db");
      seed = await seedFleet({ file, scale, log });
      log(`bench: seeded in ${seed.seconds.total.toFixed(1)} s, ${(seed.bytes / 2 ** 30).toFixed(2)} GiB: ${JSON.stringify(seed.counts)}`);
      analysis = await analyseSeed(seed);
      if (keep) fs.writeFileSync(`${file}.json`, `${JSON.stringify({ seed, analysis }, null, 2)}\n`);
    }
    const context = benchContext(seed);
    log(`bench: biggest site ${context.biggest.slug} (${context.biggest.devices} devices), median ${context.median.slug} (${context.median.devices}), device ${context.device.id}, findings ${context.findings.map((f) => `${f.kind}#${f.id}`).join(" ")}`);

    const config: DbConfig = { provider: "sqlite", file: seed.file };
    app = await startApp(config, { LINKSCOPE_BACKGROUND: "off" });
    const db = openDb(config);
    const cookie = await signIn(app.url, db, "operator");
    await db.close();

    const measure = { warmup: WARMUP, requests, minRequests: Math.min(MIN_REQUESTS, requests), budgetMs: CALL_BUDGET_MS, timeoutMs: REQUEST_TIMEOUT_MS };
    const ageMin = (Date.now() - seed.now) / 60_000;
    const healthBefore = await measureCall(app.url, cookie, HEALTH, measure);
    const calls = pageCalls(context);
    const scroll = await nextEventsPage(app.url, cookie, context.device.id);
    if (scroll) calls.splice(calls.findIndex((c) => c.page === "device" && c.label.startsWith("events")) + 1, 0, scroll);
    const results: CallResult[] = [];
    for (const call of calls) {
      const r = await measureCall(app.url, cookie, call, measure);
      log(`bench: ${call.page}: ${call.label}: p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms (${r.samples.length} requests, ${r.bytes} bytes)`);
      results.push(r);
    }
    const widest: CallResult[] = [];
    for (const call of widestCalls(context)) {
      const r = await measureCall(app.url, cookie, call, measure);
      log(`bench: ${call.page}: ${call.label}: p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms (${r.samples.length} requests)`);
      widest.push(r);
    }
    const health = mergeResults(healthBefore, await measureCall(app.url, cookie, HEALTH, measure));
    log(`bench: health p50 ${health.p50.toFixed(1)} ms, p95 ${health.p95.toFixed(1)} ms`);

    const pages: PageSpec[] = [
      { label: "sign-in", path: "/login", ready: "login", signedOut: true },
      { label: "fleet", path: "/", ready: "fleet" },
      { label: `site, biggest (${plural(context.biggest.devices, "device")})`, path: `/sites/${context.biggest.slug}`, ready: "site" },
      { label: `site, median (${plural(context.median.devices, "device")})`, path: `/sites/${context.median.slug}`, ready: "site" },
      { label: "device", path: `/devices/${encodeURIComponent(context.device.id)}`, ready: "device" },
      { label: "findings", path: "/findings", ready: "findings" },
    ];
    const pageResults = await measurePages(app.url, cookie, pages, { navigations, timeoutMs: PAGE_TIMEOUT_MS, log });

    await app.stop();
    const troubles = app.output().split("\n").filter((line) => /error|failed|SQLITE_BUSY|locked/i.test(line));
    if (troubles.length) console.warn(`bench: the server logged ${troubles.length} error line(s), e.g.\n  ${troubles.slice(0, 3).join("\n  ")}`);
    app = null;

    const figures: UiFigures = {
      commit,
      uncommitted,
      loadAverage: { before: loadBefore, after: os.loadavg() },
      seed,
      reused: Boolean(reuse),
      analysis,
      ageMin,
      health,
      calls: results,
      widest,
      pages: pageResults,
      requests,
      warmup: WARMUP,
      navigations,
      serverErrors: troubles.length,
    };
    const section = renderSection(figures);
    console.log(`\n${section}`);
    if (!flag("--no-write")) {
      writeSection("docs/benchmarks.md", section, SECTION_HEADING);
      log("bench: wrote docs/benchmarks.md");
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function shutdown(code: number): void {
  const stopping = app ? app.stop() : Promise.resolve();
  stopping.finally(() => process.exit(code));
}

main().then(
  () => shutdown(0),
  (error) => {
    console.error(error);
    shutdown(1);
  },
);
