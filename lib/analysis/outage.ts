/**
 * outage: many devices of one site dropping together. A window scan over the site's drop
 * times counts distinct devices per window and asks two things: that they are many (a
 * share of the devices connected just before), and that so many simultaneous drops are
 * improbable at the site's own background drop rate (binomial tail with a correction for
 * the number of windows), so a small site with flaky devices does not raise outages.
 * Several sites at once is the platform, not the customers' networks (platformOutage.ts).
 * Devices in a reconnect loop (flapping) drop every minute or two and come straight back:
 * their drops count only when they stay away, so a flapping site is not an outage.
 */
import { deviceList, humanDuration, isoTime, plural, readableTime, scopeLabel } from "./findingText";
import { connectedAt, connectionIndex, nextStartAfter, parseScopeId, sessionsByDevice, sessionsByScope, type ConnectionIndex, type Explained } from "./scopes";
import { logBinomialTail, lowerBound, upperBound } from "./statistics";
import { DROP_REASONS } from "@/lib/contract/vocabulary";
import type { DraftOf, EndReason, SessionRecord } from "./types";

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

/** A drop after which the device had no new session for this long "stays away". */
const LASTING_MS = 2 * 60_000;

/** A device that dropped this many other times within this long of a drop is in a reconnect loop. */
const LOOP_OTHER_DROPS = 2;
const LOOP_MS = 15 * 60_000;

/** Endings an outage causes; inferred ones too (devices that cannot report go quiet). */
const OUTAGE_REASONS: ReadonlySet<EndReason> = new Set<EndReason>([...DROP_REASONS, "inferred"]);

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

export function siteOutages(
  sessions: readonly SessionRecord[],
  now: number,
  explained: Explained,
  options: Partial<OutageOptions> = {},
): SiteOutage[] {
  const o = { ...DEFAULT_OUTAGE_OPTIONS, ...options };
  const byDevice = sessionsByDevice(sessions);
  const connections = connectionIndex(sessions);
  const out: SiteOutage[] = [];
  for (const [id, list] of sessionsByScope(sessions)) {
    const { scope, key } = parseScopeId(id);
    out.push(...scopeOutages(scope, key, list, byDevice, connections.get(id) as ConnectionIndex, now, explained, o));
  }
  return out;
}

/** Distinct devices among the drops currently in a sliding window. */
class DevicesInWindow {
  private counts = new Map<string, number>();
  add(device: string): void {
    this.counts.set(device, (this.counts.get(device) ?? 0) + 1);
  }
  remove(device: string): void {
    const left = (this.counts.get(device) ?? 1) - 1;
    if (left === 0) this.counts.delete(device);
    else this.counts.set(device, left);
  }
  get size(): number {
    return this.counts.size;
  }
  devices(): IterableIterator<string> {
    return this.counts.keys();
  }
}

/**
 * Two tests, either suffices: many devices dropping together against the background rate
 * of drops, and many devices dropping *and staying away* (no new session within
 * `lastingMs`) against the background rate of such lasting drops, which is far lower where
 * devices normally reconnect within seconds — so a 4-device site whose devices are all gone
 * for ten minutes is an outage although three drops in six minutes alone would not be.
 */
function scopeOutages(
  scope: SiteOutage["scope"],
  key: string,
  sessions: SessionRecord[],
  byDevice: ReadonlyMap<string, SessionRecord[]>,
  connections: ConnectionIndex,
  now: number,
  explained: Explained,
  o: OutageOptions,
): SiteOutage[] {
  const deviceCount = new Set(sessions.map((s) => s.device)).size;
  if (deviceCount < o.minDevices) return [];
  const nextStart = (s: SessionRecord) => nextStartAfter(byDevice.get(s.device) ?? [], s.start);
  // Away for LASTING_MS by now: a drop seconds ago with no new session yet may still come straight back.
  const lasting = (s: SessionRecord) => Math.min(nextStart(s), now) - (s.end as number) >= LASTING_MS;
  const candidates = sessions.filter((s) => s.end !== null && s.endReason !== null && OUTAGE_REASONS.has(s.endReason) && !explained.has(s));
  if (candidates.length < o.minDevices || !anyBurst(candidates, o)) return [];
  const inLoop = reconnectLoops(candidates);
  const drops = candidates.filter((s) => !inLoop(s) || lasting(s));
  if (drops.length < o.minDevices || !anyBurst(drops, o)) return [];
  drops.sort((a, b) => (a.end as number) - (b.end as number));

  // Background: drops (and lasting drops) per device-millisecond, and the windows the history holds.
  let exposure = 0;
  let from = Infinity;
  for (const s of sessions) {
    exposure += Math.max(0, Math.min(s.end ?? now, now) - s.start);
    from = Math.min(from, s.start);
  }
  const perWindow = (n: number) => Math.min(0.5, 1 - Math.exp(-(n / Math.max(exposure, 1)) * o.windowMs));
  const p = perWindow(drops.length);
  // Half a pseudo-drop: no lasting drop in the history is weak evidence that they never happen.
  const pLasting = perWindow(drops.filter(lasting).length + 0.5);
  const logThreshold = Math.log(o.alpha / 2 / Math.max(1, (now - from) / o.windowMs));

  const outages: SiteOutage[] = [];
  const together = new DevicesInWindow();
  const away = new DevicesInWindow();
  let j = 0;
  let current: SiteOutage | null = null;
  for (let i = 0; i < drops.length; i++) {
    const t = drops[i].end as number;
    for (; j < drops.length && (drops[j].end as number) <= t + o.windowMs; j++) {
      together.add(drops[j].device);
      if (lasting(drops[j])) away.add(drops[j].device);
    }
    if (together.size >= o.minDevices) {
      const connected = Math.max(together.size, connectedAt(connections, t - 1));
      const many = together.size >= o.minShare * connected;
      if (
        many &&
        (logBinomialTail(together.size, connected, p) < logThreshold ||
          (away.size >= o.minDevices && logBinomialTail(away.size, connected, pLasting) < logThreshold))
      ) {
        const lastDrop = drops[j - 1].end as number;
        if (current && t <= current.lastDrop + o.windowMs) {
          for (const d of together.devices()) current.devices.add(d);
          current.connectedBefore = Math.max(current.connectedBefore, connected, current.devices.size);
          current.lastDrop = Math.max(current.lastDrop, lastDrop);
        } else {
          current = { scope, key, site: scope === "site" ? key : null, start: t, end: null, lastDrop, devices: new Set(together.devices()), connectedBefore: connected };
          outages.push(current);
        }
      }
    }
    together.remove(drops[i].device);
    if (lasting(drops[i])) away.remove(drops[i].device);
  }
  for (const outage of outages) outage.end = recoveredAt(outage, byDevice);
  return outages;
}

/**
 * Is a drop part of its device's reconnect loop (LOOP_OTHER_DROPS more drops within LOOP_MS
 * either side)? Many such devices dropping in one window is flapping, not the site going dark.
 */
function reconnectLoops(drops: readonly SessionRecord[]): (s: SessionRecord) => boolean {
  const ends = new Map([...sessionsByDevice(drops)].map(([device, list]) => [device, list.map((s) => s.end as number).sort((a, b) => a - b)]));
  return (s) => {
    const list = ends.get(s.device) as number[];
    const t = s.end as number;
    return upperBound(list, t + LOOP_MS) - lowerBound(list, t - LOOP_MS) - 1 >= LOOP_OTHER_DROPS;
  };
}

/** Cheap first look: does any window hold minDevices drops at all (devices not yet told apart)? */
function anyBurst(drops: readonly SessionRecord[], o: OutageOptions): boolean {
  const ends = Float64Array.from(drops, (s) => s.end as number).sort();
  for (let i = 0, j = 0; i < ends.length; i++) {
    while (j < ends.length && ends[j] <= ends[i] + o.windowMs) j++;
    if (j - i >= o.minDevices) return true;
  }
  return false;
}

/** When half the affected devices had a new session; null if they have not yet. */
function recoveredAt(outage: SiteOutage, byDevice: ReadonlyMap<string, SessionRecord[]>): number | null {
  const back = [...outage.devices].map((d) => nextStartAfter(byDevice.get(d) ?? [], outage.start)).sort((a, b) => a - b);
  const half = back[Math.ceil(back.length / 2) - 1];
  return Number.isFinite(half) ? half : null;
}

export function outageFinding(o: SiteOutage): DraftOf<"outage"> {
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
