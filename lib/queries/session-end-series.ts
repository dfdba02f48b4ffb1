// "How did connections end over time?" — session ends per bucket, one series per end reason
// (the site's "disconnect reasons over time", an outage's or a flapping device's evidence).
// A site's or the fleet's come from the SessionEndCount rollup; a device's few from its rows.
import type { CountSeries } from "@/lib/contract/dashboard";
import type { Db } from "@/lib/db/client";
import { sessionEndCounts } from "./rollups";
import { scopeWhere, type DataScope } from "./scope";
import { bucketSizeS, countSeries, type TimeRange } from "./time-buckets";

export async function sessionEndSeries(
  db: Db,
  scope: DataScope,
  range: TimeRange,
  options: { reasons?: readonly string[]; bucketS?: number } = {},
): Promise<CountSeries> {
  const bucketS = options.bucketS ?? bucketSizeS(range);
  return countSeries(range, await sessionEnds(db, scope, range, { alignS: bucketS, reasons: options.reasons }), bucketS);
}

/** Session ends in the range as keyed moments (each may count several), aligned to `alignS`-second buckets. */
export async function sessionEnds(
  db: Db,
  scope: DataScope,
  range: TimeRange,
  options: { alignS: number; reasons?: readonly string[] },
): Promise<Array<{ at: number; key: string; n: number }>> {
  if (scope === "fleet" || "siteId" in scope) return sessionEndCounts(db, scope, range, options);
  const rows = await db.prisma.session.findMany({
    where: {
      ...scopeWhere(scope),
      end: { gte: new Date(range.from), lt: new Date(range.to) },
      ...(options.reasons ? { endReason: { in: [...options.reasons] } } : {}),
    },
    select: { end: true, endReason: true },
  });
  return rows.map((r) => ({ at: r.end!.getTime(), key: r.endReason ?? "unknown", n: 1 }));
}
