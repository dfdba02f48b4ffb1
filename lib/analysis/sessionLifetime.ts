/**
 * session_lifetime: connections that end at one age whatever their idle gaps — a token or
 * certificate that expires, a proxy's maximum connection age, a server-side cap. Found as
 * a narrow peak of session durations (the same window scan as idle timeouts), then told
 * apart from an idle timeout seen through durations: the idle time before those endings
 * must be clearly shorter than the session.
 */
import { centrePeak, densityPeaks, sliceIndexes, type DensityPeakOptions } from "./densityPeaks";
import { binned, binValue, COARSE, coarseMeets, digestRows, FINE, LIFETIME_REASONS, MOMENT_MS, NO_BIN, rowsByCell, ScopeDigest, type DigestRow } from "./digest";
import { count, deviceList, humanDuration, percent, plural, scopeLabel } from "./findingText";
import { spreadOverTime } from "./idleTimeoutClusters";
import type { ExplainedByIdleRanges } from "./idleTimeoutFindings";
import { ownCellScopes, ownScope, type Explained } from "./scopes";
import { weightedMedian, weightedSample, type WeightedSample } from "./weighted";
import type { DraftOf, SessionRecord } from "./types";

export interface SessionLifetimeOptions {
  minSessions: number;
  minShare: number;
  alpha: number;
}

export const DEFAULT_SESSION_LIFETIME_OPTIONS: SessionLifetimeOptions = { minSessions: 5, minShare: 0.1, alpha: 1e-3 };

const KNOWN_LIFETIMES: readonly { seconds: number; name: string }[] = [
  { seconds: 1767, name: "Azure IoT Hub's 29.45-minute connection cap" },
  { seconds: 3900, name: "Azure IoT Hub SAS token expiry (about 65 minutes)" },
  { seconds: 86400, name: "24-hour connection limit (e.g. AWS IoT WebSocket TTL)" },
];

const PEAKS: Omit<DensityPeakOptions, "minCount" | "alpha"> = {
  relativeHalfWidth: 0.0125,
  minHalfWidth: 5,
  flankWidths: 4,
  rangeMin: 60,
  rangeMax: 30 * 86400,
  minContrast: 2,
};

export interface SessionLifetime {
  finding: DraftOf<"session_lifetime">;
  periodS: number;
  scope: "site" | "publicIp" | "device";
  key: string;
  /** the ages (bin centres) its endings were taken from */
  range: [number, number];
}

/** What a lifetime's endings have in common, read from the digest. */
interface LifetimeMembers {
  sessions: number;
  ages: WeightedSample;
  reasons: Record<string, number>;
  idleKnown: number;
  firstIdleDeaths: number;
  /** idle times before those endings (coarse bin centres), [lowest, highest] */
  idleRange: [number, number];
  devices: Set<string>;
  moments: Map<number, number>;
  first: number;
  last: number;
}

/** Lifetimes of these sessions (their digest built on the spot). */
export function detectSessionLifetimes(
  sessions: readonly SessionRecord[],
  explained?: ExplainedByIdleRanges,
  options: Partial<SessionLifetimeOptions> = {},
): SessionLifetime[] {
  return digestLifetimes(rowsByCell(digestRows(sessions)), explained, options);
}

export function digestLifetimes(
  cells: ReadonlyMap<string, readonly DigestRow[]>,
  explained?: ExplainedByIdleRanges,
  options: Partial<SessionLifetimeOptions> = {},
): SessionLifetime[] {
  const o = { ...DEFAULT_SESSION_LIFETIME_OPTIONS, ...options };
  const findings: SessionLifetime[] = [];
  const peakOptions: DensityPeakOptions = { ...PEAKS, minCount: o.minSessions, alpha: o.alpha };
  for (const { scope, key, items } of ownCellScopes(cells.keys())) {
    const digest = new ScopeDigest(items.flatMap((cell) => cells.get(cell) ?? []));
    // Endings an idle timeout explains are that timeout's (judged at the idle time's coarse bin).
    const counted = (r: DigestRow) => !explained || !r.reason || !isExplainedEnding(r, explained);
    const ended = digest.total("age", counted);
    if (ended < o.minSessions) continue;
    const sample = weightedSample(
      digest
        .rows("age")
        .filter((r) => counted(r) && binValue(r.bin, FINE) >= PEAKS.rangeMin)
        .map((r) => [binValue(r.bin, FINE), r.n] as const),
    );
    for (const peak of densityPeaks(sample, peakOptions)) {
      const { from, to } = centrePeak(sample, peak, peakOptions);
      const inside = sliceIndexes(sample, from, to);
      if (inside.total < o.minSessions || inside.total / ended < o.minShare) continue;
      const range: [number, number] = [sample.values[from], sample.values[to - 1]];
      const members = lifetimeMembers(digest, range, counted);
      if (!spreadOverTime(members.moments, 5 * 60_000, 3) || !notFirstIdleDeaths(members)) continue;
      const finding = lifetimeFinding(scope, key, members, ended);
      findings.push({ finding, periodS: finding.evidence.periodS, scope, key, range });
    }
  }
  return findings;
}

function isExplainedEnding(r: DigestRow, explained: ExplainedByIdleRanges): boolean {
  if (r.reason === "server_closed") return false;
  // A drop's idle time is its idle time if known, else its age.
  const idleFine = r.aux === NO_BIN ? r.bin : Math.round((r.aux * COARSE) / FINE);
  return explained.hasBin(r.cell, idleFine);
}

function lifetimeMembers(digest: ScopeDigest, [lo, hi]: [number, number], counted: (r: DigestRow) => boolean): LifetimeMembers {
  const m: LifetimeMembers = {
    sessions: 0,
    ages: weightedSample([]),
    reasons: {},
    idleKnown: 0,
    firstIdleDeaths: 0,
    idleRange: [Infinity, -Infinity],
    devices: new Set(),
    moments: new Map(),
    first: Infinity,
    last: -Infinity,
  };
  const ages: [number, number][] = [];
  for (const r of digest.rows("age")) {
    const x = binValue(r.bin, FINE);
    if (x < lo || x > hi || !counted(r)) continue;
    ages.push([x, r.n]);
    m.sessions += r.n;
    m.reasons[r.reason] = (m.reasons[r.reason] ?? 0) + r.n;
    const idle = r.aux === NO_BIN ? 0 : binValue(r.aux, COARSE);
    m.idleRange = [Math.min(m.idleRange[0], idle), Math.max(m.idleRange[1], idle)];
    if (r.aux !== NO_BIN) m.idleKnown += r.n;
    if (r.flags & 2) m.firstIdleDeaths += r.n;
  }
  m.ages = weightedSample(ages);
  for (const r of digest.rows("ageDevice")) if (coarseMeets(r.bin, lo, hi)) m.devices.add(r.device);
  for (const r of digest.rows("ageMoment")) {
    if (!coarseMeets(r.bin, lo, hi)) continue;
    m.moments.set(r.t, (m.moments.get(r.t) ?? 0) + r.n);
    m.first = Math.min(m.first, r.t * MOMENT_MS);
    m.last = Math.max(m.last, r.t * MOMENT_MS);
  }
  return m;
}

/**
 * An idle timeout seen through durations makes ages equal only when connections die at their
 * first idle gap (idle ≈ age). Endings at one age after idle gaps clearly shorter than the
 * session are a lifetime — even when periodic long-polls make those idle gaps all alike.
 */
function notFirstIdleDeaths(m: LifetimeMembers): boolean {
  if (m.idleKnown < m.sessions / 2) return false;
  return m.firstIdleDeaths <= m.idleKnown / 2;
}

/** Endings a lifetime explains (not of a whole number of days: those are schedules), for the detectors after it. */
export class ExplainedByAge implements Explained {
  private readonly ranges = new Map<string, [number, number][]>();

  constructor(lifetimes: readonly SessionLifetime[]) {
    for (const l of lifetimes) {
      const id = `${l.scope}\u0000${l.key}`;
      this.ranges.set(id, [...(this.ranges.get(id) ?? []), l.range]);
    }
  }

  /** Scopes (`scope\u0000key`) with a lifetime. */
  scopes(): IterableIterator<string> {
    return this.ranges.keys();
  }

  has(s: SessionRecord): boolean {
    if (s.end === null || s.endReason === null || s.durationS === null || !LIFETIME_REASONS.has(s.endReason)) return false;
    const { scope, key } = ownScope(s);
    const ranges = this.ranges.get(`${scope}\u0000${key}`);
    if (!ranges) return false;
    const x = binned(s.durationS);
    return ranges.some(([lo, hi]) => x >= lo && x <= hi);
  }
}

function lifetimeFinding(scope: "site" | "publicIp" | "device", key: string, m: LifetimeMembers, total: number): DraftOf<"session_lifetime"> {
  const periodS = weightedMedian(m.ages);
  const spread = m.sessions < 2 ? 0 : 1.4826 * weightedMedian(weightedSample(Array.from(m.ages.values, (v, i) => [Math.abs(v - periodS), m.ages.weights[i]] as const)));
  const [idleLo, idleHi] = m.idleRange;
  const known = KNOWN_LIFETIMES.find((k) => Math.abs(k.seconds - periodS) <= Math.max(10, 0.03 * k.seconds)) ?? null;
  const devices = m.devices;
  const reasons = { ...m.reasons };
  const [first, last] = [m.first, m.last];
  const where = scopeLabel(scope, key);
  const site = scope === "site" ? key : null;
  return {
    kind: "session_lifetime",
    scope,
    scopeKey: key,
    site,
    device: scope === "device" ? key : null,
    severity: periodS < 600 ? "warning" : "info",
    title: `Connections end after ${humanDuration(periodS)} at ${where}`,
    summary:
      `${count(m.sessions)} of ${count(total)} endings (${percent(m.sessions / total)}) at ${where} came when the connection was ${Math.round(periodS)} ± ${Math.max(1, Math.round(spread))} s old, ` +
      `on ${plural(devices.size, "device")}, whatever their idle time before (${Math.round(idleLo)}–${Math.round(idleHi)} s): ` +
      `something ends connections at a fixed age${known ? ` — ${known.name}` : " (a token or certificate expiry, a proxy's maximum connection age, or a server-side cap)"}.`,
    recommendation: `Find what limits the connection age to ${humanDuration(periodS)} (token lifetime on the device, a proxy or load balancer's maximum connection lifetime) and raise it, or let devices renew and reconnect on their own shortly before ${Math.round(periodS)} s so no message is lost in the drop.`,
    evidence: {
      periodS: Math.round(periodS * 10) / 10,
      spreadS: Math.round(spread * 10) / 10,
      sessions: m.sessions,
      share: Math.round((m.sessions / total) * 1000) / 1000,
      knownAs: known?.name ?? null,
      affectedDevices: deviceList(devices),
      affectedDeviceCount: devices.size,
      idleRangeS: [Math.round(idleLo), Math.round(idleHi)],
      reasons,
    },
    firstSeen: first,
    lastSeen: last,
  };
}
