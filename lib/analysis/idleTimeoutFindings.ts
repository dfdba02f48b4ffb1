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
import { DEFAULT_IDLE_TIMEOUT_OPTIONS, digestIdleClusters, type IdleCluster, type IdleTimeoutOptions, type Members } from "./idleTimeoutClusters";
import { binned, binValue, digestRows, dropIdleS, FINE, NO_BIN, parseCellKey, rowsByCell, ScopeDigest, type DigestRow } from "./digest";
import { probeIdleTimeouts, type ProbeMeasurement } from "./probeIdleTimeout";
import { cellScopes, isDrop, type CellScope, type Explained } from "./scopes";
import { round1 } from "./statistics";
import type { IdleTimeoutEvidence } from "@/lib/contract/evidence";
import type { DraftOf, EventRecord, SessionRecord } from "./types";

export interface IdleTimeoutResult {
  findings: DraftOf<"idle_timeout">[];
  /** drops the findings explain, so other detectors do not count them again */
  explained: ExplainedByIdleRanges;
}

type ScopeKind = CellScope["scope"];

/**
 * The drops idle-timeout clusters explain, kept as idle-value ranges per scope rather than a
 * set of sessions: a fleet's clusters hold hundreds of thousands of drops. A drop is judged by
 * its idle time's bin centre, so a raw session and its digest rows get the same answer.
 */
export class ExplainedByIdleRanges implements Explained {
  private readonly ranges: Record<ScopeKind, Map<string, [number, number][]>> = {
    site: new Map(),
    publicIp: new Map(),
    device: new Map(),
  };
  private readonly cells = new Map<string, ReturnType<typeof parseCellKey>>();

  add(scope: ScopeKind, key: string, ranges: readonly [number, number][]): void {
    const map = this.ranges[scope];
    map.set(key, [...(map.get(key) ?? []), ...ranges]);
  }

  has(s: SessionRecord): boolean {
    if (!isDrop(s)) return false;
    const x = dropIdleS(s);
    return x !== null && this.explains(s.site, s.publicIp || null, s.device, binned(x));
  }

  /** A drop of this digest cell with this fine idle bin. */
  hasBin(cell: string, fineBin: number): boolean {
    if (fineBin === NO_BIN) return false;
    let c = this.cells.get(cell);
    if (!c) this.cells.set(cell, (c = parseCellKey(cell)));
    return this.explains(c.site, c.publicIp, c.device, binValue(fineBin, FINE));
  }

  /** Scopes with any explained range. */
  get empty(): boolean {
    return this.ranges.site.size + this.ranges.publicIp.size + this.ranges.device.size === 0;
  }

  private explains(site: string | null, publicIp: string | null, device: string, x: number): boolean {
    if (site !== null && within(this.ranges.site.get(site), x)) return true;
    if (publicIp && within(this.ranges.publicIp.get(publicIp), x)) return true;
    return site === null && !publicIp && within(this.ranges.device.get(device), x);
  }
}

function within(ranges: readonly [number, number][] | undefined, x: number): boolean {
  if (ranges === undefined) return false;
  for (const [lo, hi] of ranges) if (x >= lo && x <= hi) return true;
  return false;
}

/** Idle timeouts of these sessions (their digest built on the spot). */
export function detectIdleTimeouts(
  sessions: readonly SessionRecord[],
  events: readonly EventRecord[],
  options: Partial<IdleTimeoutOptions> = {},
): IdleTimeoutResult {
  return digestIdleTimeouts(rowsByCell(digestRows(sessions)), events, options);
}

/** Idle timeouts of a fleet's digest (rows by cell) and its probe results. */
export function digestIdleTimeouts(
  cells: ReadonlyMap<string, readonly DigestRow[]>,
  events: readonly EventRecord[],
  options: Partial<IdleTimeoutOptions> = {},
): IdleTimeoutResult {
  const minDrops = options.minDrops ?? DEFAULT_IDLE_TIMEOUT_OPTIONS.minDrops;
  const explained = new ExplainedByIdleRanges();
  const passive: { group: CellScope; cluster: IdleCluster }[] = [];
  for (const group of cellScopes(cells.keys())) {
    const digest = new ScopeDigest(group.items.flatMap((cell) => cells.get(cell) ?? []));
    for (const cluster of digestIdleClusters(digest, options)) {
      if (group.scope === "publicIp") {
        // An egress finding only for drops no site finding explains already.
        const fresh = freshDrops(digest, cluster.members, explained);
        if (fresh < Math.max(minDrops, cluster.members.drops / 2)) continue;
      }
      explained.add(group.scope, group.key, cluster.members.ranges);
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

/** The members' drops that no finding so far explains. */
function freshDrops(digest: ScopeDigest, members: Members, explained: ExplainedByIdleRanges): number {
  let n = 0;
  for (const r of digest.rows("idle")) {
    if (r.bin === NO_BIN || (members.resetsOnly && r.reason === "timeout")) continue;
    const x = binValue(r.bin, FINE);
    if (members.ranges.some(([lo, hi]) => x >= lo && x <= hi) && !explained.hasBin(r.cell, r.bin)) n += r.n;
  }
  return n;
}

/** A probe measures the same middlebox when it lands on the cluster (reset) or between the cliff and the read timeout (silent). */
function probeAgrees(p: ProbeMeasurement, c: IdleCluster): boolean {
  const slack = Math.max(10, 0.03 * p.timeoutS);
  if (c.mode === "reset") return Math.abs(p.timeoutS - c.clusterS) <= slack;
  const floor = c.cliff ? c.cliff.maxSurvivedS : 0;
  return p.timeoutS >= floor - slack && p.timeoutS <= c.clusterS;
}

function passiveFinding(
  group: CellScope,
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
  const devices = new Set(c.members.devices.keys());
  const sites = new Set([...c.members.sites].map((s) => s ?? "(none)"));
  const { first: firstEnd, last: lastEnd } = c.members;
  const snapped = timeoutS === null ? { knownAs: null, knownTimeoutS: null } : snapIdleTimeout(timeoutS);
  const share = c.members.drops / c.scopeDrops;
  const where = scopeLabel(group.scope, group.key);
  const idleText = c.edge
    ? `${Math.round(c.cliff?.maxSurvivedS ?? c.clusterS)} s idle or more (median ${Math.round(c.clusterS)} s)`
    : `${Math.round(c.clusterS)} ± ${Math.max(1, Math.round(c.spreadS))} s idle`;
  const through = c.egress && c.egress.length > 0 ? ` leaving through ${c.egress.join(", ")}` : "";
  const clusterText = `${count(c.members.drops)} of ${count(c.scopeDrops)} drops (${percent(share)}) at ${where} came after ${idleText}, on ${plural(devices.size, "device")}${through}`;

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

  const reasons = { ...c.members.reasons };
  const evidence: IdleTimeoutEvidence = {
    timeoutS: timeoutS === null ? null : round1(timeoutS),
    mode,
    knownAs: snapped.knownAs,
    knownTimeoutS: snapped.knownTimeoutS,
    affectedDevices: deviceList(devices),
    affectedDeviceCount: devices.size,
    drops: c.members.drops,
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
  if (c.egress) evidence.publicIps = c.egress;
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
