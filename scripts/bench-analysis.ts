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

/** First (cold) run, then the median of RUNS more. */
function timeRuns(run: () => unknown): { coldMs: number; medianMs: number } {
  let started = performance.now();
  run();
  const coldMs = performance.now() - started;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return { coldMs, medianMs: times.sort((a, b) => a - b)[Math.floor(RUNS / 2)] };
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
    const fleet = generateFleet(42, { sites });
    const count = new Set(fleet.input.heartbeats.map((h) => h.device)).size;
    if (count >= devices) return { fleet, count };
    sites = Math.ceil(sites * (devices / count) * 1.02);
  }
}

const rows: string[] = [];
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);

const sessions = bulkSessions(1_000_000, 7, NOW);
// A fresh copy of the array per run: the detectors cache groupings per input array, and a
// benchmark that reused them would not measure the grouping.
const idle = timeRuns(() => detectIdleTimeouts(sessions.slice(), []));
const countIdle = timeRuns(() => countDrops(sessions.slice()));
const found = detectIdleTimeouts(sessions, []).findings.length;
rows.push(
  `| idle-timeout detection | 1,000,000 sessions, 1,000 sites (${found} findings) | ${fmt(idle.medianMs)} | ${fmt(idle.coldMs)} | ≤ 1 s | ${fmt(countIdle.medianMs)} | ${(idle.medianMs / countIdle.medianMs).toFixed(1)}× |`,
);

const { fleet, count } = fleetOfDevices(10_000);
const input = fleet.input;
const fresh = (): FleetInput => ({ sessions: input.sessions.slice(), events: input.events.slice(), heartbeats: input.heartbeats.slice() });
const full = timeRuns(() => analyzeFleet(fresh(), fleet.now));
const countAll = timeRuns(() => countFleet(fresh()));
const findings = analyzeFleet(input, fleet.now).length;
rows.push(
  `| full analysis (analyzeFleet) | ${count.toLocaleString("en")} devices, ${fleet.sites.length} sites, ${input.sessions.length.toLocaleString("en")} sessions, ${input.events.length.toLocaleString("en")} events (${findings} findings) | ${fmt(full.medianMs)} | ${fmt(full.coldMs)} | ≤ 5 s | ${fmt(countAll.medianMs)} | ${(full.medianMs / countAll.medianMs).toFixed(1)}× |`,
);

console.log(`Linkscope analysis benchmarks — Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}\n`);
console.log(`time: median of ${RUNS} runs after the first; first run: cold (JIT, root store and name caches). Counting pass: one loop counting drops per site (and events per site and type), timed the same way.\n`);
console.log("| benchmark | data | time | first run | target | counting pass | ratio |");
console.log("|---|---|---:|---:|---:|---:|---:|");
for (const row of rows) console.log(row);
