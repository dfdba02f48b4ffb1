/**
 * Where the detectors stop working: small sweeps of one hard parameter at a time, each over
 * many seeded trials, reporting the detection rate (and estimate error). Not asserted; shown by
 * `npx tsx scripts/eval-accuracy.ts --limits` so the weak spots have numbers.
 */
import { analyzeFleet } from "../../lib/analysis/analyzeFleet";
import { detectIdleTimeouts } from "../../lib/analysis/idleTimeoutFindings";
import { siteOutages } from "../../lib/analysis/outage";
import { detectScheduledDrops } from "../../lib/analysis/scheduledDrop";
import type { EndReason, SessionRecord } from "../../lib/analysis/types";
import { Rng } from "./prng";

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
const DAY = 86_400_000;
const TRIALS = 40;

export interface LimitRow {
  case: string;
  parameter: string;
  detected: number;
  /** median relative estimate error of detections, where there is an estimate */
  error: number | null;
}

function drop(device: string, end: number, idleS: number, reason: EndReason = "reset", maxIdleS: number | null = null, durationS = idleS + 30): SessionRecord {
  return { device, site: "lab", publicIp: null, session: `${device}-${end}`, start: end - durationS * 1000, end, durationS, endReason: reason, idleS, maxIdleS, errno: null, endpoint: "acme.cumulocity.example:443" };
}

function rate(trials: (rng: Rng) => number | null | false): { detected: number; error: number | null } {
  let hits = 0;
  const errors: number[] = [];
  for (let i = 0; i < TRIALS; i++) {
    const r = trials(new Rng(1000 + i));
    if (r === false) continue;
    hits++;
    if (r !== null) errors.push(r);
  }
  errors.sort((a, b) => a - b);
  return { detected: hits / TRIALS, error: errors.length ? errors[Math.floor(errors.length / 2)] : null };
}

/** Relative error of the finding nearest `timeoutS` (within 10 %), or false if none. */
function idleHit(sessions: SessionRecord[], timeoutS: number): number | false {
  for (const f of detectIdleTimeouts(sessions, []).findings) {
    const t = f.evidence.timeoutS;
    if (typeof t === "number" && Math.abs(t - timeoutS) <= 0.1 * timeoutS) return Math.abs(t - timeoutS) / timeoutS;
  }
  return false;
}

function randomDrops(rng: Rng, n: number, devices: number, holdS = 1800): SessionRecord[] {
  return Array.from({ length: n }, (_, i) => drop(`lab-d${i % devices}`, NOW - rng.next() * 7 * DAY, rng.uniform(1, holdS)));
}

function cluster(rng: Rng, n: number, devices: number, timeoutS: number, relSpread = 0.002): SessionRecord[] {
  return Array.from({ length: n }, (_, i) => drop(`lab-d${i % devices}`, NOW - rng.next() * 7 * DAY, timeoutS * (1 + Math.abs(rng.normal(0, relSpread))) + rng.uniform(0, 1.5)));
}

export function runLimits(): LimitRow[] {
  const rows: LimitRow[] = [];
  const add = (name: string, parameter: string, r: { detected: number; error: number | null }) => rows.push({ case: name, parameter, ...r });

  for (const n of [3, 4, 5, 6, 8]) add("reset cluster, no other drops", `${n} drops at 900 s`, rate((rng) => idleHit(cluster(rng, n, 1, 900), 900)));
  for (const share of [0.5, 0.25, 0.1, 0.05]) {
    add("reset cluster under random drops", `20 drops at 1800 s, ${Math.round(share * 100)} % of all`, rate((rng) => idleHit([...cluster(rng, 20, 10, 1800), ...randomDrops(rng, Math.round(20 / share) - 20, 10)], 1800)));
  }
  for (const spread of [0.005, 0.01, 0.02, 0.04]) {
    add("reset cluster, wide jitter", `60 drops at 1200 s, σ ${spread * 100} %`, rate((rng) => idleHit([...cluster(rng, 60, 10, 1200, spread), ...randomDrops(rng, 60, 10)], 1200)));
  }
  for (const sessions of [20, 40, 80, 160]) {
    add("silent cliff", `${sessions} sessions, gaps mean 0.5 T, T = 1200 s`, rate((rng) => idleHit(silent(rng, sessions, 1200, 600), 1200)));
  }
  add("healthy site, 300 random drops", "any idle finding (false alarm)", rate((rng) => (detectIdleTimeouts(randomDrops(rng, 300, 20, rng.pick([300, 1800, 5400])), []).findings.length > 0 ? null : false)));
  for (const [devices, awayS] of [[3, 600], [4, 600], [4, 20], [8, 20]] as const) {
    add("outage", `${devices} of ${devices} devices, back after ${awayS} s`, rate((rng) => (outage(rng, devices, awayS) ? null : false)));
  }
  for (const noise of [1, 4, 10]) add("one device's daily cut", `6 of 7 days, ${noise} random drops/day`, rate((rng) => (schedule(rng, noise) ? null : false)));
  add("platform outage across 3 sites of 4 devices", "one fleet finding", rate((rng) => (platform(rng) ? null : false)));
  return rows;
}

function silent(rng: Rng, sessions: number, timeoutS: number, meanGapS: number): SessionRecord[] {
  return Array.from({ length: sessions }, (_, i) => {
    let maxIdle = 0;
    for (let g = rng.exp(meanGapS); g < timeoutS; g = rng.exp(meanGapS)) maxIdle = Math.max(maxIdle, g);
    return drop(`lab-d${i % 6}`, NOW - rng.next() * 7 * DAY, 5460 + rng.uniform(0, 2), "timeout", maxIdle || null);
  });
}

/** Devices with two random drops a day; all drop at one moment and come back after awayS. */
function outage(rng: Rng, devices: number, awayS: number): boolean {
  const cut = NOW - 3 * DAY;
  const sessions: SessionRecord[] = [];
  for (let d = 0; d < devices; d++) {
    let t = NOW - 7 * DAY;
    for (const end of [...Array.from({ length: 14 }, () => NOW - rng.next() * 7 * DAY), cut + rng.uniform(0, 30_000)].sort((a, b) => a - b)) {
      sessions.push({ ...drop(`lab-d${d}`, end, rng.uniform(1, 900)), start: t, durationS: (end - t) / 1000 });
      t = end + (end >= cut && end < cut + 60_000 ? awayS * 1000 : rng.uniform(1000, 20_000));
    }
  }
  return siteOutages(sessions, NOW, new Set()).some((o) => Math.abs(o.start - cut) < 10 * 60_000);
}

/** One device of a 10-device site cut at 04:00 on 6 of 7 days, amid random drops. */
function schedule(rng: Rng, noisePerDay: number): boolean {
  const sessions: SessionRecord[] = [];
  for (let d = 0; d < 10; d++) sessions.push(...randomDrops(rng, 7 * noisePerDay, 1).map((s) => ({ ...s, device: `lab-d${d}` })));
  for (let day = 1; day <= 6; day++) sessions.push(drop("lab-d0", Math.floor(NOW / DAY - day) * DAY + 4 * 3_600_000 + rng.uniform(0, 60_000), rng.uniform(1, 600)));
  return detectScheduledDrops(sessions, new Set()).schedules.some((s) => Math.abs(s.minuteOfDay - 240) <= 10);
}

/** Three 4-device sites dropping together (and 5 quiet sites): one platform outage. */
function platform(rng: Rng): boolean {
  const cut = NOW - 2 * DAY;
  const sessions: SessionRecord[] = [];
  for (let site = 0; site < 8; site++) {
    for (let d = 0; d < 4; d++) {
      const device = `p${site}-d${d}`;
      const ends = [...Array.from({ length: 10 }, () => NOW - rng.next() * 7 * DAY), ...(site < 3 ? [cut + rng.uniform(0, 30_000)] : [])].sort((a, b) => a - b);
      let t = NOW - 7 * DAY;
      for (const end of ends) {
        sessions.push({ ...drop(device, end, rng.uniform(1, 900)), site: `p${site}`, start: t, durationS: (end - t) / 1000 });
        t = end + (end >= cut && end < cut + 60_000 ? 900_000 : rng.uniform(1000, 20_000));
      }
    }
  }
  return analyzeFleet({ sessions, events: [], heartbeats: [] }, NOW).some((f) => f.kind === "outage" && f.scope === "fleet");
}

export function formatLimits(rows: readonly LimitRow[]): string {
  return [
    `Limits: detection rate over ${TRIALS} seeded trials per row (median estimate error of the detections).`,
    "",
    "| case | parameter | detected | median error |",
    "|---|---|---:|---:|",
    ...rows.map((r) => `| ${r.case} | ${r.parameter} | ${Math.round(r.detected * 100)} % | ${r.error === null ? "–" : `${(r.error * 100).toFixed(2)} %`} |`),
  ].join("\n");
}
