// "How often did devices fail to connect, or report in, over time?" — non-session events per
// bucket: connection failures keyed by errno (a blocked port's evidence), heartbeats
// (a device's liveness). A site's or the fleet's failures come from the EventCount rollup.
import type { CountSeries } from "@/lib/contract/dashboard";
import type { Db } from "@/lib/db/client";
import { failureCounts, failureKey } from "./rollups";
import { scopeWhere, type DataScope } from "./scope";
import { bucketSizeS, countSeries, type TimeRange } from "./time-buckets";

/** Charts never read more raw events than this per request; beyond it the newest are counted. */
export const MAX_SERIES_EVENTS = 50_000;

export async function connectFailureSeries(db: Db, scope: DataScope, range: TimeRange, bucketS = bucketSizeS(range)): Promise<CountSeries> {
  if (scope === "fleet" || "siteId" in scope) return countSeries(range, await failureCounts(db, scope, range, bucketS), bucketS);
  const rows = await db.prisma.event.findMany({
    where: { ...scopeWhere(scope), type: "connect_failed", at: { gte: new Date(range.from), lt: new Date(range.to) } },
    select: { at: true, data: true },
    orderBy: { at: "desc" },
    take: MAX_SERIES_EVENTS,
  });
  return countSeries(
    range,
    rows.map((r) => ({ at: r.at.getTime(), key: failureKey(r.data) })),
    bucketS,
  );
}

export async function heartbeatSeries(db: Db, scope: DataScope, range: TimeRange, bucketS?: number): Promise<CountSeries> {
  const rows = await db.prisma.event.findMany({
    where: { ...scopeWhere(scope), type: "heartbeat", at: { gte: new Date(range.from), lt: new Date(range.to) } },
    select: { at: true },
    orderBy: { at: "desc" },
    take: MAX_SERIES_EVENTS,
  });
  return countSeries(
    range,
    rows.map((r) => ({ at: r.at.getTime(), key: "heartbeat" })),
    bucketS,
  );
}
