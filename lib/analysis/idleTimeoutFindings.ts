/**
 * idle_timeout findings: passive clusters per scope (sites first, then shared egress IPs
 * for what the sites did not explain), confirmed or corrected by probe measurements, each
 * named (knownTimeouts) and turned into advice.
 */
import { count, deviceList, humanDuration, percent, plural, scopeLabel } from "./findingText";
import {
  describeTimeout,
  idleTimeoutRecommendation,
  idleTimeoutSeverity,
  snapIdleTimeout,
} from "./knownTimeouts";
import { DEFAULT_IDLE_TIMEOUT_OPTIONS, dropIdleS, idleTimeoutClusters, type IdleCluster, type IdleTimeoutOptions } from "./idleTimeoutClusters";
import { probeIdleTimeouts, type ProbeMeasurement } from "./probeIdleTimeout";
import { isDrop, scopeGroups, type Explained, type ScopeGroup } from "./scopes";
import { extent, round1 } from "./statistics";
import type { IdleTimeoutEvidence } from "@/lib/contract/evidence";
import type { DraftOf, EventRecord, SessionRecord } from "./types";

export interface IdleTimeoutResult {
  findings: DraftOf<"idle_timeout">[];
  /** drops the findings explain, so other detectors do not count them again */
  explained: Explained;
}

/**
 * The drops idle-timeout clusters explain, kept as idle-value ranges per scope rather than a
 * set of sessions: a fleet's clusters hold hundreds of thousands of drops.
 */
class ExplainedByIdleRanges implements Explained {
  private readonly ranges: Record<ScopeGroup<SessionRecord>["scope"], Map<string, [number, number][]>> = {
    site: new Map(),
    publicIp: new Map(),
    device: new Map(),
  };

  add(group: ScopeGroup<SessionRecord>, ranges: readonly [number, number][]): void {
    const map = this.ranges[group.scope];
    map.set(group.key, [...(map.get(group.key) ?? []), ...ranges]);
  }

  has(s: SessionRecord): boolean {
    if (!isDrop(s)) return false;
    const x = dropIdleS(s);
    if (x === null) return false;
    if (s.site !== null && within(this.ranges.site.get(s.site), x)) return true;
    if (s.publicIp && within(this.ranges.publicIp.get(s.publicIp), x)) return true;
    return s.site === null && !s.publicIp && within(this.ranges.device.get(s.device), x);
  }
}

function within(ranges: readonly [number, number][] | undefined, x: number): boolean {
  if (ranges === undefined) return false;
  for (const [lo, hi] of ranges) if (x >= lo && x <= hi) return true;
  return false;
}

export function detectIdleTimeouts(
  sessions: readonly SessionRecord[],
  events: readonly EventRecord[],
  options: Partial<IdleTimeoutOptions> = {},
): IdleTimeoutResult {
  const minDrops = options.minDrops ?? DEFAULT_IDLE_TIMEOUT_OPTIONS.minDrops;
  const explained = new ExplainedByIdleRanges();
  const passive: { group: ScopeGroup<SessionRecord>; cluster: IdleCluster }[] = [];
  for (const group of scopeGroups(sessions)) {
    for (const cluster of idleTimeoutClusters(group.items, options)) {
      if (group.scope === "publicIp") {
        // An egress finding only for drops no site finding explains already.
        const fresh = cluster.members.filter((s) => !explained.has(s));
        if (fresh.length < Math.max(minDrops, cluster.members.length / 2)) continue;
      }
      explained.add(group, cluster.ranges);
      passive.push({ group, cluster });
    }
  }
  const probes = probeIdleTimeouts(events);
  const usedProbes = new Set<ProbeMeasurement>();
  const findings = passive.map(({ group, cluster }) => {
    const probe = probes.find(
      (p) => !usedProbes.has(p) && p.scope === group.scope && p.key === group.key && probeAgrees(p, cluster),
    );
    if (probe) usedProbes.add(probe);
    return passiveFinding(group, cluster, probe ?? null);
  });
  for (const probe of probes) if (!usedProbes.has(probe)) findings.push(probeFinding(probe));
  return { findings, explained };
}

/** A probe measures the same middlebox when it lands on the cluster (reset) or between the cliff and the read timeout (silent). */
function probeAgrees(p: ProbeMeasurement, c: IdleCluster): boolean {
  const slack = Math.max(10, 0.03 * p.timeoutS);
  if (c.mode === "reset") return Math.abs(p.timeoutS - c.clusterS) <= slack;
  const floor = c.cliff ? c.cliff.maxSurvivedS : 0;
  return p.timeoutS >= floor - slack && p.timeoutS <= c.clusterS;
}

function passiveFinding(
  group: ScopeGroup<SessionRecord>,
  c: IdleCluster,
  probe: ProbeMeasurement | null,
): DraftOf<"idle_timeout"> {
  // The probe wins where the passive value is only a bound: a silent cliff it disagrees with.
  const corrected =
    probe !== null &&
    c.mode === "silent" &&
    (c.timeoutS === null || Math.abs(probe.timeoutS - c.timeoutS) > Math.max(10, 0.03 * probe.timeoutS));
  const timeoutS = corrected && probe ? probe.timeoutS : c.timeoutS;
  const mode = corrected ? "probe" : c.mode;
  const devices = new Set(c.members.map((s) => s.device));
  const sites = new Set(c.members.map((s) => s.site ?? "(none)"));
  const [firstEnd, lastEnd] = extent(c.members.map((s) => s.end ?? s.start));
  const snapped = timeoutS === null ? { knownAs: null, knownTimeoutS: null } : snapIdleTimeout(timeoutS);
  const share = c.members.length / c.scopeDrops;
  const where = scopeLabel(group.scope, group.key);
  const idleText = c.edge
    ? `${Math.round(c.cliff?.maxSurvivedS ?? c.clusterS)} s idle or more (median ${Math.round(c.clusterS)} s)`
    : `${Math.round(c.clusterS)} ± ${Math.max(1, Math.round(c.spreadS))} s idle`;
  const clusterText = `${count(c.members.length)} of ${count(c.scopeDrops)} drops (${percent(share)}) at ${where} came after ${idleText}, on ${plural(devices.size, "device")}`;

  const how =
    c.noticed === "next_packet"
      ? "each ended by a reset only when data next arrived"
      : "noticed only at the client's read timeout";
  let summary: string;
  if (c.mode === "reset") {
    summary = `${clusterText} — ${describeTimeout(c.clusterS, snapped)}.`;
  } else if (timeoutS !== null && c.cliff) {
    summary =
      `${clusterText}, ${how}; none of those devices' connections survived an idle gap longer than ` +
      `${Math.round(c.cliff.maxSurvivedS)} s (from the longest survived gaps of ${plural(c.cliff.sessions, "session")}): ` +
      `a middlebox silently forgets idle connections after about ${Math.round(timeoutS)} s — ${describeTimeout(timeoutS, snapped)}.`;
  } else {
    summary =
      `${clusterText}, ${how}: a middlebox silently forgets idle connections ` +
      `after less than ${Math.round(c.clusterS)} s, and the devices report no survived idle gaps to measure it from.`;
  }
  if (probe && !corrected) {
    summary += ` The Linkscope probe confirms it (${probeBracket(probe)}).`;
  } else if (probe && corrected) {
    summary += ` The Linkscope probe measured ${Math.round(probe.timeoutS)} s (${probeBracket(probe)})${c.timeoutS !== null ? `, correcting the passive estimate of ${Math.round(c.timeoutS)} s` : ""}.`;
  }

  const reasons: Record<string, number> = {};
  for (const s of c.members) {
    const r = s.endReason ?? "unknown";
    reasons[r] = (reasons[r] ?? 0) + 1;
  }
  const evidence: IdleTimeoutEvidence = {
    timeoutS: timeoutS === null ? null : round1(timeoutS),
    mode,
    knownAs: snapped.knownAs,
    knownTimeoutS: snapped.knownTimeoutS,
    affectedDevices: deviceList(devices),
    affectedDeviceCount: devices.size,
    drops: c.members.length,
    share: Math.round(share * 1000) / 1000,
    scopeDrops: c.scopeDrops,
    clusterS: round1(c.clusterS),
    spreadS: round1(c.spreadS),
    reasons,
  };
  if (c.mode === "silent") {
    evidence.noticed = c.noticed;
    if (c.noticed === "read_timeout") evidence.clientTimeoutS = round1(c.clusterS);
    evidence.maxSurvivedS = c.cliff ? round1(c.cliff.maxSurvivedS) : null;
    evidence.survivedSessions = c.cliff ? c.cliff.sessions : 0;
    if (corrected && c.timeoutS !== null) evidence.passiveEstimateS = round1(c.timeoutS);
  }
  if (group.scope === "publicIp") evidence.sites = [...sites].sort();
  if (probe) evidence.probe = probeEvidence(probe);

  return {
    kind: "idle_timeout",
    scope: group.scope,
    scopeKey: group.key,
    site: group.site ?? (sites.size === 1 && !sites.has("(none)") ? [...sites][0] : null),
    device: group.scope === "device" ? group.key : null,
    severity: timeoutS === null ? "warning" : idleTimeoutSeverity(timeoutS),
    title:
      timeoutS === null
        ? `Connections silently cut at ${where} (idle timeout not yet measured)`
        : `Idle timeout of ${Math.round(timeoutS)} s (${humanDuration(timeoutS)}) at ${where}`,
    summary,
    recommendation:
      timeoutS === null
        ? "Run the Linkscope probe at this site to measure the path's idle timeout. Until then keep long-polls and heartbeats at most 45 s where an HTTP load balancer may sit in the path, 220 s for plain NAT'd TCP."
        : idleTimeoutRecommendation(timeoutS),
    evidence,
    firstSeen: Math.min(firstEnd, probe?.firstSeen ?? Infinity),
    lastSeen: Math.max(lastEnd, probe?.lastSeen ?? -Infinity),
  };
}

function probeFinding(p: ProbeMeasurement): DraftOf<"idle_timeout"> {
  const snapped = snapIdleTimeout(p.timeoutS);
  const where = scopeLabel(p.scope, p.key);
  return {
    kind: "idle_timeout",
    scope: p.scope,
    scopeKey: p.key,
    site: p.site,
    device: p.scope === "device" ? p.key : null,
    severity: idleTimeoutSeverity(p.timeoutS),
    title: `Idle timeout of ${Math.round(p.timeoutS)} s (${humanDuration(p.timeoutS)}) at ${where}`,
    summary:
      `The Linkscope probe measured the path's idle timeout at ${where}: ${probeBracket(p)}, ` +
      `estimate ${Math.round(p.timeoutS)} s — ${describeTimeout(p.timeoutS, snapped)}.`,
    recommendation: idleTimeoutRecommendation(p.timeoutS),
    evidence: {
      timeoutS: round1(p.timeoutS),
      mode: "probe",
      knownAs: snapped.knownAs,
      knownTimeoutS: snapped.knownTimeoutS,
      affectedDevices: deviceList(p.devices),
      affectedDeviceCount: p.devices.size,
      drops: 0,
      share: 0,
      probe: probeEvidence(p),
    },
    firstSeen: p.firstSeen,
    lastSeen: p.lastSeen,
  };
}

function probeBracket(p: ProbeMeasurement): string {
  const survived = p.survivedMaxS === null ? "no idle hold survived" : `idle holds survived up to ${Math.round(p.survivedMaxS)} s`;
  return `${survived}, died from ${Math.round(p.diedMinS)} s, ${plural(p.runs, "run")}`;
}

function probeEvidence(p: ProbeMeasurement): NonNullable<IdleTimeoutEvidence["probe"]> {
  return {
    estimateS: round1(p.timeoutS),
    survivedMaxS: p.survivedMaxS,
    diedMinS: p.diedMinS,
    runs: p.runs,
    devices: deviceList(p.devices),
  };
}
