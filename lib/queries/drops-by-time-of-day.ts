// "At what time of day do connections drop?" — abnormal ends folded onto one UTC day, the
// evidence of a drop that recurs on a schedule.
import type { Db } from "@/lib/db/client";
import { scopeWhere, type DataScope } from "./scope";
import { ABNORMAL_REASONS } from "./site-durations";
import type { TimeRange } from "./time-buckets";

export async function dropsByTimeOfDay(db: Db, scope: DataScope, range: TimeRange, binMinutes = 15): Promise<Array<{ minute: number; count: number }>> {
  const rows = await db.prisma.session.findMany({
    where: { ...scopeWhere(scope), endReason: { in: ABNORMAL_REASONS }, end: { gte: new Date(range.from), lt: new Date(range.to) } },
    select: { end: true },
  });
  const bins = Array.from({ length: (24 * 60) / binMinutes }, (_, i) => ({ minute: i * binMinutes, count: 0 }));
  for (const r of rows) {
    const minute = Math.floor((r.end!.getTime() % 86_400_000) / 60_000);
    bins[Math.floor(minute / binMinutes)].count++;
  }
  return bins;
}
