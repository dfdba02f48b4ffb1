/**
 * Scores the detection engine against simulated fleets with known ground truth: per-kind
 * precision and recall, idle-timeout estimate errors per mode, naming, vendor and mode
 * correctness, and the share of healthy sites with no finding at all. Shared by
 * test/unit/analysis/accuracy.test.ts and scripts/eval-accuracy.ts.
 */
import { analyzeFleet } from "../../lib/analysis/analyzeFleet";
import { KNOWN_IDLE_TIMEOUTS } from "../../lib/analysis/knownTimeouts";
import type { FindingDraft } from "../../lib/analysis/types";
import { affectedDevices } from "../../lib/contract/affected";
import { FINDING_KINDS, type FindingKind } from "../../lib/contract/vocabulary";
import { generateFleet, type FleetShape, type SimFleet } from "./generateFleet";
import type { GroundTruth } from "./siteSpec";

export const KINDS: readonly FindingKind[] = FINDING_KINDS;

export interface KindScore {
  kind: FindingKind;
  truths: number;
  findings: number;
  matchedFindings: number;
  matchedTruths: number;
  precision: number;
  recall: number;
}

export interface AccuracyReport {
  seeds: number[];
  sites: number;
  healthySites: number;
  cleanHealthySites: number;
  kinds: KindScore[];
  /** relative errors of matched idle-timeout estimates, by the finding's mode */
  timeoutErrors: Record<"reset" | "silent" | "probe", number[]>;
  naming: { right: number; total: number };
  vendor: { right: number; total: number };
  portMode: { right: number; total: number };
  /** per scenario: sites, truths, truths found, findings on its sites no truth explains */
  scenarios: Map<string, { sites: number; truths: number; found: number; falsePositives: number }>;
  misses: string[];
  falsePositives: string[];
  analysisMs: number;
}

interface Tally {
  truths: number;
  findings: number;
  matchedFindings: number;
  matchedTruths: number;
}

const TIMEOUT_MATCH = 0.1;

/** Does a finding describe this truth (kind, place, and the value within a loose match)? */
function matches(f: FindingDraft, t: GroundTruth): boolean {
  if (f.kind !== t.kind) return false;
  switch (f.kind) {
    case "idle_timeout": {
      const place = t.scope === "publicIp" ? f.scope === "publicIp" && f.scopeKey === t.key : f.site === t.site && f.scope !== "publicIp";
      if (!place || !onPath(f, t)) return false;
      const est = f.evidence.timeoutS;
      return est === null ? f.evidence.mode === "silent" && t.mode === "silent" : Math.abs(est - (t.timeoutS ?? 0)) <= TIMEOUT_MATCH * (t.timeoutS ?? 0);
    }
    case "outage":
      if (t.scope === "fleet" ? f.scope !== "fleet" : f.site !== t.site || f.scope === "fleet") return false;
      return Math.abs(Date.parse(f.evidence.start) - (t.start ?? 0)) <= 15 * 60_000;
    case "flapping":
    case "offline":
      return coveredDevices(f).includes(t.key);
    case "session_lifetime":
      return f.site === t.site && Math.abs(f.evidence.periodS - (t.periodS ?? 0)) <= 0.05 * (t.periodS ?? 0);
    case "scheduled_drop": {
      if (f.site !== t.site) return false;
      const [h, m] = f.evidence.timeOfDay.split(":").map(Number);
      const d = Math.abs(h * 60 + m - (t.minuteOfDay ?? 0)) % 1440;
      return Math.min(d, 1440 - d) <= 10;
    }
    default:
      return f.site === t.site;
  }
}

/** Several middleboxes at one site: a finding is about one path when most of its devices are that path's. */
function onPath(f: FindingDraft, t: GroundTruth): boolean {
  if (!t.devices) return true;
  const path = new Set(t.devices);
  const names = coveredDevices(f);
  return names.filter((d) => path.has(d)).length >= 0.75 * names.length;
}

function coveredDevices(f: FindingDraft): string[] {
  return f.device ? [f.device] : affectedDevices(f).names;
}

export function scoreFleet(fleet: SimFleet, findings: FindingDraft[], report: AccuracyReport, tallies: Map<FindingKind, Tally>): void {
  const matchedFindings = new Set<FindingDraft>();
  const scenario = (name: string) => {
    let row = report.scenarios.get(name);
    if (!row) report.scenarios.set(name, (row = { sites: 0, truths: 0, found: 0, falsePositives: 0 }));
    return row;
  };
  for (const site of fleet.sites) scenario(site.scenario).sites++;
  for (const t of fleet.truths) {
    const hits = findings.filter((f) => matches(f, t));
    for (const f of hits) matchedFindings.add(f);
    if (t.optional) continue;
    const tally = tallies.get(t.kind) as Tally;
    tally.truths++;
    const row = scenario(scenarioOf(fleet, t));
    row.truths++;
    if (hits.length > 0) row.found++;
    if (hits.length === 0) {
      report.misses.push(`${t.kind} ${t.key} ${describeTruth(t)} (${scenarioOf(fleet, t)})`);
      continue;
    }
    tally.matchedTruths++;
    checkDetails(t, hits[0], report);
  }
  for (const f of findings) {
    const tally = tallies.get(f.kind) as Tally;
    tally.findings++;
    if (matchedFindings.has(f)) tally.matchedFindings++;
    else scenario(scenarioOf(fleet, f)).falsePositives++;
    if (!matchedFindings.has(f)) report.falsePositives.push(`${f.kind} ${f.scope}:${f.scopeKey} (${scenarioOf(fleet, f)}) ${f.summary.slice(0, 160)}`);
  }
  for (const site of fleet.sites) {
    if (!site.scenario.startsWith("healthy")) continue;
    report.healthySites++;
    if (!findings.some((f) => f.site === site.slug)) report.cleanHealthySites++;
  }
  report.sites += fleet.sites.length;
}

function checkDetails(t: GroundTruth, f: FindingDraft, report: AccuracyReport): void {
  if (f.kind === "idle_timeout" && f.evidence.timeoutS !== null && t.timeoutS) {
    const e = f.evidence;
    report.timeoutErrors[e.mode].push(Math.abs((e.timeoutS ?? 0) - t.timeoutS) / t.timeoutS);
    const known = KNOWN_IDLE_TIMEOUTS.some((k) => k.seconds === t.timeoutS);
    report.naming.total++;
    if (known ? e.knownTimeoutS === t.timeoutS : e.knownAs === null) report.naming.right++;
  }
  if (f.kind === "tls_interception") {
    report.vendor.total++;
    if (f.evidence.vendor === t.vendor) report.vendor.right++;
  }
  if (f.kind === "proxy_failure") {
    report.portMode.total++;
    if (f.evidence.mode === t.proxyMode) report.portMode.right++;
  }
  if (f.kind === "port_blocked") {
    report.portMode.total++;
    if (f.evidence.mode === t.portMode) report.portMode.right++;
  }
}

function describeTruth(t: GroundTruth): string {
  if (t.timeoutS) return `${t.mode} ${t.timeoutS} s`;
  if (t.periodS) return `${t.periodS} s`;
  if (t.minuteOfDay !== undefined) return `${Math.floor(t.minuteOfDay / 60)}:${String(t.minuteOfDay % 60).padStart(2, "0")}`;
  if (t.start) return new Date(t.start).toISOString();
  return t.vendor ?? t.portMode ?? "";
}

function scenarioOf(fleet: SimFleet, x: { site: string | null; key?: string; scopeKey?: string }): string {
  const ip = x.key ?? x.scopeKey;
  const site = fleet.sites.find((s) => s.slug === x.site || s.publicIp === ip || s.secondEgress?.publicIp === ip);
  return site?.scenario ?? (x.site === null ? "platform outage" : "?");
}

/** Generates and analyses one fleet per seed and scores them all. */
export function runAccuracy(seeds: readonly number[], shape: Partial<FleetShape> = {}): AccuracyReport {
  const report: AccuracyReport = {
    seeds: [...seeds],
    sites: 0,
    healthySites: 0,
    cleanHealthySites: 0,
    kinds: [],
    timeoutErrors: { reset: [], silent: [], probe: [] },
    naming: { right: 0, total: 0 },
    vendor: { right: 0, total: 0 },
    portMode: { right: 0, total: 0 },
    scenarios: new Map(),
    misses: [],
    falsePositives: [],
    analysisMs: 0,
  };
  const tallies = new Map<FindingKind, Tally>(KINDS.map((k) => [k, { truths: 0, findings: 0, matchedFindings: 0, matchedTruths: 0 }]));
  for (const seed of seeds) {
    const fleet = generateFleet(seed, shape);
    const started = performance.now();
    const findings = analyzeFleet(fleet.input, fleet.now, fleet.options);
    report.analysisMs += performance.now() - started;
    scoreFleet(fleet, findings, report, tallies);
  }
  report.kinds = KINDS.map((kind) => {
    const t = tallies.get(kind) as Tally;
    return {
      kind,
      ...t,
      precision: t.findings === 0 ? 1 : t.matchedFindings / t.findings,
      recall: t.truths === 0 ? 1 : t.matchedTruths / t.truths,
    };
  });
  return report;
}

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)} %`;

export function formatAccuracyReport(r: AccuracyReport): string {
  const lines = [
    `Accuracy over ${r.sites} simulated sites (seeds ${r.seeds.join(", ")}); analysis took ${Math.round(r.analysisMs)} ms in total.`,
    "",
    "| kind | truths | findings | precision | recall |",
    "|---|---:|---:|---:|---:|",
    ...r.kinds.map((k) => `| ${k.kind} | ${k.truths} | ${k.findings} | ${pct(k.precision)} | ${pct(k.recall)} |`),
    "",
    "| idle-timeout estimate | n | median error | p95 error | max error |",
    "|---|---:|---:|---:|---:|",
    ...(["reset", "silent", "probe"] as const).map((m) => {
      const e = r.timeoutErrors[m];
      return `| ${m} | ${e.length} | ${pct(quantile(e, 0.5), 2)} | ${pct(quantile(e, 0.95), 2)} | ${pct(Math.max(...e, 0), 2)} |`;
    }),
    "",
    `Healthy sites with no finding: ${r.cleanHealthySites} of ${r.healthySites} (${pct(r.cleanHealthySites / Math.max(1, r.healthySites))}).`,
    `Timeout named right (known default, or none for unusual values): ${r.naming.right} of ${r.naming.total}.`,
    `Interception vendor right: ${r.vendor.right} of ${r.vendor.total}. Port-block mode right: ${r.portMode.right} of ${r.portMode.total}.`,
    "",
    "| scenario | sites | truths | found | unexplained findings |",
    "|---|---:|---:|---:|---:|",
    ...[...r.scenarios.entries()]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([name, s]) => `| ${name} | ${s.sites} | ${s.truths} | ${s.found} | ${s.falsePositives} |`),
  ];
  if (r.misses.length) lines.push("", `Missed (${r.misses.length}):`, ...r.misses.slice(0, 30).map((m) => `- ${m}`));
  if (r.falsePositives.length) lines.push("", `False positives (${r.falsePositives.length}):`, ...r.falsePositives.slice(0, 30).map((m) => `- ${m}`));
  return lines.join("\n");
}
