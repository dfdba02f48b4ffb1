/**
 * Idle-timeout clusters of one scope: drops whose idle time before the end (fallback: the
 * session's duration) pile up at one value.
 *
 * - reset mode: the middlebox ends idle flows with RST/FIN at its timeout, so the drops
 *   themselves cluster at T and the estimate is the cluster's median;
 * - silent mode: it forgets them without a word; the device notices only at its own read
 *   timeout R, so drops cluster at R (mostly `timeout` endings) while the gaps those devices
 *   survived stop at a cliff below R: the estimate is the cliff (survivedGapCliff). A NAT that
 *   answers the next packet of a forgotten flow with RST (AWS NAT Gateway) makes resets
 *   cluster at the server's hold instead, with the same cliff below.
 * A cluster of `timeout` endings with no cliff below it means the path held idle connections
 * as long as the client waited: not a middlebox, no finding. A cluster whose own sessions had
 * survived much longer idle gaps before is not an idle timeout either.
 */
import { centrePeak, densityPeaks, type DensityPeakOptions } from "./densityPeaks";
import { isDrop } from "./scopes";
import { logPoissonTail, sortedQuantile } from "./statistics";
import { survivedGapCliff, type SurvivedGapCliff } from "./survivedGapCliff";
import type { SessionRecord } from "./types";

export interface IdleTimeoutOptions {
  /** fewest drops a cluster needs */
  minDrops: number;
  /** smallest share of the scope's drops a cluster must explain */
  minShare: number;
  /** family-wise false-alarm probability per scope */
  alpha: number;
  /** window half-width relative to the idle value (jitter of the middlebox and the client) */
  relativeHalfWidth: number;
  minHalfWidthS: number;
  /** idle values outside this range are not middlebox idle timeouts */
  minIdleS: number;
  maxIdleS: number;
  /** drops at one moment are an outage, not a timeout: a cluster needs drops in this many time buckets, none holding half */
  minMoments: number;
  momentBucketMs: number;
}

export const DEFAULT_IDLE_TIMEOUT_OPTIONS: IdleTimeoutOptions = {
  minDrops: 5,
  minShare: 0.05,
  alpha: 1e-3,
  relativeHalfWidth: 0.0125,
  minHalfWidthS: 4,
  minIdleS: 20,
  maxIdleS: 7 * 86400,
  minMoments: 3,
  momentBucketMs: 5 * 60_000,
};

export interface IdleCluster {
  mode: "reset" | "silent";
  /** the middlebox's idle timeout; null when a silent cut left no survived gaps to read it from */
  timeoutS: number | null;
  /** where the drops cluster: T in reset mode, the client's read timeout (or the server's hold) in silent mode */
  clusterS: number;
  /** how the cut was noticed: a reset at T, the client's read timeout, or a reset when data next arrived */
  noticed: "reset" | "read_timeout" | "next_packet";
  /** no peak: the drops start at the cliff and spread upward (clusterS is their median) */
  edge: boolean;
  /** robust spread of the cluster (IQR / 1.349, a standard deviation for normal jitter) */
  spreadS: number;
  members: SessionRecord[];
  /** idle-value ranges [lo, hi] the members were taken from (several after a merge) */
  ranges: [number, number][];
  /** all drops of the scope (the share's denominator) */
  scopeDrops: number;
  cliff: SurvivedGapCliff | null;
}

/** What a drop's idle time is taken to be: idleS, else the whole session. */
export function dropIdleS(s: SessionRecord): number | null {
  return s.idleS ?? s.durationS;
}

export function idleTimeoutClusters(
  sessions: readonly SessionRecord[],
  options: Partial<IdleTimeoutOptions> = {},
): IdleCluster[] {
  const o = { ...DEFAULT_IDLE_TIMEOUT_OPTIONS, ...options };
  const drops: SessionRecord[] = [];
  for (const s of sessions) if (isDrop(s)) drops.push(s);
  const values: number[] = [];
  for (const s of drops) {
    const x = dropIdleS(s);
    if (x !== null && x >= o.minIdleS && x <= o.maxIdleS) values.push(x);
  }
  const sorted = Float64Array.from(values).sort();
  const peakOptions: DensityPeakOptions = {
    relativeHalfWidth: o.relativeHalfWidth,
    minHalfWidth: o.minHalfWidthS,
    flankWidths: 4,
    minCount: o.minDrops,
    alpha: o.alpha,
    rangeMin: o.minIdleS,
    rangeMax: o.maxIdleS,
    minContrast: 2,
  };
  const clusters: IdleCluster[] = [];
  for (const peak of densityPeaks(sorted, peakOptions)) {
    const { centre, from, to } = centrePeak(sorted, peak, peakOptions);
    if (to - from < o.minDrops || (to - from) / drops.length < o.minShare) continue;
    const lo = sorted[from];
    const hi = sorted[to - 1];
    const members = drops.filter((s) => {
      const x = dropIdleS(s);
      return x !== null && x >= lo && x <= hi;
    });
    if (!spreadOverTime(members, o.momentBucketMs, o.minMoments)) continue;
    // The members' idle values are sorted[from..to): their IQR gives a robust spread without sorting again.
    const inside = sorted.subarray(from, to);
    const spreadS = (sortedQuantile(inside, 0.75) - sortedQuantile(inside, 0.25)) / 1.349;
    const cluster = classify(members, centre, spreadS, sessions, drops.length);
    if (cluster) clusters.push({ ...cluster, ranges: [[lo, hi]] });
  }
  const edge = cliffEdgeCluster(drops, sessions, clusters, o);
  if (edge) clusters.push(edge);
  return mergeSilentClusters(clusters);
}

/**
 * A NAT that forgets idle flows silently and resets them when data next arrives (AWS NAT
 * Gateway) leaves no peak: the resets come whenever the server next sends, so their idle
 * times start at T and spread upward, while the gaps connections survived stop at T. A sharp
 * cliff of survived gaps with a step up of resets right above it is that signature.
 */
function cliffEdgeCluster(
  drops: readonly SessionRecord[],
  sessions: readonly SessionRecord[],
  clusters: readonly Omit<IdleCluster, "ranges">[],
  o: IdleTimeoutOptions,
): IdleCluster | null {
  const survived: number[] = [];
  for (const s of sessions) if (s.maxIdleS !== null) survived.push(s.maxIdleS);
  const cliff = survivedGapCliff(survived);
  // A pile-up at the top may be a very dense cliff here (many gaps per connection press the
  // longest ones against T): resets starting right above it are what tell it from a hold.
  if (!cliff || !cliff.sharp) return null;
  if (clusters.some((c) => c.timeoutS !== null && Math.abs(c.timeoutS - cliff.timeoutS) <= 0.05 * cliff.timeoutS)) return null;
  const edgeS = cliff.maxSurvivedS;
  const resets = drops.filter((s) => s.endReason !== "timeout");
  const idle = (s: SessionRecord) => dropIdleS(s) ?? 0;
  const above = resets.filter((s) => idle(s) >= edgeS && idle(s) < 1.5 * edgeS).length;
  const below = resets.filter((s) => idle(s) >= 0.5 * edgeS && idle(s) < edgeS).length;
  if (above < o.minDrops || logPoissonTail(above, below + 0.5) >= Math.log(o.alpha)) return null;
  const members = resets.filter((s) => idle(s) >= edgeS);
  if (members.length / drops.length < o.minShare || !spreadOverTime(members, o.momentBucketMs, o.minMoments)) return null;
  const values = Float64Array.from(members, idle).sort();
  return {
    mode: "silent",
    noticed: "next_packet",
    edge: true,
    timeoutS: cliff.timeoutS,
    clusterS: sortedQuantile(values, 0.5),
    spreadS: (sortedQuantile(values, 0.75) - sortedQuantile(values, 0.25)) / 1.349,
    members,
    ranges: [[edgeS, Number.POSITIVE_INFINITY]],
    scopeDrops: drops.length,
    cliff,
  };
}

function classify(
  members: SessionRecord[],
  centre: number,
  spreadS: number,
  scopeSessions: readonly SessionRecord[],
  scopeDrops: number,
): Omit<IdleCluster, "ranges"> | null {
  // The gaps the cut devices had survived: a sharp cliff well below the cluster is the timeout.
  const devices = new Set(members.map((s) => s.device));
  const survived: number[] = [];
  let anySurvived = false;
  for (const s of scopeSessions) {
    if (s.maxIdleS === null || !devices.has(s.device)) continue;
    anySurvived = true;
    if (s.maxIdleS < centre) survived.push(s.maxIdleS);
  }
  const cliff = survivedGapCliff(survived);
  // Not a hold-time spike, not a thinning tail, not gaps survived almost as long as the cluster.
  const cliffBelow = cliff !== null && !cliff.capped && cliff.sharp && cliff.timeoutS < 0.9 * centre;
  const base = { clusterS: centre, spreadS, members, scopeDrops, edge: false };

  const timeouts = members.filter((s) => s.endReason === "timeout").length;
  if (timeouts * 2 < members.length) {
    // Resets. A connection that had survived a longer idle gap than the one that ended it
    // contradicts an idle timeout: a reset middlebox lets no gap of T or more survive, and
    // ends the connection at T or later. (Periodic holds cut at a fixed session age fake a
    // cluster just below the hold they had survived many times.)
    const contradicting = members.filter((s) => s.maxIdleS !== null && s.maxIdleS > (dropIdleS(s) ?? centre) + 0.5);
    if (contradicting.length > 0.1 * members.length) return null;
    // Resets piling up at the server's hold above a cliff of survived gaps: a NAT that forgot
    // the flows and resets them when data next arrives. cliffEdgeCluster takes all of those
    // resets, at the hold or not.
    if (cliffBelow) return null;
    return { ...base, mode: "reset", noticed: "reset", timeoutS: centre, cliff: null };
  }
  // Timeouts: the device noticed at its own read timeout; T is the cliff below it.
  if (cliff === null) {
    if (anySurvived) return null;
    return { ...base, mode: "silent", noticed: "read_timeout", timeoutS: null, cliff: null };
  }
  if (!cliffBelow) return null;
  return { ...base, mode: "silent", noticed: "read_timeout", timeoutS: cliff.timeoutS, cliff };
}

/** Devices with different read timeouts behind one silent middlebox give one finding. */
function mergeSilentClusters(clusters: IdleCluster[]): IdleCluster[] {
  const out: IdleCluster[] = [];
  for (const c of clusters) {
    const twin = out.find(
      (o) =>
        o.mode === "silent" &&
        c.mode === "silent" &&
        o.timeoutS !== null &&
        c.timeoutS !== null &&
        Math.abs(o.timeoutS - c.timeoutS) <= 0.05 * o.timeoutS,
    );
    if (!twin) {
      out.push(c);
      continue;
    }
    twin.members = [...twin.members, ...c.members];
    twin.ranges = [...twin.ranges, ...c.ranges];
    if (c.cliff && twin.cliff && c.cliff.timeoutS > twin.cliff.timeoutS) {
      twin.cliff = c.cliff;
      twin.timeoutS = c.timeoutS;
    }
  }
  return out;
}

/**
 * Endings spread over time, not one burst: they fall in at least `minBuckets` time buckets and
 * no two adjacent buckets hold more than half of them. (An outage ends many connections at
 * one moment; if they had all started together too, their idle times or ages agree.)
 */
export function spreadOverTime(members: readonly SessionRecord[], bucketMs: number, minBuckets: number): boolean {
  const buckets = new Map<number, number>();
  for (const s of members) {
    const b = Math.floor((s.end ?? s.start) / bucketMs);
    buckets.set(b, (buckets.get(b) ?? 0) + 1);
  }
  if (buckets.size < minBuckets) return false;
  let largest = 0;
  for (const [b, n] of buckets) largest = Math.max(largest, n + (buckets.get(b + 1) ?? 0));
  return largest <= members.length / 2;
}
