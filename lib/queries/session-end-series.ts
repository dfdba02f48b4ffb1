// "How did connections end over time?" — session ends per bucket, one series per end reason
// (the site's "disconnect reasons over time", an outage's or a flapping device's evidence).
import type { CountSeries } from "@/lib/api/dashboard-schema";
import type { Db } from "@/lib/db/client";
import { scopeWhere, type DataScope } from "./scope";
import { countSeries, type TimeRange } from "./time-buckets";

export async function sessionEndSeries(
  db: Db,
  scope: DataScope,
  range: TimeRange,
  options: { reasons?: readonly string[]; bucketS?: number } = {},
): Promise<CountSeries> {
  const rows = await db.prisma.session.findMany({
    where: {
      ...scopeWhere(scope),
      end: { gte: new Date(range.from), lt: new Date(range.to) },
      ...(options.reasons ? { endReason: { in: [...options.reasons] } } : {}),
    },
    select: { end: true, endReason: true },
  });
  return countSeries(
    range,
    rows.map((r) => ({ at: r.end!.getTime(), key: r.endReason ?? "unknown" })),
    options.bucketS,
  );
}
