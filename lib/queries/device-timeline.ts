// "When was this device connected, how did each connection end, and when did it go quiet?"
// — the device page's timeline: sessions overlapping the range, failed connection attempts,
// and heartbeat silences longer than twice the declared interval.
import { eventData } from "@/lib/contract/stored-event";
import type { DeviceTimeline, TimelineSession } from "@/lib/contract/dashboard";
import { breaksSilence } from "@/lib/contract/liveness";
import type { Db } from "@/lib/db/client";
import { sortedQuantile } from "@/lib/analysis/statistics";
import { deviceByExternalId } from "./device-detail";
import { countSeries, DAY_MS, resolveRange } from "./time-buckets";

export const DEVICE_DEFAULT_RANGE_MS = DAY_MS;
const MAX_SESSIONS = 2000;
const MAX_FAILURES = 1000;
const MAX_HEARTBEATS = 50_000;

export async function deviceTimeline(db: Db, externalId: string, query: { site?: string; from?: string; to?: string }, now = Date.now()): Promise<DeviceTimeline | null> {
  const device = await deviceByExternalId(db, externalId, query.site);
  if (!device) return null;
  const range = resolveRange(query, DEVICE_DEFAULT_RANGE_MS, now);
  const [from, to] = [new Date(range.from), new Date(range.to)];
  const [sessions, failures, heartbeats] = await Promise.all([
    db.prisma.session.findMany({
      where: { deviceId: device.id, ...device.ownHistory, start: { lt: to }, OR: [{ end: null }, { end: { gte: from } }] },
      orderBy: { start: "asc" },
      take: MAX_SESSIONS + 1,
      select: { session: true, start: true, end: true, durationS: true, endReason: true, idleS: true, errno: true },
    }),
    db.prisma.event.findMany({
      where: { deviceId: device.id, ...device.ownHistory, type: "connect_failed", at: { gte: from, lt: to } },
      orderBy: { at: "desc" },
      take: MAX_FAILURES,
      select: { at: true, data: true },
    }),
    db.prisma.event.findMany({
      where: { deviceId: device.id, ...device.ownHistory, type: "heartbeat", at: { gte: from, lt: to } },
      orderBy: { at: "asc" },
      take: MAX_HEARTBEATS,
      select: { at: true, data: true },
    }),
  ]);
  const beats = heartbeats.map((h) => ({ at: h.at.getTime(), ...eventData("heartbeat", h.data) }));
  const rtts = Float64Array.from(beats.map((b) => b.rttMs).filter((v): v is number => typeof v === "number")).sort();
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    sessions: sessions.slice(0, MAX_SESSIONS).map(
      (s): TimelineSession => ({
        session: s.session,
        start: s.start.toISOString(),
        end: s.end?.toISOString() ?? null,
        durationS: s.durationS,
        endReason: s.endReason as TimelineSession["endReason"],
        idleS: s.idleS,
        errno: s.errno,
      }),
    ),
    truncated: sessions.length > MAX_SESSIONS,
    failures: failures.map((f) => {
      const d = eventData("connect_failed", f.data);
      return { at: f.at.toISOString(), stage: d.stage, errno: d.errno };
    }),
    heartbeats: {
      intervalS: device.heartbeatIntervalS,
      received: beats.length,
      gaps: heartbeatGaps(beats, device.heartbeatIntervalS, Math.min(range.to, now)),
      series: countSeries(range, beats.map((b) => ({ at: b.at, key: "heartbeat" }))),
      rttP50Ms: rtts.length ? sortedQuantile(rtts, 0.5) : null,
      rttP95Ms: rtts.length ? sortedQuantile(rtts, 0.95) : null,
    },
  };
}

/**
 * Silences longer than the rule of lib/contract/liveness.ts allows at the interval in force (each heartbeat may declare its own;
 * the device's latest applies before the first declaration), including the one running now.
 */
export function heartbeatGaps(beats: ReadonlyArray<{ at: number; intervalS?: number }>, fallbackS: number | null, until: number): DeviceTimeline["heartbeats"]["gaps"] {
  const gaps: DeviceTimeline["heartbeats"]["gaps"] = [];
  let interval = fallbackS;
  for (let i = 0; i < beats.length; i++) {
    interval = beats[i].intervalS ?? interval;
    const next = i + 1 < beats.length ? beats[i + 1].at : until;
    if (breaksSilence(beats[i].at, next, interval)) {
      gaps.push({ from: new Date(beats[i].at).toISOString(), to: new Date(next).toISOString(), seconds: Math.round((next - beats[i].at) / 1000) });
    }
  }
  return gaps;
}
