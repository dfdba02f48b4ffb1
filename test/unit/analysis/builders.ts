/** Small builders for hand-made sessions and events in the detector tests. */
import type { ConnectFailedEvent, EndReason, SessionRecord, TlsEvent } from "../../../lib/analysis/types";
import { Rng } from "../../sim/prng";

export const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

let counter = 0;

export function session(fields: Partial<SessionRecord> & { device: string }): SessionRecord {
  const start = fields.start ?? NOW - DAY;
  const durationS = fields.durationS ?? (fields.end != null ? (fields.end - start) / 1000 : null);
  return {
    site: "hamburg",
    publicIp: null,
    session: `s${++counter}`,
    start,
    end: fields.end ?? (durationS !== null ? start + durationS * 1000 : null),
    durationS,
    endReason: null,
    idleS: null,
    maxIdleS: null,
    errno: null,
    endpoint: "acme.cumulocity.example:443",
    ...fields,
  };
}

/** A drop ending at `end` after `idleS` seconds idle. */
export function drop(device: string, end: number, idleS: number, reason: EndReason = "reset", extra: Partial<SessionRecord> = {}): SessionRecord {
  const durationS = extra.durationS ?? idleS + 30;
  return session({ device, start: end - durationS * 1000, end, durationS, endReason: reason, idleS, ...extra });
}

/** `count` drops spread over the last `days`, idle values from `idle()`. */
export function dropsOver(rng: Rng, count: number, devices: number, idle: () => number, days = 7, site = "hamburg", reason: EndReason = "reset"): SessionRecord[] {
  const out: SessionRecord[] = [];
  for (let i = 0; i < count; i++) {
    out.push(drop(`${site}-d${i % devices}`, NOW - rng.next() * days * DAY, idle(), reason, { site }));
  }
  return out;
}

/** Random drops like a healthy long-poll site's: idle uniform within a gap up to the hold. */
export function healthyDrops(rng: Rng, count: number, devices: number, holdS = 1800, site = "hamburg"): SessionRecord[] {
  return dropsOver(rng, count, devices, () => rng.uniform(1, holdS), 7, site, "reset");
}

export function tlsEvent(fields: Partial<TlsEvent> & Pick<TlsEvent, "chain">): TlsEvent {
  return { type: "tls", device: "hamburg-d0", site: "hamburg", at: NOW - HOUR, endpoint: "acme.cumulocity.example:443", verified: false, ...fields };
}

export function tcpFailure(device: string, at: number, errno: string, fields: Partial<ConnectFailedEvent> = {}): ConnectFailedEvent {
  return { type: "connect_failed", device, site: "hamburg", at, endpoint: "acme.cumulocity.example:443", stage: "tcp", errno, ...fields };
}

export { Rng };
