// "How long do this site's connections live?" — Kaplan-Meier survival of the sessions that
// started in the range. An idle-timeout cliff shows at a glance.
import type { SurvivalCurve } from "@/lib/api/dashboard-schema";
import type { Db } from "@/lib/db/client";
import { kaplanMeier } from "./kaplan-meier";
import { msOf, sqlRows, timeParam } from "./sql";
import type { TimeRange } from "./time-buckets";

/** Ends the network did not cause: the device closed the connection itself. */
const CENSORING_REASONS = new Set(["client_closed"]);

export async function siteSurvival(db: Db, siteId: number, range: TimeRange, now: number): Promise<SurvivalCurve> {
  const t = timeParam(db);
  // Read through the covering index Session(siteId, start, end, durationS, endReason).
  const rows = await sqlRows<{ start: number; end: number | null; durationS: number | null; endReason: string | null }>(
    db,
    `SELECT ${msOf(db, `"start"`)} AS "start", ${msOf(db, `"end"`)} AS "end", "durationS", "endReason" FROM "Session"
     WHERE "siteId" = ? AND "start" >= ${t} AND "start" < ${t}`,
    [siteId, range.from, range.to],
  );
  return kaplanMeier(
    rows.map((s) => {
      const open = s.end === null;
      const durationS = open ? Math.max(0, (now - s.start) / 1000) : (s.durationS ?? (s.end! - s.start) / 1000);
      return { durationS: Math.max(durationS, 0.001), ended: !open && !CENSORING_REASONS.has(s.endReason ?? "") };
    }),
  );
}
