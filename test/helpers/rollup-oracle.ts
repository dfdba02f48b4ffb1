// The rollups (SessionEndCount, EventCount) as they should be, computed in JavaScript from the
// stored Session and Event rows, and the rollups as the database's triggers left them. Tests
// compare the two after every kind of write ingest makes.
import type { Db } from "@/lib/db/client";

const SESSION_GRAINS = [60, 900, 3600, 86400];
const EVENT_GRAINS: Record<string, number[]> = { heartbeat: [3600, 86400], connect_failed: [60, 900, 3600, 86400] };

const bucketOf = (t: number, grainS: number) => Math.floor(t / (grainS * 1000)) * grainS * 1000;

/** "grain site bucket reason" → count, zero counts left out. */
export async function storedSessionEndCounts(db: Db): Promise<Record<string, number>> {
  const rows = await db.prisma.sessionEndCount.findMany({ where: { count: { not: 0 } } });
  return Object.fromEntries(rows.map((r) => [`${r.grain} ${r.siteId} ${r.bucket.getTime()} ${r.endReason}`, r.count]));
}

export async function expectedSessionEndCounts(db: Db): Promise<Record<string, number>> {
  const sessions = await db.prisma.session.findMany({ where: { end: { not: null } }, select: { siteId: true, end: true, endReason: true } });
  const counts: Record<string, number> = {};
  for (const s of sessions)
    for (const grain of SESSION_GRAINS)
      for (const site of [s.siteId ?? -1, 0]) {
        const key = `${grain} ${site} ${bucketOf(s.end!.getTime(), grain)} ${s.endReason ?? "unknown"}`;
        counts[key] = (counts[key] ?? 0) + 1;
      }
  return counts;
}

type EventCounts = Record<string, { count: number; firstAt: number; lastAt: number }>;

export async function storedEventCounts(db: Db): Promise<EventCounts> {
  const rows = await db.prisma.eventCount.findMany();
  return Object.fromEntries(
    rows.map((r) => [`${r.grain} ${r.siteId} ${r.type} ${r.bucket.getTime()} ${r.deviceId} ${r.key}`, { count: r.count, firstAt: r.firstAt.getTime(), lastAt: r.lastAt.getTime() }]),
  );
}

export async function expectedEventCounts(db: Db): Promise<EventCounts> {
  const events = await db.prisma.event.findMany({
    where: { type: { in: Object.keys(EVENT_GRAINS) } },
    select: { siteId: true, deviceId: true, type: true, at: true, data: true },
  });
  const counts: EventCounts = {};
  for (const e of events) {
    const d = JSON.parse(e.data) as { errno?: unknown; stage?: unknown };
    const key = e.type === "heartbeat" ? "" : typeof d.errno === "string" ? d.errno : typeof d.stage === "string" ? d.stage : "failed";
    const at = e.at.getTime();
    for (const grain of EVENT_GRAINS[e.type]) {
      const k = `${grain} ${e.siteId ?? -1} ${e.type} ${bucketOf(at, grain)} ${e.deviceId} ${key}`;
      const c = (counts[k] ??= { count: 0, firstAt: at, lastAt: at });
      c.count++;
      c.firstAt = Math.min(c.firstAt, at);
      c.lastAt = Math.max(c.lastAt, at);
    }
  }
  return counts;
}
