// "At what time of day do connections drop?" — abnormal ends folded onto one UTC day, the
// evidence of a drop that recurs on a schedule.
import type { Db } from "@/lib/db/client";
import type { DataScope } from "./scope";
import { sessionEnds } from "./session-end-series";
import { DROP_REASONS } from "@/lib/contract/vocabulary";
import type { TimeRange } from "./time-buckets";

export async function dropsByTimeOfDay(db: Db, scope: DataScope, range: TimeRange, binMinutes = 15): Promise<Array<{ minute: number; count: number }>> {
  const ends = await sessionEnds(db, scope, range, { alignS: binMinutes * 60, reasons: DROP_REASONS });
  const bins = Array.from({ length: Math.ceil((24 * 60) / binMinutes) }, (_, i) => ({ minute: i * binMinutes, count: 0 }));
  for (const e of ends) {
    const minute = Math.floor((e.at % 86_400_000) / 60_000);
    bins[Math.floor(minute / binMinutes)].count += e.n;
  }
  return bins;
}
