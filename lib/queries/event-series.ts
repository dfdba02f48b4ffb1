// "How often did devices fail to connect, or report in, over time?" — non-session events per
// bucket: connection failures keyed by errno (a blocked port's evidence), heartbeats
// (a device's liveness).
import type { CountSeries } from "@/lib/api/dashboard-schema";
import type { Db } from "@/lib/db/client";
import { scopeWhere, type DataScope } from "./scope";
import { countSeries, type TimeRange } from "./time-buckets";

/** Charts never read more raw events than this per request; beyond it the newest are counted. */
export const MAX_SERIES_EVENTS = 50_000;

export async function connectFailureSeries(db: Db, scope: DataScope, range: TimeRange, bucketS?: number): Promise<CountSeries> {
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

function failureKey(data: string): string {
  const d = JSON.parse(data) as { errno?: unknown; stage?: unknown };
  return typeof d.errno === "string" ? d.errno : typeof d.stage === "string" ? d.stage : "failed";
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
