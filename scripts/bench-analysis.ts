/**
 * Benchmarks of the detection engine (npx tsx scripts/bench-analysis.ts):
 * 1. idle-timeout detection over 1,000,000 sessions (target ≤ 1 s);
 * 2. full analysis of a simulated 10,000-device fleet (target ≤ 5 s).
 * Each is also compared with a plain counting pass over the same data in the same run, so
 * the ratio says what the analysis costs beyond touching every record once.
 * Prints a markdown table: the median of 3 runs after a first (cold) run, which is shown too.
 */
import os from "node:os";
import { analyzeFleet } from "../lib/analysis/analyzeFleet";
import { detectIdleTimeouts } from "../lib/analysis/idleTimeoutFindings";
import { isDrop } from "../lib/analysis/scopes";
import type { FleetInput, SessionRecord } from "../lib/analysis/types";
import { bulkSessions } from "../test/sim/bulkSessions";
import { generateFleet } from "../test/sim/generateFleet";

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
const RUNS = 3;

interface Timing {
  /** wall-clock ms of the first (cold) run */
  coldMs: number;
  /** medians of RUNS further runs: wall clock, and CPU time of this process (user + system) */
  medianMs: number;
  cpuMs: number;
}

/**
 * First (cold) run, then the median of RUNS more. CPU time is reported next to wall time
 * because shared machines (other builds and test suites) stretch wall time but not the CPU
 * this process spends.
 */
function timeRuns(run: () => unknown): Timing {
  let started = performance.now();
  run();
  const coldMs = performance.now() - started;
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const cpuBefore = process.cpuUsage();
    started = performance.now();
    run();
    wall.push(performance.now() - started);
    const used = process.cpuUsage(cpuBefore);
    cpu.push((used.user + used.system) / 1000);
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
  return { coldMs, medianMs: median(wall), cpuMs: median(cpu) };
}

/** The least any analysis must do: look at every session once and count drops per site. */
function countDrops(sessions: readonly SessionRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of sessions) if (isDrop(s)) counts.set(s.site ?? "", (counts.get(s.site ?? "") ?? 0) + 1);
  return counts;
}

/** The same for a whole fleet input: sessions, events and heartbeats, counted per site and kind. */
function countFleet(input: FleetInput): Map<string, number> {
  const counts = countDrops(input.sessions);
  for (const e of input.events) counts.set(`${e.site}:${e.type}`, (counts.get(`${e.site}:${e.type}`) ?? 0) + 1);
  for (const h of input.heartbeats) counts.set(`${h.site}:hb`, (counts.get(`${h.site}:hb`) ?? 0) + 1);
  return counts;
}

function fleetOfDevices(devices: number) {
  // ~19 devices per simulated site on average; grow until the fleet is big enough.
  let sites = Math.ceil(devices / 19);
  for (;;) {
    // Without the accuracy run's messier sites: the benchmark's fleet stays the one its earlier runs measured.
    const fleet = generateFleet(42, { sites, messyCopies: 0 });
    const count = new Set(fleet.input.heartbeats.map((h) => h.device)).size;
    if (count >= devices) return { fleet, count };
    sites = Math.ceil(sites * (devices / count) * 1.02);
  }
}

const rows: string[] = [];
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
const row = (name: string, data: string, t: Timing, target: string, base: Timing) =>
  `| ${name} | ${data} | ${fmt(t.medianMs)} | ${fmt(t.cpuMs)} | ${fmt(t.coldMs)} | ${target} | ${fmt(base.medianMs)} / ${fmt(base.cpuMs)} | ${(t.cpuMs / base.cpuMs).toFixed(1)}× |`;

const sessions = bulkSessions(1_000_000, 7, NOW);
// A fresh copy of the array per run: the detectors cache groupings per input array, and a
// benchmark that reused them would not measure the grouping.
const idle = timeRuns(() => detectIdleTimeouts(sessions.slice(), []));
const countIdle = timeRuns(() => countDrops(sessions.slice()));
const found = detectIdleTimeouts(sessions, []).findings.length;
rows.push(row("idle-timeout detection", `1,000,000 sessions, 1,000 sites (${found} findings)`, idle, "≤ 1 s", countIdle));

const { fleet, count } = fleetOfDevices(10_000);
const input = fleet.input;
const fresh = (): FleetInput => ({ sessions: input.sessions.slice(), events: input.events.slice(), heartbeats: input.heartbeats.slice() });
const full = timeRuns(() => analyzeFleet(fresh(), fleet.now));
const countAll = timeRuns(() => countFleet(fresh()));
const findings = analyzeFleet(input, fleet.now).length;
const data = `${count.toLocaleString("en")} devices, ${fleet.sites.length} sites, ${input.sessions.length.toLocaleString("en")} sessions, ${input.events.length.toLocaleString("en")} events (${findings} findings)`;
rows.push(row("full analysis (analyzeFleet)", data, full, "≤ 5 s", countAll));

console.log(`Linkscope analysis benchmarks — Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}\n`);
console.log(`Load average at the start: ${os.loadavg().map((l) => l.toFixed(1)).join(", ")}.`);
console.log(`time: median of ${RUNS} runs after the first (wall clock, and CPU time of this process); first run: wall clock, cold (JIT, root store and name caches).`);
console.log("Counting pass: one loop counting drops per site (and events per site and type), timed the same way; ratio = CPU time over the counting pass's CPU time.\n");
console.log("| benchmark | data | time | CPU time | first run | target | counting pass (time / CPU) | ratio |");
console.log("|---|---|---:|---:|---:|---:|---:|---:|");
for (const row of rows) console.log(row);
