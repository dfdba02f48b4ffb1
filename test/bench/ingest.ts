// `npm run bench:ingest` — ingest throughput of the production build against the ceiling
// of the same work in a bare node:http server, plus single-event latency against a trivial
// route handler, all in one run (issue 2, "Speed"). Prints a markdown table and rewrites the
// "Ingest" section of docs/benchmarks.md.
//
// Processes: this one (setup and report, idle while measuring), the load generator
// (test/bench/load.ts), and the server under test — `next start` or
// test/bench/ceiling-server.ts — one at a time. All traffic stays on 127.0.0.1.
//
// Options: --build (rebuild first even if a build exists), --no-write (leave the docs alone).
// BENCH_PROFILE=<dir> leaves CPU profiles of `next start` there (test/bench/server-preload.cjs).
// LINKSCOPE_DIST_DIR picks the build to measure, as for `next build` / `next start`.
import { execFileSync, fork, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { openDb } from "@/lib/db/client";
import type { DbConfig } from "@/lib/db/config";
import { applyMigrations } from "@/lib/db/migrate";
import { keyFor, startApp, type RunningApp } from "../helpers/app";
import type { BatchRun, LoadCommand, Prepared, SingleRun } from "./load";
import { renderSection, writeSection, type AppRun, type CpuRun, type IngestFigures } from "./report";

const TARGETS = { eventsPerS: 50_000, ratio: 0.3 };
const SHAPE = { devices: 2000, sites: 50, hours: 2, seed: 20261126 };
const BATCH_SIZE = 500;
const BATCH_CONNECTIONS = 4;
const SINGLE_CONNECTIONS = 32;
const SINGLE_SECONDS = 8;
const WARMUP_SECONDS = 2;
const WARMUP_BATCHES = 10;
const WARMUP_BATCH_EVENTS = 100;
/** The analysis that follows ingest (lib/findings/scheduler.ts) pushed past the end of the run. */
const ANALYSIS_DEFERRED = { LINKSCOPE_BACKGROUND: "off", LINKSCOPE_ANALYSIS_DEBOUNCE_MS: "3600000" };
/** As `npm start` runs it: analysis in its own process beside the server. */
const AS_SHIPPED = { LINKSCOPE_BACKGROUND: "worker" };
/** Hard stop for the whole run, whatever hangs. */
const DEADLINE_MS = 6 * 60_000;

const HERE = path.dirname(new URL(import.meta.url).pathname);
const args = new Set(process.argv.slice(2));
const children: ChildProcess[] = [];
let app: RunningApp | null = null;

function forkTs(file: string, argv: string[] = []): ChildProcess {
  const child = fork(path.join(HERE, file), argv, { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  children.push(child);
  return child;
}

/** One request/response over a child's IPC channel. */
function ask<T>(child: ChildProcess, command: LoadCommand): Promise<T> {
  return new Promise((resolve, reject) => {
    const exited = (code: number | null) => reject(new Error(`the load generator exited (${code}) during ${command.cmd}`));
    child.once("exit", exited);
    child.once("message", (m: { ok: boolean; value?: T; error?: string }) => {
      child.off("exit", exited);
      if (m.ok) resolve(m.value as T);
      else reject(new Error(m.error));
    });
    child.send(command);
  });
}

function ensureBuild(): void {
  const buildId = path.join(process.env.LINKSCOPE_DIST_DIR || ".next", "BUILD_ID");
  if (fs.existsSync(buildId) && !args.has("--build")) {
    const built = fs.statSync(buildId).mtimeMs;
    const newer = listSources(["app", "lib"]).filter((f) => fs.statSync(f).mtimeMs > built);
    if (newer.length) console.warn(`bench: the production build is older than ${newer.length} source file(s), e.g. ${newer[0]}; pass --build to rebuild.`);
    return;
  }
  console.log("bench: building the production build (next build)...");
  const result = spawnSync("node_modules/.bin/next", ["build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (result.status !== 0) throw new Error("next build failed");
}

function listSources(dirs: string[]): string[] {
  return dirs.flatMap((d) => (fs.readdirSync(d, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !e.parentPath.includes("generated"))
    .map((e) => path.join(e.parentPath, e.name)));
}

/** A few small batches from devices outside the fleet, so JIT and route loading are not measured. */
async function warmUp(url: string, key: string | null): Promise<number> {
  const at = Date.now() - (SHAPE.hours + 1) * 3_600_000;
  for (let b = 0; b < WARMUP_BATCHES; b++) {
    const events = Array.from({ length: WARMUP_BATCH_EVENTS }, (_, i) => ({
      id: `warm-${b}-${i}`, device: `warmup-${i % 20}`, site: "bench-warmup", type: "heartbeat", at: new Date(at + b * 60_000 + i).toISOString(), intervalS: 60,
    }));
    const res = await fetch(`${url}/api/v1/events`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ events }),
    });
    if (res.status !== 200) throw new Error(`warm-up batch answered ${res.status}: ${await res.text()}`);
  }
  return WARMUP_BATCHES * WARMUP_BATCH_EVENTS;
}

function countRows(file: string): { events: number; fleetEvents: number; sessions: number } {
  const db = new Database(file, { readonly: true });
  try {
    const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      events: one(`SELECT COUNT(*) AS n FROM Event`),
      fleetEvents: one(`SELECT COUNT(*) AS n FROM Event e JOIN Device d ON d.id = e.deviceId WHERE d.externalId LIKE 'dev-%'`),
      sessions: one(`SELECT COUNT(*) AS n FROM Session`),
    };
  } finally {
    db.close();
  }
}

function checkStored(label: string, run: BatchRun, sent: number, stored: { events: number; fleetEvents: number }, warm: number): void {
  const problems: string[] = [];
  if (run.failures.length) problems.push(`failed requests: ${run.failures.join("; ")}`);
  if (stored.fleetEvents !== sent) problems.push(`database holds ${stored.fleetEvents} fleet events, ${sent} were sent`);
  if (stored.events !== sent + warm) problems.push(`database holds ${stored.events} events in all, expected ${sent + warm}`);
  if (run.accepted !== sent) problems.push(`${run.accepted} accepted of ${sent}`);
  if (problems.length) throw new Error(`${label}: ${problems.join("; ")}`);
}

/**
 * Environment of `next start`: test/bench/server-preload.cjs records its pid (for CPU time)
 * and, with BENCH_PROFILE=<dir>, leaves a CPU profile in <dir>/<name>/.
 */
function serverEnv(dir: string, name: string): { env: Record<string, string>; pidFile: string } {
  const pidFile = path.join(dir, `${name}.pids`);
  const env: Record<string, string> = { NODE_OPTIONS: `--require ${path.join(HERE, "server-preload.cjs")}`, BENCH_PID_FILE: pidFile };
  if (process.env.BENCH_PROFILE) {
    env.BENCH_PROFILE_DIR = path.resolve(process.env.BENCH_PROFILE, name);
    fs.mkdirSync(env.BENCH_PROFILE_DIR, { recursive: true });
  }
  return { env, pidFile };
}

const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** CPU seconds (user + system, all threads) the processes have used so far, from /proc. */
function cpuSeconds(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields from the 3rd (state) on
    ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
  }
  return ticks / CLOCK_TICKS;
}

/** Processes of a running app by role, from the pid file its preload writes. */
function appPids(pidFile: string): { server: number[]; worker: number[] } {
  const lines = fs.existsSync(pidFile) ? fs.readFileSync(pidFile, "utf8").trim().split("\n").filter(Boolean) : [];
  const of = (role: string) => lines.filter((l) => l.endsWith(` ${role}`)).map((l) => Number(l.split(" ")[0]));
  return { server: of("server"), worker: of("worker") };
}

/** Waits (bounded) until the analysis worker of `npm start` has started, when there is one. */
async function appProcesses(pidFile: string, withWorker: boolean): Promise<{ server: number[]; worker: number[] }> {
  const deadline = Date.now() + 30_000;
  let pids = appPids(pidFile);
  while (withWorker && !pids.worker.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    pids = appPids(pidFile);
  }
  if (!pids.server.length || (withWorker && !pids.worker.length)) throw new Error(`missing processes in ${pidFile}: ${JSON.stringify(pids)}`);
  return pids;
}

/** Sends the fleet's batches and measures the CPU time the server (and the analysis worker) used meanwhile. */
async function measuredBatches(load: ChildProcess, url: string, key: string, pids: { server: number[]; worker: number[] }): Promise<CpuRun> {
  const server = cpuSeconds(pids.server);
  const worker = cpuSeconds(pids.worker);
  const run = await ask<BatchRun>(load, { cmd: "batches", url, key, connections: BATCH_CONNECTIONS });
  return { ...run, serverCpuS: cpuSeconds(pids.server) - server, workerCpuS: cpuSeconds(pids.worker) - worker };
}

async function migratedFile(dir: string, name: string): Promise<DbConfig & { provider: "sqlite" }> {
  const config = { provider: "sqlite" as const, file: path.join(dir, name) };
  await applyMigrations(config);
  return config;
}

/** One `next start` on a fresh migrated file: the fleet's batches (checked), then the single-event runs. */
async function runApp(dir: string, name: string, load: ChildProcess, fleet: Prepared, env: Record<string, string>): Promise<AppRun> {
  const appDb = await migratedFile(dir, `${name}.db`);
  const db = openDb(appDb);
  const key = await keyFor(db, "ingest");
  await db.close();
  const server = serverEnv(dir, name);
  app = await startApp(appDb, { ...env, ...server.env });
  const warm = await warmUp(app.url, key);
  const run = await measuredBatches(load, app.url, key, await appProcesses(server.pidFile, env.LINKSCOPE_BACKGROUND === "worker"));
  const stored = countRows(appDb.file);
  checkStored(`linkscope (${name})`, run, fleet.events, stored, warm);
  console.log(`bench: single-event requests, ${SINGLE_CONNECTIONS} connections, ${SINGLE_SECONDS} s each...`);
  const single = { connections: SINGLE_CONNECTIONS, seconds: SINGLE_SECONDS, warmupSeconds: WARMUP_SECONDS };
  const singlePost = await ask<SingleRun>(load, { cmd: "single", url: app.url, key, path: "/api/v1/events", ...single });
  const health = await ask<SingleRun>(load, { cmd: "single", url: app.url, key: null, path: "/api/v1/health", ...single });
  await app.stop();
  const troubles = app.output().split("\n").filter((line) => /error|failed|SQLITE_BUSY|locked/i.test(line));
  if (troubles.length) {
    const log = path.join(os.tmpdir(), `bench-ingest-${name.replace(/\W+/g, "-")}.log`);
    fs.writeFileSync(log, app.output());
    console.warn(`bench: ${name}: the server logged ${troubles.length} error line(s) (whole log: ${log}), e.g.\n  ${troubles.slice(0, 3).join("\n  ")}`);
  }
  app = null;
  return { batches: { run, stored: stored.fleetEvents, sessions: stored.sessions }, singlePost, health, serverErrors: troubles.length };
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg();
  ensureBuild();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "linkscope-bench-"));
  try {
    const load = forkTs("load.ts");
    const end = Date.now() - 60_000;
    console.log(`bench: generating the fleet (${SHAPE.devices} devices, ${SHAPE.hours} h)...`);
    const fleet = await ask<Prepared>(load, { cmd: "prepare", shape: { ...SHAPE, end }, batchSize: BATCH_SIZE });
    console.log(`bench: ${fleet.events} events in ${fleet.batches} batches of ${BATCH_SIZE}`);

    // The ceiling: same bodies, same rows, no framework.
    const ceilingDb = await migratedFile(dir, "ceiling.db");
    const ceilingServer = forkTs("ceiling-server.ts", [ceilingDb.file]);
    const { port } = await new Promise<{ port: number }>((resolve) => ceilingServer.once("message", resolve as (m: unknown) => void));
    const ceilingUrl = `http://127.0.0.1:${port}`;
    const ceilingWarm = await warmUp(ceilingUrl, null);
    console.log("bench: ceiling (bare node:http + better-sqlite3)...");
    const ceiling = await measuredBatches(load, ceilingUrl, "none", { server: [ceilingServer.pid!], worker: [] });
    ceilingServer.disconnect();
    const ceilingStored = countRows(ceilingDb.file);
    checkStored("ceiling", ceiling, fleet.events, ceilingStored, ceilingWarm);

    // Linkscope, twice on fresh files: the ingest path alone (the analysis that follows ingest
    // deferred past the run), then as `npm start` runs it (analysis worker process beside it).
    console.log("bench: Linkscope (next start), batches, analysis deferred...");
    const quiet = await runApp(dir, "quiet", load, fleet, ANALYSIS_DEFERRED);
    console.log("bench: Linkscope as npm start runs it (analysis worker process beside the server)...");
    const shipped = await runApp(dir, "shipped", load, fleet, AS_SHIPPED);
    load.disconnect();

    const figures: IngestFigures = {
      fleet: { ...fleet, hours: SHAPE.hours, sites: SHAPE.sites, batchSize: BATCH_SIZE, connections: BATCH_CONNECTIONS, singleConnections: SINGLE_CONNECTIONS, singleSeconds: SINGLE_SECONDS },
      ceiling: { run: ceiling, stored: ceilingStored.fleetEvents, sessions: 0 },
      quiet,
      shipped,
      loadAverage: { before: loadBefore, after: os.loadavg() },
      commit: execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim(),
    };
    const section = renderSection(figures, TARGETS);
    console.log(`\n${section}`);
    if (!args.has("--no-write")) {
      writeSection("docs/benchmarks.md", section);
      console.log("bench: wrote docs/benchmarks.md");
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const deadline = setTimeout(() => {
  console.error(`bench: still running after ${DEADLINE_MS / 1000} s; giving up.`);
  shutdown(1);
}, DEADLINE_MS);

function shutdown(code: number): void {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  const stopping = app ? app.stop() : Promise.resolve();
  stopping.finally(() => process.exit(code));
}

main().then(
  () => {
    clearTimeout(deadline);
    shutdown(0);
  },
  (error) => {
    console.error(error);
    clearTimeout(deadline);
    shutdown(1);
  },
);
