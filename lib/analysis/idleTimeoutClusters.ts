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
 *
 * The scope is read from its digest (lib/analysis/digest.ts): idle times in fine bins, who
 * and when in coarser ones.
 */
import { centrePeak, densityPeaks, sliceIndexes, type DensityPeakOptions } from "./densityPeaks";
import { binValue, coarseMeets, digestRows, FINE, FINE_RESOLUTION, MOMENT_MS, NO_BIN, parseCellKey, ScopeDigest, survivedValue } from "./digest";
import { atResolution } from "./knownTimeouts";
import { logPoissonTail } from "./statistics";
import { survivedGapCliff, type SurvivedGapCliff } from "./survivedGapCliff";
import { weightBetween, weightedIqrSpread, weightedMedian, weightedSample, type WeightedSample } from "./weighted";
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

/** The drops a cluster holds: which idle values, and what is known of them. */
export interface Members {
  /** idle-value ranges [lo, hi] (bin centres) the members were taken from (several after a merge) */
  ranges: [number, number][];
  /** only endings other than `timeout` (the edge cluster's resets) */
  resetsOnly: boolean;
  drops: number;
  devices: Map<string, number>;
  sites: Set<string | null>;
  /** drops per egress address (the cells' public IPs; null: none reported) */
  egress: Map<string | null, number>;
  reasons: Record<string, number>;
  timeouts: number;
  /** drops whose session had survived a longer idle gap before */
  contradicting: number;
  /** drops per five-minute moment (read at coarse bins: an outline, not an exact count); first and last are moments' starts */
  moments: Map<number, number>;
  first: number;
  last: number;
}

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
  members: Members;
  /** all drops of the scope (the share's denominator) */
  scopeDrops: number;
  cliff: SurvivedGapCliff | null;
  /** at a scope with several egress addresses, the ones behind this middlebox; null with one */
  egress: string[] | null;
}

/** A cluster before its egress addresses are named (once silent twins have merged). */
type Unnamed = Omit<IdleCluster, "egress">;

const inRanges = (ranges: readonly [number, number][], x: number) => ranges.some(([lo, hi]) => x >= lo && x <= hi);

/**
 * The scope's drops with idle values in `ranges` (and, with resetsOnly, not ended by `timeout`;
 * with `egress`, only those that left through these addresses).
 */
export function selectMembers(digest: ScopeDigest, ranges: [number, number][], resetsOnly = false, egress?: ReadonlySet<string | null>): Members {
  const m: Members = {
    ranges,
    resetsOnly,
    drops: 0,
    devices: new Map(),
    sites: new Set(),
    egress: new Map(),
    reasons: {},
    timeouts: 0,
    contradicting: 0,
    moments: new Map(),
    first: Infinity,
    last: -Infinity,
  };
  const cells = new CellIndex();
  const outside = (cell: string) => egress !== undefined && !egress.has(cells.of(cell).publicIp);
  for (const r of digest.rows("idle")) {
    if (r.bin === NO_BIN || (resetsOnly && r.reason === "timeout") || !inRanges(ranges, binValue(r.bin, FINE)) || outside(r.cell)) continue;
    m.drops += r.n;
    m.reasons[r.reason] = (m.reasons[r.reason] ?? 0) + r.n;
    if (r.reason === "timeout") m.timeouts += r.n;
    if (r.flags & 1) m.contradicting += r.n;
    const { site, publicIp } = cells.of(r.cell);
    m.sites.add(site);
    m.egress.set(publicIp, (m.egress.get(publicIp) ?? 0) + r.n);
  }
  for (const r of digest.rows("idleDevice")) {
    if (r.bin === NO_BIN || (resetsOnly && r.flags & 1) || !inRanges(ranges, binValue(r.bin, FINE)) || outside(r.cell)) continue;
    m.devices.set(r.device, (m.devices.get(r.device) ?? 0) + r.n);
  }
  for (const r of digest.rows("idleMoment")) {
    if ((resetsOnly && r.flags & 1) || !ranges.some(([lo, hi]) => coarseMeets(r.bin, lo, hi)) || outside(r.cell)) continue;
    m.moments.set(r.t, (m.moments.get(r.t) ?? 0) + r.n);
    m.first = Math.min(m.first, r.t * MOMENT_MS);
    m.last = Math.max(m.last, r.t * MOMENT_MS);
  }
  return m;
}

/** Parsed cell keys, each parsed once. */
class CellIndex {
  private readonly parsed = new Map<string, ReturnType<typeof parseCellKey>>();
  of(cell: string): ReturnType<typeof parseCellKey> {
    let c = this.parsed.get(cell);
    if (!c) this.parsed.set(cell, (c = parseCellKey(cell)));
    return c;
  }
}

/** All drops of a scope per egress address. */
function dropsByEgress(digest: ScopeDigest): Map<string | null, number> {
  const cells = new CellIndex();
  const out = new Map<string | null, number>();
  for (const r of digest.rows("idle")) {
    const ip = cells.of(r.cell).publicIp;
    out.set(ip, (out.get(ip) ?? 0) + r.n);
  }
  return out;
}

/**
 * At a scope with several egress addresses (a site with two WAN links), a middlebox sits on
 * some of them: there its cluster holds a meaningful share of the drops, elsewhere only the odd
 * noise drop near its value, whose devices are not behind it. The members on its own paths
 * (the address holding most of them always is one, though another middlebox's drops there
 * may outnumber them).
 */
function onItsPaths(digest: ScopeDigest, m: Members, byEgress: ReadonlyMap<string | null, number>, minShare: number): Members {
  if (m.egress.size < 2) return m;
  const main = [...m.egress].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  const paths = new Set([...m.egress].filter(([ip, n]) => ip === main || n >= minShare * (byEgress.get(ip) ?? 0)).map(([ip]) => ip));
  return paths.size === m.egress.size ? m : selectMembers(digest, m.ranges, m.resetsOnly, paths);
}

/** All drops of a scope per device. */
function dropsByDevice(digest: ScopeDigest): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of digest.rows("idleDevice")) out.set(r.device, (out.get(r.device) ?? 0) + r.n);
  return out;
}

/**
 * The devices behind the middlebox: those whose drops it holds a meaningful share of. A device
 * on another path whose random drop fell near the value is not (its one or two drops still
 * count among the cluster's: the digest's drop counts carry no device).
 */
function ownDevices(m: Members, byDevice: ReadonlyMap<string, number>, minShare: number): Members {
  const devices = new Map([...m.devices].filter(([d, n]) => n >= minShare * (byDevice.get(d) ?? 0)));
  return devices.size === m.devices.size ? m : { ...m, devices };
}

function mergeMembers(a: Members, b: Members): Members {
  const devices = new Map(a.devices);
  for (const [d, n] of b.devices) devices.set(d, (devices.get(d) ?? 0) + n);
  const moments = new Map(a.moments);
  for (const [t, n] of b.moments) moments.set(t, (moments.get(t) ?? 0) + n);
  const reasons = { ...a.reasons };
  for (const [r, n] of Object.entries(b.reasons)) reasons[r] = (reasons[r] ?? 0) + n;
  return {
    ranges: [...a.ranges, ...b.ranges],
    resetsOnly: a.resetsOnly && b.resetsOnly,
    drops: a.drops + b.drops,
    devices,
    sites: new Set([...a.sites, ...b.sites]),
    egress: sumCounts([a.egress, b.egress]),
    reasons,
    timeouts: a.timeouts + b.timeouts,
    contradicting: a.contradicting + b.contradicting,
    moments,
    first: Math.min(a.first, b.first),
    last: Math.max(a.last, b.last),
  };
}

/** The scope's drop idle values (bin centres) within [lo, hi], optionally resets only. */
function idleSample(digest: ScopeDigest, lo: number, hi: number, resetsOnly = false): WeightedSample {
  const pairs: [number, number][] = [];
  for (const r of digest.rows("idle")) {
    if (r.bin === NO_BIN || (resetsOnly && r.reason === "timeout")) continue;
    const x = binValue(r.bin, FINE);
    if (x >= lo && x <= hi) pairs.push([x, r.n]);
  }
  return weightedSample(pairs);
}

/** Longest survived gaps of the scope's ended sessions (of these devices; below `below`). */
function survivedSample(digest: ScopeDigest, devices?: ReadonlyMap<string, number>, below = Infinity): { sample: WeightedSample; any: boolean } {
  const pairs: [number, number][] = [];
  let any = false;
  for (const r of digest.rows("survived")) {
    if (devices && !devices.has(r.device)) continue;
    any = true;
    const x = survivedValue(r.bin);
    if (x < below) pairs.push([x, r.n]);
  }
  return { sample: weightedSample(pairs), any };
}

/** Clusters of a scope's sessions (their digest built on the spot). */
export function idleTimeoutClusters(sessions: readonly SessionRecord[], options: Partial<IdleTimeoutOptions> = {}): IdleCluster[] {
  return digestIdleClusters(new ScopeDigest(digestRows(sessions)), options);
}

export function digestIdleClusters(digest: ScopeDigest, options: Partial<IdleTimeoutOptions> = {}): IdleCluster[] {
  const o = { ...DEFAULT_IDLE_TIMEOUT_OPTIONS, ...options };
  const drops = digest.total("idle");
  const sample = idleSample(digest, o.minIdleS, o.maxIdleS);
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
  const byEgress = dropsByEgress(digest);
  const byDevice = dropsByDevice(digest);
  const peaks = densityPeaks(sample, peakOptions).map((peak) => {
    const { centre, from, to } = centrePeak(sample, peak, peakOptions);
    return { centre, from, to, inside: sliceIndexes(sample, from, to) };
  });
  const held = peaks.reduce((n, p) => n + p.inside.total, 0);
  const clusters: Unnamed[] = [];
  for (const { centre: binCentre, from, to, inside } of peaks) {
    const centre = atResolution(binCentre, FINE_RESOLUTION);
    // The share among the drops no other peak holds: a second middlebox at the site, cutting
    // fewer devices or rarer (a longer timeout), is not hidden by the first one's drops.
    const unclaimed = drops - (held - inside.total);
    if (inside.total < o.minDrops || inside.total / unclaimed < o.minShare) continue;
    const selected = selectMembers(digest, [[sample.values[from], sample.values[to - 1]]]);
    const members = ownDevices(onItsPaths(digest, selected, byEgress, o.minShare), byDevice, o.minShare);
    // A value no device mainly dies at is random drops landing near it, not a middlebox.
    if (members.devices.size === 0 || !spreadOverTime(members.moments, o.momentBucketMs, o.minMoments)) continue;
    const cluster = classify(members, centre, weightedIqrSpread(inside), digest, drops);
    if (cluster) clusters.push(cluster);
  }
  const edge = cliffEdgeCluster(digest, drops, clusters, byEgress, byDevice, o);
  if (edge) clusters.push(edge);
  return mergeSilentClusters(clusters).map((c) => ({ ...c, egress: byEgress.size < 2 ? null : egressOf(c.members) }));
}

function sumCounts<K>(maps: readonly ReadonlyMap<K, number>[]): Map<K, number> {
  const out = new Map<K, number>();
  for (const m of maps) for (const [k, n] of m) out.set(k, (out.get(k) ?? 0) + n);
  return out;
}

function egressOf(m: Members): string[] {
  return [...m.egress.keys()].filter((ip): ip is string => ip !== null).sort();
}

/**
 * A NAT that forgets idle flows silently and resets them when data next arrives (AWS NAT
 * Gateway) leaves no peak: the resets come whenever the server next sends, so their idle
 * times start at T and spread upward, while the gaps connections survived stop at T. A sharp
 * cliff of survived gaps with a step up of resets right above it is that signature.
 */
function cliffEdgeCluster(
  digest: ScopeDigest,
  drops: number,
  clusters: readonly Unnamed[],
  byEgress: ReadonlyMap<string | null, number>,
  byDevice: ReadonlyMap<string, number>,
  o: IdleTimeoutOptions,
): Unnamed | null {
  const cliff = survivedGapCliff(survivedSample(digest).sample);
  // A pile-up at the top may be a very dense cliff here (many gaps per connection press the
  // longest ones against T): resets starting right above it are what tell it from a hold.
  if (!cliff || !cliff.sharp) return null;
  if (clusters.some((c) => c.timeoutS !== null && Math.abs(c.timeoutS - cliff.timeoutS) <= 0.05 * cliff.timeoutS)) return null;
  const edgeS = cliff.maxSurvivedS;
  const resets = idleSample(digest, 0, Infinity, true);
  const above = weightBetween(resets, edgeS, 1.5 * edgeS * (1 - 1e-12));
  const below = weightBetween(resets, 0.5 * edgeS, edgeS * (1 - 1e-12));
  if (above < o.minDrops || logPoissonTail(above, below + 0.5) >= Math.log(o.alpha)) return null;
  const members = ownDevices(onItsPaths(digest, selectMembers(digest, [[edgeS, Number.POSITIVE_INFINITY]], true), byEgress, o.minShare), byDevice, o.minShare);
  if (members.devices.size === 0 || members.drops / drops < o.minShare || !spreadOverTime(members.moments, o.momentBucketMs, o.minMoments)) return null;
  const values = idleSample(digest, edgeS, Infinity, true);
  return {
    mode: "silent",
    noticed: "next_packet",
    edge: true,
    timeoutS: cliff.timeoutS,
    clusterS: atResolution(weightedMedian(values), FINE_RESOLUTION),
    spreadS: weightedIqrSpread(values),
    members,
    scopeDrops: drops,
    cliff,
  };
}

function classify(members: Members, centre: number, spreadS: number, digest: ScopeDigest, scopeDrops: number): Unnamed | null {
  // The gaps the cut devices had survived: a sharp cliff well below the cluster is the timeout.
  const { sample, any: anySurvived } = survivedSample(digest, members.devices, centre);
  const cliff = survivedGapCliff(sample);
  // Not a hold-time spike, not a thinning tail, not gaps survived almost as long as the cluster.
  const cliffBelow = cliff !== null && !cliff.capped && cliff.sharp && cliff.timeoutS < 0.9 * centre;
  const base = { clusterS: centre, spreadS, members, scopeDrops, edge: false };

  if (members.timeouts * 2 < members.drops) {
    // Resets. A connection that had survived a longer idle gap than the one that ended it
    // contradicts an idle timeout: a reset middlebox lets no gap of T or more survive, and
    // ends the connection at T or later. (Periodic holds cut at a fixed session age fake a
    // cluster just below the hold they had survived many times.)
    if (members.contradicting > 0.1 * members.drops) return null;
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
function mergeSilentClusters(clusters: Unnamed[]): Unnamed[] {
  const out: Unnamed[] = [];
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
    twin.members = mergeMembers(twin.members, c.members);
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
export function spreadOverTime(moments: ReadonlyMap<number, number>, bucketMs: number, minBuckets: number): boolean {
  const buckets = new Map<number, number>();
  let total = 0;
  for (const [t, n] of moments) {
    const b = Math.floor((t * MOMENT_MS) / bucketMs);
    buckets.set(b, (buckets.get(b) ?? 0) + n);
    total += n;
  }
  if (buckets.size < minBuckets) return false;
  let largest = 0;
  for (const [b, n] of buckets) largest = Math.max(largest, n + (buckets.get(b + 1) ?? 0));
  return largest <= total / 2;
}

