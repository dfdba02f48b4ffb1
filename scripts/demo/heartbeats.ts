// Heartbeats for the demo fleet: each device that declared an interval reports at it while
// its connections are up (or, for devices that never connect, all along), over the last
// hours only — enough for heartbeat health, gaps and offline devices, without a week of
// one-a-minute events.
import type { FleetInput, SessionRecord } from "../../lib/analysis/types";
import type { WireEvent } from "../../test/helpers/fleet-to-wire";
import { Rng } from "../../test/sim/prng";

export interface LiveDevice {
  device: string;
  site: string;
  intervalS: number | null;
  /** its last heartbeat in the simulated history (ms), so live ones continue the rhythm */
  lastBeatAt: number;
  /** sequence number of its next heartbeat */
  seq: number;
}

export function demoHeartbeats(seed: number, input: FleetInput, now: number, hours: number): { events: WireEvent[]; live: LiveDevice[] } {
  const rng = new Rng(seed).fork("heartbeats");
  const since = now - hours * 3_600_000;
  const sessions = new Map<string, SessionRecord[]>();
  for (const s of input.sessions) sessions.set(s.device, [...(sessions.get(s.device) ?? []), s]);
  const siteRtt = new Map<string, number>();
  const events: WireEvent[] = [];
  const live: LiveDevice[] = [];
  for (const hb of input.heartbeats) {
    const site = hb.site ?? "unknown";
    if (!siteRtt.has(site)) siteRtt.set(site, rng.uniform(25, 140));
    const alive = hb.lastHeartbeatAt !== null && now - hb.lastHeartbeatAt < 2 * (hb.intervalS ?? 300) * 1000;
    const own = sessions.get(hb.device);
    const entry: LiveDevice = { device: hb.device, site, intervalS: hb.intervalS, lastBeatAt: hb.lastHeartbeatAt ?? now, seq: 0 };
    if (alive) live.push(entry);
    if (hb.intervalS === null || hb.lastHeartbeatAt === null) continue;
    // Living devices beat right up to now, so the live heartbeats continue without a gap.
    const until = alive ? now : hb.lastHeartbeatAt;
    const spans = own?.length
      ? own.map((s) => [Math.max(s.start, since), Math.min(s.end ?? until, until)] as const)
      : [[since, until] as const];
    let seq = 0;
    for (const [from, to] of spans) {
      for (let t = from + rng.uniform(0.5, 5) * 1000; t <= to; t += hb.intervalS * 1000 * rng.uniform(0.98, 1.02)) {
        const rttMs = Math.round(siteRtt.get(site)! * Math.exp(rng.normal(0, 0.35)) * 10) / 10;
        events.push({ id: `hb-${Math.round(t)}`, device: hb.device, site, type: "heartbeat", seq: seq++, rttMs, intervalS: hb.intervalS, at: new Date(t).toISOString() });
        entry.lastBeatAt = t;
      }
    }
    entry.seq = seq;
  }
  return { events, live };
}
