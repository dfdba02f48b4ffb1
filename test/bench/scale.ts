// `npm run bench:scale` — does Linkscope's cost follow the fleet, not its history (issue 14,
// item 4)? The bench:ui fleet (10,000 devices × --scale, a heartbeat every 5–6 min) is seeded
// into a fresh SQLite file once per history length (--days, default 1,7,30), and on each:
//
//   - catch-up: the history up to 5 min before "now" is loaded, then the worker's cycle runs
//     over all of it (what the first cycle after an upgrade or a restore costs), then the
//     retention purge (14 raw days; older heartbeats become hourly rows);
//   - steady cycle: the last 5 min arrive (the seeder writes them into the indexed table, the
//     session journal sees them as ingest's writes), and the worker's cycle runs again: what
//     every 5-minute cycle costs. Baselines in the same run: an idle process that only opens
//     the database (RSS), and the full recompute on the same history (CPU);
//   - the dashboard's read API as the pages call it (fleet, the biggest site, a device; p95
//     against GET /api/v1/health), and ingest of current heartbeats for the seeded devices
//     over HTTP (batches of 500, 4 connections; ratio to the shortest history's rate);
//   - the database's size: the file, and per table (dbstat), per day and per heartbeat.
//
// Each analysis step runs in its own process (test/bench/scale-cycle.ts): CPU time and peak
// RSS are its own. Prints a markdown section and rewrites "Scale" in docs/benchmarks.md
// (--no-write: not). Options: --scale s (default 0.1), --days list, --requests n (default 20),
// --keep (leave the databases in the temporary directory). Exits non-zero only on errors.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { openDb } from "@/lib/db/client";
import type { DbConfig } from "@/lib/db/config";
import { keyFor, postEvents, signIn, startApp, type RunningApp } from "../helpers/app";
import { runJsonChild, tableBytes } from "./measure";
import { machine, writeSection } from "./report";
import type { CycleMode, CycleReport } from "./scale-cycle";
import { benchContext, HEALTH, measureCall, mergeResults, pageCalls, type CallResult } from "./ui-api";
import { seedFleet, type SeedResult } from "./ui-seed";

const HERE = path.dirname(new URL(import.meta.url).pathname);
const HEADING = "## Scale (npm run bench:scale)";
const CYCLE_MS = 5 * 60_000;
const INGEST_BATCH = 500;
const INGEST_CONNECTIONS = 4;
const INGEST_BEATS_PER_DEVICE = 20;
const TARGET = { cycleCpuS: 10, peakRssMb: 512, p95Ms: 150 };

const argv = process.argv.slice(2);
const option = (name: string) => {
  const i = argv.indexOf(name);
  return i === -1 ? undefined : argv[i + 1];
};
const log = (line: string) => console.log(line);

interface HistoryRun {
  days: number;
  seed: SeedResult;
  catchUp: CycleReport;
  purge: CycleReport;
  idle: CycleReport;
  steady: CycleReport;
  full: CycleReport;
  api: CallResult[];
  health: CallResult;
  ingest: { events: number; seconds: number; failures: number };
  size: { fileBytes: number; liveBytes: number; tables: Record<string, number>; heartbeats: number; rawHeartbeats: number };
}

/** One step in its own process (scale-cycle.ts). BENCH_PROFILE=<dir>: a CPU profile of each (.cpuprofile, for Chrome's DevTools). */
function step(mode: CycleMode, file: string, now: number): Promise<CycleReport> {
  const profile = process.env.BENCH_PROFILE;
  return runJsonChild<CycleReport>(path.join(HERE, "scale-cycle.ts"), [mode, file, String(now)], {
    execArgv: profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`, `--cpu-prof-name=${mode}-${Date.now()}.cpuprofile`] : [],
    env: { ...process.env, LINKSCOPE_RAW_RETENTION_DAYS: "14", LINKSCOPE_SESSION_RETENTION_DAYS: "90" },
  }).catch((error: Error) => {
    throw new Error(`scale-cycle ${mode}: ${error.message}`);
  });
}

function sizes(file: string): HistoryRun["size"] {
  const db = new Database(file);
  try {
    db.pragma("wal_checkpoint(TRUNCATE)");
    const pageSize = db.pragma("page_size", { simple: true }) as number;
    const live = ((db.pragma("page_count", { simple: true }) as number) - (db.pragma("freelist_count", { simple: true }) as number)) * pageSize;
    const one = (sql: string) => Number(db.prepare(sql).pluck().get() ?? 0);
    const rawHeartbeats = one(`SELECT COUNT(*) FROM "Event" WHERE "type" = 'heartbeat'`);
    const compacted = one(`SELECT COALESCE(SUM("count"), 0) FROM "HeartbeatHour"`);
    return { fileBytes: fs.statSync(file).size, liveBytes: live, tables: tableBytes(db), heartbeats: rawHeartbeats + compacted, rawHeartbeats };
  } finally {
    db.close();
  }
}

/** Current heartbeats for the seeded devices (their own ids and sites), in time order, over a few keep-alive connections. */
async function ingestLoad(app: RunningApp, key: string, file: string): Promise<HistoryRun["ingest"]> {
  const db = new Database(file, { readonly: true });
  const devices = db.prepare(`SELECT d."externalId" AS device, s."slug" AS site FROM "Device" d JOIN "Site" s ON s."id" = d."siteId" ORDER BY d."id"`).all() as Array<{ device: string; site: string }>;
  db.close();
  const end = Date.now();
  const stepMs = Math.floor(CYCLE_MS / INGEST_BEATS_PER_DEVICE);
  const bodies: string[] = [];
  let batch: unknown[] = [];
  for (let k = 0; k < INGEST_BEATS_PER_DEVICE; k++) {
    devices.forEach((d, i) => {
      const at = end - CYCLE_MS + k * stepMs + Math.floor((i / devices.length) * stepMs);
      batch.push({ id: `scale-${k}`, device: d.device, site: d.site, type: "heartbeat", at: new Date(at).toISOString(), seq: 1_000_000 + k, rttMs: 40, intervalS: 300 });
      if (batch.length === INGEST_BATCH) {
        bodies.push(JSON.stringify({ events: batch }));
        batch = [];
      }
    });
  }
  if (batch.length) bodies.push(JSON.stringify({ events: batch }));
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: INGEST_CONNECTIONS }, async () => {
      while (next < bodies.length) {
        const res = await postEvents(app.url, key, bodies[next++]);
        await res.arrayBuffer();
        if (res.status !== 200) failures++;
      }
    }),
  );
  return { events: devices.length * INGEST_BEATS_PER_DEVICE, seconds: (performance.now() - started) / 1000, failures };
}

async function historyRun(dir: string, days: number, scale: number, requests: number): Promise<HistoryRun> {
  const file = path.join(dir, `scale-${days}d.db`);
  const now = Date.now();
  const cut = now - CYCLE_MS;
  let catchUp: CycleReport | null = null;
  let purge: CycleReport | null = null;
  log(`bench: ${days} day(s) of history...`);
  const seed = await seedFleet({
    file,
    scale,
    days,
    now,
    log,
    pause: {
      at: cut,
      run: async () => {
        catchUp = await step("cycle", file, cut);
        log(`bench: catch-up cycle ${catchUp.cpuS.toFixed(1)} CPU-s, ${catchUp.peakRssMb} MiB`);
        purge = await step("purge", file, cut);
        log(`bench: purge ${purge.seconds.toFixed(1)} s: ${JSON.stringify(purge.outcome)}`);
      },
    },
  });
  const idle = await step("idle", file, now);
  const steady = await step("cycle", file, now);
  log(`bench: steady cycle ${steady.cpuS.toFixed(2)} CPU-s, ${steady.peakRssMb} MiB (idle process ${idle.peakRssMb} MiB): ${JSON.stringify(steady.outcome)}`);
  const size = sizes(file);

  const config: DbConfig = { provider: "sqlite", file };
  const app = await startApp(config, { LINKSCOPE_BACKGROUND: "off" });
  try {
    const db = openDb(config);
    const cookie = await signIn(app.url, db, "operator");
    const key = await keyFor(db, "ingest");
    await db.close();
    const measure = { warmup: 3, requests, minRequests: Math.min(10, requests), budgetMs: 60_000, timeoutMs: 60_000 };
    const context = benchContext(seed);
    const calls = pageCalls(context).filter((c) => c.page === "fleet" || c.page.startsWith("site (biggest") || c.page === "device");
    const healthBefore = await measureCall(app.url, cookie, HEALTH, measure);
    const api: CallResult[] = [];
    for (const call of calls) api.push(await measureCall(app.url, cookie, call, measure));
    const health = mergeResults(healthBefore, await measureCall(app.url, cookie, HEALTH, measure));
    const ingest = await ingestLoad(app, key, file);
    log(`bench: ingest ${Math.round(ingest.events / ingest.seconds)} events/s`);
    const full = await step("full", file, Date.now());
    log(`bench: full recompute ${full.cpuS.toFixed(1)} CPU-s, ${full.peakRssMb} MiB`);
    return { days, seed, catchUp: catchUp!, purge: purge!, idle, steady, full, api, health, ingest, size };
  } finally {
    await app.stop();
  }
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const analysedSites = (r: HistoryRun) => (r.steady.outcome as { changes: { sites: number } }).changes.sites;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const met = (ok: boolean) => (ok ? "met" : "**missed**");

function render(runs: HistoryRun[], scale: number, loads: number[][]): string {
  const devices = runs[0].seed.counts.devices;
  const first = runs[0];
  const rate = (r: HistoryRun) => r.ingest.events / r.ingest.seconds;
  const row = (label: string, cell: (r: HistoryRun) => string) => `| ${label} | ${runs.map(cell).join(" | ")} |`;
  const head = `| | ${runs.map((r) => `${r.days} day${r.days === 1 ? "" : "s"}`).join(" | ")} |\n|---|${runs.map(() => "---:").join("|")}|`;
  const apiRows = first.api.map((c, i) => row(`${c.call.page}: ${c.call.label}, p95`, (r) => `${r.api[i].p95.toFixed(0)} ms (${(r.api[i].p95 / r.health.p95).toFixed(1)}x health)`));
  const worstP95 = Math.max(...runs.flatMap((r) => r.api.map((c) => c.p95)));
  const worstCpu = Math.max(...runs.map((r) => r.steady.cpuS));
  const worstRss = Math.max(...runs.map((r) => r.steady.peakRssMb));
  const tables = (r: HistoryRun) =>
    Object.entries(r.size.tables)
      .slice(0, 4)
      .map(([t, b]) => `${t} ${mib(b)}`)
      .join(", ");
  return [
    HEADING,
    "",
    `Run ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC at commit \`${execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim()}\` on ${machine()}. Load average (1 min) ${loads.map((l) => l[0].toFixed(1)).join(" → ")} across the runs: the machine is shared, so wall-clock figures vary; CPU time and RSS much less.`,
    "",
    `Fleet: the bench:ui fleet at scale ${scale}: **${int(devices)} devices** on ${runs[0].seed.counts.sites} sites (a heartbeat every 5–6 min, ~14 sessions per device and day, 20 % of sites behind idle-timeout middleboxes, some blocked or intercepted), seeded into a fresh SQLite file per history length. ` +
      `The issue asks for 100,000 devices at one heartbeat a minute: that is 144 million heartbeats a day, about 27 GiB of raw rows a day at the measured ~190 bytes each, and ~14 days of raw window (≈ 380 GiB) before compaction: more than this 2-core box with ${Math.round(os.totalmem() / 2 ** 30)} GiB of RAM and ~${Math.round(fs.statfsSync(os.tmpdir()).bavail * fs.statfsSync(os.tmpdir()).bsize / 2 ** 30)} GiB of free disk can seed or hold, and the seeder writes ~40k rows/s (30 days of it would take about 30 hours). So this is ${int(devices)} devices (${((devices / 100_000) * 100).toFixed(1)} % of the devices, at a fifth of the heartbeat rate); the cycle costs below are per device and per arrival, so the question they answer is whether they stay flat as history grows.`,
    "",
    head,
    row("events in the history (seeded)", (r) => int(r.seed.counts.events)),
    row("sessions in the history", (r) => int(r.seed.counts.sessions)),
    row("seeding (rows, then indexes)", (r) => `${r.seed.seconds.total.toFixed(0)} s`),
    row("catch-up cycle (all history since the cursor): CPU / peak RSS", (r) => `${r.catchUp.cpuS.toFixed(1)} s / ${r.catchUp.peakRssMb} MiB`),
    row("retention purge at the catch-up (14 raw days): wall", (r) => `${r.purge.seconds.toFixed(1)} s`),
    row("**steady 5-min cycle: CPU**", (r) => `**${r.steady.cpuS.toFixed(2)} s** (${(r.steady.cpuS / r.full.cpuS).toFixed(2)}x full)`),
    row("sites analysed in the steady cycle (their sessions changed)", (r) => `${analysedSites(r)} of ${r.seed.counts.sites}`),
    row("**steady 5-min cycle: peak RSS**", (r) => `**${r.steady.peakRssMb} MiB** (idle process ${r.idle.peakRssMb} MiB)`),
    row("full recompute (baseline): CPU / peak RSS", (r) => `${r.full.cpuS.toFixed(1)} s / ${r.full.peakRssMb} MiB`),
    row("database: live bytes (file)", (r) => `${mib(r.size.liveBytes)} (${mib(r.size.fileBytes)})`),
    row("database per day of history", (r) => mib(r.size.liveBytes / r.days)),
    row("database per heartbeat held (raw + hourly rows)", (r) => `${(r.size.liveBytes / r.size.heartbeats).toFixed(0)} bytes (${int(r.size.heartbeats)}, ${int(r.size.rawHeartbeats)} raw)`),
    row("largest tables", tables),
    ...apiRows,
    row("GET /api/v1/health p95 (baseline)", (r) => `${r.health.p95.toFixed(1)} ms`),
    row("ingest, current heartbeats, batches of 500", (r) => `${int(rate(r))} events/s (${(rate(r) / rate(first)).toFixed(2)}x ${first.days} d)${r.ingest.failures ? `, ${r.ingest.failures} failed` : ""}`),
    "",
    `Targets at this fleet size: steady cycle ≤ ${TARGET.cycleCpuS} s CPU ${met(worstCpu <= TARGET.cycleCpuS)} (worst ${worstCpu.toFixed(2)} s), ≤ ${TARGET.peakRssMb} MiB ${met(worstRss <= TARGET.peakRssMb)} (worst ${worstRss} MiB), API p95 ≤ ${TARGET.p95Ms} ms ${met(worstP95 <= TARGET.p95Ms)} (worst ${worstP95.toFixed(0)} ms). ` +
      `Extrapolated, not measured: a 5-min cycle analyses each site whose sessions changed, reading its digest of the whole analysis window (DigestCount: ~50 rows per device and day); at 100,000 devices every site changes every 5 min, so at the ${runs.at(-1)!.days}-day cost measured here (${(runs.at(-1)!.steady.cpuS / analysedSites(runs.at(-1)!)).toFixed(2)} CPU-s per analysed site of ~${(devices / runs[0].seed.counts.sites).toFixed(0)} devices) a cycle would take on the order of ${int((runs.at(-1)!.steady.cpuS / analysedSites(runs.at(-1)!)) * (100_000 / (devices / runs[0].seed.counts.sites)))} CPU-s (an overestimate by the factor the changed sites are bigger than the mean one, since big sites change more often; still far above the ${TARGET.cycleCpuS} s target). ` +
      `Not measured: 100,000 devices, and a 5,000-device site (the biggest site here has ${int(first.seed.sites.biggest.devices)} devices). A steady cycle's work grows with the fleet and its arrivals (100,000 devices at one heartbeat a minute are ${int(100_000 / devices)}× these devices and ${int((100_000 / devices) * 5)}× their heartbeats), so the flat columns above say that history does not add to it, not that 100,000 devices fit the targets.`,
    "",
    `PostgreSQL is not measured by this bench yet (SQLite only).`,
    "",
  ].join("\n");
}

async function main(): Promise<void> {
  const scale = Number(option("--scale") ?? 0.1);
  if (!(scale > 0 && scale <= 1)) throw new Error("--scale must be in (0, 1]");
  const days = (option("--days") ?? "1,7,30").split(",").map(Number);
  if (days.some((d) => !(d >= 1))) throw new Error("--days takes whole days, e.g. 1,7,30");
  const requests = Number(option("--requests") ?? 20);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "linkscope-bench-scale-"));
  log(`bench: the bench:ui fleet at scale ${scale}, histories of ${days.join(", ")} days, in ${dir}`);
  const runs: HistoryRun[] = [];
  const loads: number[][] = [os.loadavg()];
  try {
    for (const d of days) {
      runs.push(await historyRun(dir, d, scale, requests));
      loads.push(os.loadavg());
      if (!argv.includes("--keep")) for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f), { force: true });
    }
  } finally {
    if (!argv.includes("--keep")) fs.rmSync(dir, { recursive: true, force: true });
  }
  const section = render(runs, scale, loads);
  console.log(`\n${section}`);
  if (!argv.includes("--no-write")) writeSection(path.join(process.cwd(), "docs/benchmarks.md"), section, HEADING);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
