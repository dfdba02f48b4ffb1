// "Are this site's devices reporting in as they promised?" — heartbeats received against
// those each device's declared interval implies (between its first and last heartbeat in the
// range), who is silent now, and round-trip times from the latest heartbeats.
import { sortedQuantile } from "@/lib/analysis/statistics";
import type { HeartbeatHealth } from "@/lib/contract/dashboard";
import { breaksSilence, lastSignOfLife } from "@/lib/contract/liveness";
import type { Db } from "@/lib/db/client";
import { jsonNumber, msOf, sqlArrays, sqlRows, timeParam } from "@/lib/db/sql";
import { heartbeatTotals } from "./rollups";
import type { TimeRange } from "./time-buckets";

const RTT_SAMPLE = 1000;
const WORST_LISTED = 5;

export async function siteHeartbeats(db: Db, siteId: number, range: TimeRange, now: number): Promise<HeartbeatHealth> {
  const t = timeParam(db);
  const [devices, stats, sample] = await Promise.all([
    sqlRows<{ id: number; externalId: string; lastSeen: number; lastAt: number; skewed: number | boolean; heartbeatIntervalS: number | null }>(
      db,
      `SELECT "id", "externalId", ${msOf(db, `"lastSeen"`)} AS "lastSeen", ${msOf(db, `"lastAt"`)} AS "lastAt", "skewed", "heartbeatIntervalS" FROM "Device" WHERE "siteId" = ?`,
      [siteId],
    ),
    heartbeatTotals(db, siteId, range),
    sqlArrays<[number | null]>(
      db,
      `SELECT ${jsonNumber(db, `"data"`, "rttMs")} FROM "Event"
       WHERE "siteId" = ? AND "type" = 'heartbeat' AND "at" >= ${t} AND "at" < ${t} ORDER BY "at" DESC LIMIT ${RTT_SAMPLE}`,
      [siteId, range.from, range.to],
    ),
  ]);
  let received = 0;
  let expected = 0;
  let onTime = 0;
  const declaring = devices.filter((d) => d.heartbeatIntervalS !== null && d.heartbeatIntervalS > 0);
  const rows: HeartbeatHealth["worst"] = [];
  for (const d of devices) received += stats.get(d.id)?.count ?? 0;
  for (const d of declaring) {
    const intervalS = d.heartbeatIntervalS!;
    if (!breaksSilence(lastSignOfLife({ lastAt: Number(d.lastAt), lastSeen: Number(d.lastSeen), skewed: Boolean(d.skewed) }), now, intervalS)) onTime++;
    const s = stats.get(d.id);
    if (!s) continue;
    const own = Math.floor((s.lastAt - s.firstAt) / (intervalS * 1000)) + 1;
    expected += own;
    rows.push({ device: d.externalId, received: s.count, expected: own, ratio: Math.min(1, s.count / own), lastSeen: new Date(Number(d.lastSeen)).toISOString(), intervalS });
  }
  const rtts = Float64Array.from(sample.map(([v]) => v).filter((v): v is number => v !== null && Number.isFinite(v))).sort();
  const quantile = (q: number) => (rtts.length ? Math.round(sortedQuantile(rtts, q) * 10) / 10 : null);
  return {
    devices: devices.length,
    declaring: declaring.length,
    onTime,
    silent: declaring.length - onTime,
    received,
    expected,
    deliveryRatio: expected > 0 ? Math.min(1, received / expected) : null,
    rttP50Ms: quantile(0.5),
    rttP95Ms: quantile(0.95),
    rttSample: rtts.length,
    worst: rows
      .filter((r) => r.ratio < 0.99)
      .sort((a, b) => a.ratio - b.ratio || a.device.localeCompare(b.device))
      .slice(0, WORST_LISTED),
  };
}
