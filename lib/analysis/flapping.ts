/**
 * flapping: a device reconnecting far more often than the fleet's devices normally do, and
 * still doing so. Rates count session endings in windows ending now — the last hour, the
 * last six hours, the day — so a burst that began an hour or two ago is not diluted by a calm
 * day. A shorter window counts only as a burst its device's own day does not explain (a
 * noisy device's run of drops is none), and the fastest window that shows flapping is the
 * one reported. A device whose last few reconnects lie further back than several of its own
 * reconnect intervals has stopped: no finding, so the open one resolves. Endings an
 * idle-timeout finding already explains are left out (a 60 s timeout makes every device
 * reconnect every minute; the cause there is the middlebox, reported once). Several flapping
 * devices at one site are reported as one site finding.
 */
import { deviceList, humanDuration, plural, scopeLabel } from "./findingText";
import { sessionsByDevice, type Explained } from "./scopes";
import { extent, logPoissonTail, lowerBound, median, round1 } from "./statistics";
import type { DraftOf, SessionRecord } from "./types";

export interface FlappingOptions {
  /** the windows ending now that rates are counted over; the longest also gives the fleet's median */
  windowsMs: number[];
  /** never flapping below this many reconnects per hour */
  minPerHour: number;
  /** at least this many times the fleet's median rate */
  factor: number;
  /** fewest reconnects a window needs */
  minReconnects: number;
  /** a device still flaps while its last `recentReconnects` fell within this many of its mean reconnect intervals (at least quietFloorMs) */
  recentReconnects: number;
  quietIntervals: number;
  quietFloorMs: number;
  /** this many flapping devices, and this share of a site's devices, make a site finding */
  siteMinDevices: number;
  siteMinShare: number;
}

export const DEFAULT_FLAPPING_OPTIONS: FlappingOptions = {
  windowsMs: [3_600_000, 6 * 3_600_000, 24 * 3_600_000],
  minPerHour: 2,
  factor: 10,
  minReconnects: 12,
  recentReconnects: 5,
  quietIntervals: 15,
  quietFloorMs: 15 * 60_000,
  siteMinDevices: 3,
  siteMinShare: 0.5,
};

/** The fleet's typical rate is never taken as lower than this (per hour). */
const MEDIAN_FLOOR = 0.05;

/** False-alarm probability per device and window of the burst test. */
const BURST_ALPHA = 1e-3;

/** A device's reconnects: its unexplained endings in the longest window, by end. */
interface Reconnects {
  device: string;
  site: string | null;
  ended: SessionRecord[];
  ends: number[];
}

/** One device's reconnects in one window ending now. */
interface DeviceRate {
  device: string;
  site: string | null;
  reconnects: number;
  hours: number;
  perHour: number;
  medianSessionS: number;
  topReason: string;
  first: number;
  last: number;
  /** end of the reconnect `recentReconnects` from the last */
  recent: number;
}

export function detectFlapping(
  sessions: readonly SessionRecord[],
  now: number,
  explained: Explained,
  options: Partial<FlappingOptions> = {},
): DraftOf<"flapping">[] {
  const o = { ...DEFAULT_FLAPPING_OPTIONS, ...options };
  const longestMs = Math.max(...o.windowsMs);
  const windows: DeviceRate[][] = [];
  for (const [device, all] of sessionsByDevice(sessions)) {
    const seen = all.filter((s) => (s.end ?? now) >= now - longestMs);
    if (seen.length === 0) continue;
    const ended = seen.filter((s) => s.end !== null && !explained.has(s)).sort((a, b) => (a.end as number) - (b.end as number));
    const of: Reconnects = { device, site: seen[0].site, ended, ends: ended.map((s) => s.end as number) };
    const [firstStart] = extent(seen.map((s) => s.start));
    windows.push(o.windowsMs.map((ms) => windowRate(of, Math.max(now - ms, firstStart), now, o.recentReconnects)));
  }
  if (windows.length === 0) return [];
  // The fleet's typical rate over the longest window (a burst at a few devices does not move it).
  const longest = o.windowsMs.indexOf(longestMs);
  const normal = Math.max(MEDIAN_FLOOR, median(windows.map((w) => w[longest].perHour)));
  const flapping: DeviceRate[] = [];
  for (const rates of windows) {
    const shown = fastestWindow(rates.filter((r) => isFlapping(r, normal, now, o) && (r === rates[longest] || isBurst(r, rates[longest]))));
    if (shown) flapping.push(shown);
  }

  const devicesPerSite = new Map<string, number>();
  for (const [r] of windows) if (r.site) devicesPerSite.set(r.site, (devicesPerSite.get(r.site) ?? 0) + 1);
  const bySite = new Map<string, DeviceRate[]>();
  for (const r of flapping) if (r.site) bySite.set(r.site, [...(bySite.get(r.site) ?? []), r]);

  const findings: DraftOf<"flapping">[] = [];
  const inSiteFinding = new Set<string>();
  for (const [site, list] of bySite) {
    if (list.length < o.siteMinDevices || list.length < o.siteMinShare * (devicesPerSite.get(site) ?? 0)) continue;
    for (const r of list) inSiteFinding.add(r.device);
    findings.push(siteFlappingFinding(site, list, normal, devicesPerSite.get(site) ?? list.length));
  }
  for (const r of flapping) if (!inSiteFinding.has(r.device)) findings.push(deviceFlappingFinding(r, normal));
  return findings;
}

/** A device's reconnects from `from` to now; at least an hour of exposure. */
function windowRate({ device, site, ended, ends }: Reconnects, from: number, now: number, recentReconnects: number): DeviceRate {
  const list = ended.slice(lowerBound(ends, from));
  const hours = Math.max(1, (now - from) / 3_600_000);
  const reasons = new Map<string, number>();
  for (const s of list) reasons.set(s.endReason ?? "unknown", (reasons.get(s.endReason ?? "unknown") ?? 0) + 1);
  return {
    device,
    site,
    reconnects: list.length,
    hours,
    perHour: list.length / hours,
    medianSessionS: list.length ? median(list.map((s) => s.durationS ?? 0)) : 0,
    topReason: [...reasons.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "none",
    first: list.length ? (list[0].end as number) : now,
    last: list.length ? (list[list.length - 1].end as number) : now,
    recent: list.length >= recentReconnects ? (list[list.length - recentReconnects].end as number) : -Infinity,
  };
}

/**
 * Fast and many enough against the fleet, and still at it: its last few reconnects came within
 * a span its own rhythm explains (one stray drop after the loop ended does not keep it open).
 */
function isFlapping(r: DeviceRate, normal: number, now: number, o: FlappingOptions): boolean {
  if (r.reconnects < o.minReconnects || r.perHour < Math.max(o.minPerHour, o.factor * normal)) return false;
  const meanIntervalMs = (r.hours * 3_600_000) / r.reconnects;
  return now - r.recent <= Math.max(o.quietFloorMs, o.quietIntervals * meanIntervalMs);
}

/** A shorter window's count its device's own rate over the longest window does not explain (a noisy device's run of drops is no burst). */
function isBurst(r: DeviceRate, longest: DeviceRate): boolean {
  return logPoissonTail(r.reconnects, longest.perHour * r.hours) < Math.log(BURST_ALPHA);
}

/** The window with the fastest rate: a recent burst at its own pace, a steady loop over the whole window (ties: the longer). */
function fastestWindow(rates: readonly DeviceRate[]): DeviceRate | null {
  let best: DeviceRate | null = null;
  for (const r of rates) if (best === null || r.perHour > best.perHour || (r.perHour === best.perHour && r.hours > best.hours)) best = r;
  return best;
}

const ADVICE =
  "Check the device's link (cellular signal, cabling, Wi-Fi) and power supply; a reconnect loop also costs data and battery. If many devices at one site flap, check the site's uplink.";

function deviceFlappingFinding(r: DeviceRate, normal: number): DraftOf<"flapping"> {
  return {
    kind: "flapping",
    scope: "device",
    scopeKey: r.device,
    site: r.site,
    device: r.device,
    severity: "warning",
    title: `Device ${r.device} keeps reconnecting (${r.perHour.toFixed(1)} per hour)`,
    summary: `Device ${r.device} reconnected ${r.reconnects} times in the last ${humanDuration(r.hours * 3600)} (${r.perHour.toFixed(1)} per hour; the fleet's devices typically ${normal.toFixed(2)} per hour); its sessions lasted a median ${humanDuration(r.medianSessionS)}, ending mostly with ${r.topReason}.`,
    recommendation: ADVICE,
    evidence: {
      reconnectsPerHour: round1(r.perHour),
      fleetMedianPerHour: Math.round(normal * 1000) / 1000,
      reconnects: r.reconnects,
      windowHours: round1(r.hours),
      medianSessionS: Math.round(r.medianSessionS),
      topReason: r.topReason,
    },
    firstSeen: r.first,
    lastSeen: r.last,
  };
}

function siteFlappingFinding(site: string, list: DeviceRate[], normal: number, devices: number): DraftOf<"flapping"> {
  const perHour = median(list.map((r) => r.perHour));
  return {
    kind: "flapping",
    scope: "site",
    scopeKey: site,
    site,
    device: null,
    severity: "warning",
    title: `${list.length} devices keep reconnecting at ${scopeLabel("site", site)}`,
    summary: `${list.length} of ${plural(devices, "device")} at ${scopeLabel("site", site)} reconnect a median ${perHour.toFixed(1)} times per hour (the fleet's devices typically ${normal.toFixed(2)} per hour): the site's network is unstable rather than one device.`,
    recommendation: ADVICE,
    evidence: {
      reconnectsPerHour: round1(perHour),
      fleetMedianPerHour: Math.round(normal * 1000) / 1000,
      affectedDevices: deviceList(list.map((r) => r.device)),
      affectedDeviceCount: list.length,
      reconnects: list.reduce((n, r) => n + r.reconnects, 0),
    },
    firstSeen: Math.min(...list.map((r) => r.first)),
    lastSeen: Math.max(...list.map((r) => r.last)),
  };
}
