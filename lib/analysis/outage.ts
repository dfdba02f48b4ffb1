/**
 * outage: many devices of one site dropping together. A window scan over the site's drop
 * times counts distinct devices per window and asks two things: that they are many (a
 * share of the devices connected just before), and that so many simultaneous drops are
 * improbable at the site's own background drop rate (binomial tail with a correction for
 * the number of windows), so a small site with flaky devices does not raise outages.
 * Several sites at once is the platform, not the customers' networks: one `fleet` finding.
 */
import { deviceList, humanDuration, isoTime, plural, readableTime, scopeLabel } from "./findingText";
import { ownScope } from "./scopes";
import { logBinomialTail } from "./statistics";
import type { EndReason, FindingDraft, SessionRecord } from "./types";

export interface OutageOptions {
  /** devices dropping within this window count as together */
  windowMs: number;
  minDevices: number;
  /** share of the devices connected just before that must drop */
  minShare: number;
  /** false-alarm probability per scope over its whole history */
  alpha: number;
  /** site outages starting this close together are one platform outage ... */
  platformWindowMs: number;
  /** ... when at least this many sites ... */
  platformMinSites: number;
  /** ... and this share of the sites that could show one */
  platformMinShare: number;
}

export const DEFAULT_OUTAGE_OPTIONS: OutageOptions = {
  windowMs: 6 * 60_000,
  minDevices: 3,
  minShare: 0.5,
  alpha: 1e-3,
  platformWindowMs: 10 * 60_000,
  platformMinSites: 3,
  platformMinShare: 0.3,
};

/** Endings an outage causes; inferred ones too (devices that cannot report go quiet). */
const OUTAGE_REASONS: ReadonlySet<EndReason> = new Set<EndReason>(["reset", "timeout", "error", "unknown", "inferred"]);

export interface SiteOutage {
  scope: "site" | "publicIp" | "device";
  key: string;
  site: string | null;
  start: number;
  /** when half the affected devices were back; null while they are not */
  end: number | null;
  lastDrop: number;
  devices: Set<string>;
  connectedBefore: number;
}

/** Connected sessions at time t, from sorted starts and ends. */
function connectedAt(starts: Float64Array, ends: Float64Array, t: number): number {
  return upper(starts, t) - upper(ends, t);
}

function upper(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function siteOutages(
  sessions: readonly SessionRecord[],
  now: number,
  explained: ReadonlySet<SessionRecord>,
  options: Partial<OutageOptions> = {},
): SiteOutage[] {
  const o = { ...DEFAULT_OUTAGE_OPTIONS, ...options };
  const byScope = new Map<string, SessionRecord[]>();
  for (const s of sessions) {
    const { scope, key } = ownScope(s);
    const id = `${scope}\u0000${key}`;
    const list = byScope.get(id);
    if (list) list.push(s);
    else byScope.set(id, [s]);
  }
  const out: SiteOutage[] = [];
  for (const [id, list] of byScope) {
    const [scope, key] = id.split("\u0000") as ["site" | "publicIp" | "device", string];
    out.push(...scopeOutages(scope, key, list, now, explained, o));
  }
  return out;
}

function scopeOutages(
  scope: SiteOutage["scope"],
  key: string,
  sessions: SessionRecord[],
  now: number,
  explained: ReadonlySet<SessionRecord>,
  o: OutageOptions,
): SiteOutage[] {
  const drops = sessions.filter((s) => s.end !== null && s.endReason !== null && OUTAGE_REASONS.has(s.endReason) && !explained.has(s));
  const deviceCount = new Set(sessions.map((s) => s.device)).size;
  if (drops.length < o.minDevices || deviceCount < o.minDevices) return [];
  drops.sort((a, b) => (a.end ?? 0) - (b.end ?? 0));
  const starts = Float64Array.from(sessions.map((s) => s.start)).sort();
  const ends = Float64Array.from(sessions.map((s) => s.end ?? Infinity)).sort();

  // Background: drops per device-millisecond, and the windows the history holds.
  let exposure = 0;
  let from = Infinity;
  for (const s of sessions) {
    exposure += Math.max(0, Math.min(s.end ?? now, now) - s.start);
    from = Math.min(from, s.start);
  }
  const p = Math.min(0.5, 1 - Math.exp(-(drops.length / Math.max(exposure, 1)) * o.windowMs));
  const logThreshold = Math.log(o.alpha / Math.max(1, (now - from) / o.windowMs));

  const outages: SiteOutage[] = [];
  const inWindow = new Map<string, number>();
  let j = 0;
  let current: SiteOutage | null = null;
  for (let i = 0; i < drops.length; i++) {
    const t = drops[i].end as number;
    while (j < drops.length && (drops[j].end as number) <= t + o.windowMs) {
      inWindow.set(drops[j].device, (inWindow.get(drops[j].device) ?? 0) + 1);
      j++;
    }
    const together = inWindow.size;
    if (together >= o.minDevices) {
      const connected = Math.max(together, connectedAt(starts, ends, t - 1));
      if (together >= o.minShare * connected && logBinomialTail(together, connected, p) < logThreshold) {
        if (current && t <= current.lastDrop + o.windowMs) {
          for (const d of inWindow.keys()) current.devices.add(d);
          current.connectedBefore = Math.max(current.connectedBefore, connected, current.devices.size);
          current.lastDrop = Math.max(current.lastDrop, drops[j - 1].end as number);
        } else {
          current = { scope, key, site: scope === "site" ? key : null, start: t, end: null, lastDrop: drops[j - 1].end as number, devices: new Set(inWindow.keys()), connectedBefore: connected };
          outages.push(current);
        }
      }
    }
    const d = drops[i].device;
    const left = (inWindow.get(d) ?? 1) - 1;
    if (left === 0) inWindow.delete(d);
    else inWindow.set(d, left);
  }
  for (const outage of outages) outage.end = recoveredAt(outage, sessions);
  return outages;
}

/** When half the affected devices had a new session; null if they have not yet. */
function recoveredAt(outage: SiteOutage, sessions: SessionRecord[]): number | null {
  const back: number[] = [];
  for (const device of outage.devices) {
    let first = Infinity;
    for (const s of sessions) if (s.device === device && s.start >= outage.start && s.start < first) first = s.start;
    back.push(first);
  }
  back.sort((a, b) => a - b);
  const half = back[Math.ceil(back.length / 2) - 1];
  return Number.isFinite(half) ? half : null;
}

/** Site outages that started together at enough sites become one platform outage. */
export function platformOutages(
  outages: readonly SiteOutage[],
  sessions: readonly SessionRecord[],
  options: Partial<OutageOptions> = {},
): { platform: SiteOutage[][]; local: SiteOutage[] } {
  const o = { ...DEFAULT_OUTAGE_OPTIONS, ...options };
  const sorted = [...outages].sort((a, b) => a.start - b.start);
  const platform: SiteOutage[][] = [];
  const local: SiteOutage[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i + 1;
    while (j < sorted.length && sorted[j].start - sorted[i].start <= o.platformWindowMs) j++;
    const group = sorted.slice(i, j);
    const sites = new Set(group.map((g) => `${g.scope}:${g.key}`));
    if (sites.size >= o.platformMinSites && sites.size >= o.platformMinShare * eligibleScopes(sessions, sorted[i].start, o.minDevices)) {
      platform.push(group);
    } else {
      local.push(sorted[i]);
      j = i + 1;
    }
    i = j;
  }
  return { platform, local };
}

/** Scopes with at least minDevices devices connected at t: the ones that could show an outage. */
function eligibleScopes(sessions: readonly SessionRecord[], t: number, minDevices: number): number {
  const devicesByScope = new Map<string, Set<string>>();
  for (const s of sessions) {
    if (s.start > t || (s.end !== null && s.end < t)) continue;
    const { scope, key } = ownScope(s);
    const id = `${scope}:${key}`;
    let set = devicesByScope.get(id);
    if (!set) devicesByScope.set(id, (set = new Set()));
    set.add(s.device);
  }
  let n = 0;
  for (const set of devicesByScope.values()) if (set.size >= minDevices) n++;
  return Math.max(n, 1);
}

export function outageFinding(o: SiteOutage): FindingDraft {
  const where = scopeLabel(o.scope, o.key);
  const spanS = (o.lastDrop - o.start) / 1000;
  const back = o.end === null ? "most have not reconnected yet" : `half were back after ${humanDuration((o.end - o.start) / 1000)} (${readableTime(o.end)})`;
  return {
    kind: "outage",
    scope: o.scope,
    scopeKey: o.key,
    site: o.site,
    device: o.scope === "device" ? o.key : null,
    severity: o.end === null ? "critical" : "warning",
    title: `${o.end === null ? "Ongoing outage" : "Outage"} at ${where} from ${readableTime(o.start)}`,
    summary: `${o.devices.size} of ${plural(o.connectedBefore, "connected device")} at ${where} dropped within ${humanDuration(Math.max(spanS, 1))} at ${readableTime(o.start)}; ${back}.`,
    recommendation:
      o.end === null
        ? "The devices have not reconnected: check the site's internet uplink, power and firewall now. Nothing on the devices needs changing."
        : "The devices lost connectivity together: check the site's internet uplink, power and firewall logs for that time. Nothing on the devices needs changing.",
    evidence: {
      start: isoTime(o.start),
      end: o.end === null ? null : isoTime(o.end),
      affectedDevices: deviceList(o.devices),
      affectedDeviceCount: o.devices.size,
      connectedDevices: o.connectedBefore,
      durationS: o.end === null ? null : Math.round((o.end - o.start) / 1000),
    },
    firstSeen: o.start,
    lastSeen: o.end ?? o.lastDrop,
  };
}

export function platformOutageFinding(group: readonly SiteOutage[]): FindingDraft {
  const devices = new Set<string>();
  for (const g of group) for (const d of g.devices) devices.add(d);
  const start = Math.min(...group.map((g) => g.start));
  const ends = group.map((g) => g.end);
  const ongoing = ends.filter((e) => e === null).length * 2 > ends.length;
  const end = ongoing ? null : Math.max(...ends.map((e) => e ?? 0));
  const sites = group.map((g) => g.key).sort();
  return {
    kind: "outage",
    scope: "fleet",
    scopeKey: "fleet",
    site: null,
    device: null,
    severity: ongoing ? "critical" : "warning",
    title: `Platform-side outage from ${readableTime(start)}`,
    summary: `${plural(devices.size, "device")} at ${plural(group.length, "site")} dropped together at ${readableTime(start)}${end === null ? "; most have not reconnected yet" : `; they were back by ${readableTime(end)}`}: many customer networks do not fail at once, so the cause is on the platform side.`,
    recommendation: "Check the platform's status page and incident log for that time; the customers' networks are not the cause and need no change.",
    evidence: {
      start: isoTime(start),
      end: end === null ? null : isoTime(end),
      affectedDevices: deviceList(devices),
      affectedDeviceCount: devices.size,
      sites: sites.slice(0, 100),
      siteCount: sites.length,
    },
    firstSeen: start,
    lastSeen: end ?? Math.max(...group.map((g) => g.lastDrop)),
  };
}
