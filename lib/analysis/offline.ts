/**
 * offline: a device that declared a heartbeat interval and has been silent for longer than the
 * rule of lib/contract/liveness.ts allows (PROTOCOL.md; a device that never declared one is
 * never called offline).
 * Devices inside an ongoing outage are left to the outage finding; many silent devices of
 * one site become one site finding.
 */
import { breaksSilence } from "@/lib/contract/liveness";
import { deviceList, humanDuration, isoTime, plural, readableTime, scopeLabel } from "./findingText";
import type { DraftOf, HeartbeatSummary } from "./types";

export interface OfflineOptions {
  siteMinDevices: number;
  siteMinShare: number;
}

export const DEFAULT_OFFLINE_OPTIONS: OfflineOptions = { siteMinDevices: 3, siteMinShare: 0.5 };

export function detectOffline(
  heartbeats: readonly HeartbeatSummary[],
  now: number,
  covered: ReadonlySet<string>,
  options: Partial<OfflineOptions> = {},
): DraftOf<"offline">[] {
  const o = { ...DEFAULT_OFFLINE_OPTIONS, ...options };
  const silent = heartbeats.filter(
    (h): h is HeartbeatSummary & { lastHeartbeatAt: number; intervalS: number } =>
      h.intervalS !== null &&
      h.intervalS > 0 &&
      h.lastHeartbeatAt !== null &&
      breaksSilence(h.lastHeartbeatAt, now, h.intervalS) &&
      !covered.has(h.device),
  );
  const devicesPerSite = new Map<string, number>();
  for (const h of heartbeats) if (h.site) devicesPerSite.set(h.site, (devicesPerSite.get(h.site) ?? 0) + 1);
  const bySite = new Map<string, typeof silent>();
  for (const h of silent) if (h.site) bySite.set(h.site, [...(bySite.get(h.site) ?? []), h]);

  const findings: DraftOf<"offline">[] = [];
  const inSiteFinding = new Set<string>();
  for (const [site, list] of bySite) {
    const total = devicesPerSite.get(site) ?? list.length;
    if (list.length < o.siteMinDevices || list.length < o.siteMinShare * total) continue;
    for (const h of list) inSiteFinding.add(h.device);
    const lastSeen = Math.max(...list.map((h) => h.lastHeartbeatAt));
    findings.push({
      kind: "offline",
      scope: "site",
      scopeKey: site,
      site,
      device: null,
      severity: "warning",
      title: `${list.length} devices offline at ${scopeLabel("site", site)}`,
      summary: `${list.length} of ${plural(total, "device")} at ${scopeLabel("site", site)} have sent no heartbeat for more than twice their declared interval; the last of them was heard at ${readableTime(lastSeen)}.`,
      recommendation: "Check the site's power and internet uplink: its devices went quiet without disconnecting.",
      evidence: {
        lastSeen: isoTime(lastSeen),
        affectedDevices: deviceList(list.map((h) => h.device)),
        affectedDeviceCount: list.length,
      },
      firstSeen: Math.min(...list.map((h) => h.lastHeartbeatAt)),
      lastSeen: now,
    });
  }
  for (const h of silent) {
    if (inSiteFinding.has(h.device)) continue;
    const silentS = (now - h.lastHeartbeatAt) / 1000;
    findings.push({
      kind: "offline",
      scope: "device",
      scopeKey: h.device,
      site: h.site,
      device: h.device,
      severity: "warning",
      title: `Device ${h.device} offline since ${readableTime(h.lastHeartbeatAt)}`,
      summary: `Device ${h.device} has sent no heartbeat since ${readableTime(h.lastHeartbeatAt)} (${humanDuration(silentS)}; it declared one every ${humanDuration(h.intervalS)}).`,
      recommendation: "Check the device's power and network connection: it stopped reporting without disconnecting, so it lost power or connectivity abruptly.",
      evidence: { lastSeen: isoTime(h.lastHeartbeatAt), silentForS: Math.round(silentS), intervalS: h.intervalS },
      firstSeen: h.lastHeartbeatAt,
      lastSeen: now,
    });
  }
  return findings;
}
