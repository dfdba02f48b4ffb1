/**
 * Platform-side outages: site outages that start together at many sites are one outage of
 * the platform, not of the customers' networks, reported once with scope `fleet`.
 */
import { deviceList, isoTime, plural, readableTime } from "./findingText";
import { DEFAULT_OUTAGE_OPTIONS, type OutageOptions, type SiteOutage } from "./outage";
import { connectedAt, connectionIndex } from "./scopes";
import type { DraftOf, SessionRecord } from "./types";

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

/** Scopes with at least minDevices sessions open at t: the ones that could show an outage. */
function eligibleScopes(sessions: readonly SessionRecord[], t: number, minDevices: number): number {
  let n = 0;
  for (const index of connectionIndex(sessions).values()) if (connectedAt(index, t) >= minDevices) n++;
  return Math.max(n, 1);
}

export function platformOutageFinding(group: readonly SiteOutage[]): DraftOf<"outage"> {
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
