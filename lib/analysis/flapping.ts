/**
 * flapping: a device reconnecting far more often than the fleet's devices normally do.
 * The rate counts session endings in a recent window, leaving out endings an idle-timeout
 * finding already explains (a 60 s timeout makes every device reconnect every minute; the
 * cause there is the middlebox, reported once). Several flapping devices at one site are
 * reported as one site finding.
 */
import { deviceList, humanDuration, plural, scopeLabel } from "./findingText";
import { sessionsByDevice, type Explained } from "./scopes";
import { extent, median, round1 } from "./statistics";
import type { DraftOf, SessionRecord } from "./types";

export interface FlappingOptions {
  windowMs: number;
  /** never flapping below this many reconnects per hour */
  minPerHour: number;
  /** at least this many times the fleet's median rate */
  factor: number;
  minReconnects: number;
  /** this many flapping devices, and this share of a site's devices, make a site finding */
  siteMinDevices: number;
  siteMinShare: number;
}

export const DEFAULT_FLAPPING_OPTIONS: FlappingOptions = {
  windowMs: 24 * 3_600_000,
  minPerHour: 2,
  factor: 10,
  minReconnects: 12,
  siteMinDevices: 3,
  siteMinShare: 0.5,
};

/** The fleet's typical rate is never taken as lower than this (per hour). */
const MEDIAN_FLOOR = 0.05;

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
}

export function detectFlapping(
  sessions: readonly SessionRecord[],
  now: number,
  explained: Explained,
  options: Partial<FlappingOptions> = {},
): DraftOf<"flapping">[] {
  const o = { ...DEFAULT_FLAPPING_OPTIONS, ...options };
  const windowStart = now - o.windowMs;
  const rates: DeviceRate[] = [];
  for (const [device, all] of sessionsByDevice(sessions)) {
    const list = all.filter((s) => (s.end ?? now) >= windowStart);
    if (list.length === 0) continue;
    const from = Math.max(windowStart, extent(list.map((s) => s.start))[0]);
    const hours = Math.max(1, (now - from) / 3_600_000);
    const ended = list.filter((s) => s.end !== null && s.end >= windowStart && !explained.has(s));
    const reasons = new Map<string, number>();
    for (const s of ended) reasons.set(s.endReason ?? "unknown", (reasons.get(s.endReason ?? "unknown") ?? 0) + 1);
    const topReason = [...reasons.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "none";
    const [first, last] = ended.length ? extent(ended.map((s) => s.end as number)) : [now, now];
    rates.push({
      device,
      site: list[0].site,
      reconnects: ended.length,
      hours,
      perHour: ended.length / hours,
      medianSessionS: ended.length ? median(ended.map((s) => s.durationS ?? 0)) : 0,
      topReason,
      first,
      last,
    });
  }
  if (rates.length === 0) return [];
  const normal = Math.max(MEDIAN_FLOOR, median(rates.map((r) => r.perHour)));
  const threshold = Math.max(o.minPerHour, o.factor * normal);
  const flapping = rates.filter((r) => r.perHour >= threshold && r.reconnects >= o.minReconnects);

  const devicesPerSite = new Map<string, number>();
  for (const r of rates) if (r.site) devicesPerSite.set(r.site, (devicesPerSite.get(r.site) ?? 0) + 1);
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
