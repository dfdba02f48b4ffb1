// "When was this device connected, how did each connection end, and when did it go quiet?"
// — the device page's timeline: sessions overlapping the range, failed connection attempts,
// and heartbeat silences longer than twice the declared interval.
import { eventData } from "@/lib/contract/stored-event";
import type { DeviceTimeline, TimelineSession } from "@/lib/contract/dashboard";
import { breaksSilence } from "@/lib/contract/liveness";
import type { Db } from "@/lib/db/client";
import { weightedQuantile, weightedSample } from "@/lib/analysis/weighted";
import { deviceByExternalId } from "./device-detail";
import { bucketSizeS, countSeries, DAY_MS, HOUR_MS, resolveRange } from "./time-buckets";

export const DEVICE_DEFAULT_RANGE_MS = DAY_MS;
const MAX_SESSIONS = 2000;
const MAX_FAILURES = 1000;
const MAX_HEARTBEATS = 50_000;

export async function deviceTimeline(db: Db, externalId: string, query: { site?: string; from?: string; to?: string }, now = Date.now()): Promise<DeviceTimeline | null> {
  const device = await deviceByExternalId(db, externalId, query.site);
  if (!device) return null;
  const range = resolveRange(query, DEVICE_DEFAULT_RANGE_MS, now);
  const [from, to] = [new Date(range.from), new Date(range.to)];
  const [sessions, failures, heartbeats, compacted] = await Promise.all([
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
    // Beyond the raw-event window: the hourly summaries the purge left (lib/retention).
    db.prisma.heartbeatHour.findMany({
      where: { deviceId: device.id, ...device.ownHistory, hour: { gte: new Date(Math.floor(range.from / HOUR_MS) * HOUR_MS), lt: to } },
      orderBy: { hour: "asc" },
      take: MAX_HEARTBEATS,
    }),
  ]);
  const raw = heartbeats.map((h) => ({ at: h.at.getTime(), ...eventData("heartbeat", h.data) }));
  const hours = compacted.map((h) => ({
    ...h,
    firstAt: h.firstAt.getTime(),
    lastAt: h.lastAt.getTime(),
    maxGapAt: h.maxGapAt.getTime(),
  }));
  // An hour stands for its heartbeats as a stretch from its first to its last, with its longest silence inside.
  const beats: Beat[] = [
    ...raw,
    ...hours.map((h) => ({
      at: h.firstAt,
      last: h.lastAt,
      intervalS: h.intervalS ?? undefined,
      silence: h.maxGapS > 0 ? { from: h.maxGapAt, to: h.maxGapAt + h.maxGapS * 1000 } : undefined,
    })),
  ]
    .filter((b) => b.at >= range.from && b.at < range.to)
    .sort((a, b) => a.at - b.at);
  const inRange = hours.filter((h) => h.firstAt >= range.from && h.firstAt < range.to);
  // Raw round-trip times as they are; an hour's own percentile stands for its samples (exact while no hour is compacted).
  const rawRtts = raw.flatMap((b) => (typeof b.rttMs === "number" ? [[b.rttMs, 1] as const] : []));
  const rtt = (q: number, ofHour: (h: (typeof hours)[number]) => number | null) => {
    const sample = weightedSample([...rawRtts, ...inRange.flatMap((h) => (ofHour(h) === null ? [] : [[ofHour(h)!, h.rttCount] as const]))]);
    return sample.total > 0 ? weightedQuantile(sample, q) : null;
  };
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
      received: raw.length + inRange.reduce((sum, h) => sum + h.count, 0),
      gaps: heartbeatGaps(beats, device.heartbeatIntervalS, Math.min(range.to, now)),
      series: countSeries(range, [...raw.map((b) => ({ at: b.at, key: "heartbeat" })), ...inRange.flatMap((h) => spreadOverBuckets(h, bucketSizeS(range) * 1000))]),
      rttP50Ms: rtt(0.5, (h) => h.rttP50Ms),
      rttP95Ms: rtt(0.95, (h) => h.rttP95Ms),
      // Where this device's hourly summaries end in the range (a connection open across the cut keeps its raw heartbeats).
      compactedBefore: hours.length ? new Date(hours[hours.length - 1].hour.getTime() + HOUR_MS).toISOString() : null,
    },
  };
}

/** A heartbeat, or an hour of them compacted (from the first, `at`, to the last, with its longest silence inside). */
export interface Beat {
  at: number;
  intervalS?: number;
  last?: number;
  silence?: { from: number; to: number };
}

/**
 * Silences longer than the rule of lib/contract/liveness.ts allows at the interval in force (each heartbeat may declare its own;
 * the device's latest applies before the first declaration), including the one running now.
 */
export function heartbeatGaps(beats: readonly Beat[], fallbackS: number | null, until: number): DeviceTimeline["heartbeats"]["gaps"] {
  const gaps: DeviceTimeline["heartbeats"]["gaps"] = [];
  const gap = (from: number, to: number) => gaps.push({ from: new Date(from).toISOString(), to: new Date(to).toISOString(), seconds: Math.round((to - from) / 1000) });
  let interval = fallbackS;
  for (let i = 0; i < beats.length; i++) {
    const { silence, last = beats[i].at } = beats[i];
    interval = beats[i].intervalS ?? interval;
    if (silence && breaksSilence(silence.from, silence.to, interval)) gap(silence.from, silence.to);
    const next = i + 1 < beats.length ? beats[i + 1].at : until;
    if (breaksSilence(last, next, interval)) gap(last, next);
  }
  return gaps;
}


/**
 * An hour's count on a chart whose buckets are shorter than the hour: shared out evenly, in
 * whole heartbeats, over the buckets between its first and last heartbeat (all of it at the
 * first one would draw a comb of full and empty buckets).
 */
function spreadOverBuckets(h: { firstAt: number; lastAt: number; count: number }, bucketMs: number): Array<{ at: number; key: string; n: number }> {
  const first = Math.floor(h.firstAt / bucketMs);
  const parts = Math.min(h.count, Math.floor(h.lastAt / bucketMs) - first + 1);
  return Array.from({ length: parts }, (_, i) => ({
    at: Math.max(h.firstAt, (first + i) * bucketMs),
    key: "heartbeat",
    n: Math.floor(((i + 1) * h.count) / parts) - Math.floor((i * h.count) / parts),
  }));
}
