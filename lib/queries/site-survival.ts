// "How long do this site's connections live?" — Kaplan-Meier survival of the sessions that
// started in the range. An idle-timeout cliff shows at a glance.
import type { SurvivalCurve } from "@/lib/api/dashboard-schema";
import type { Db } from "@/lib/db/client";
import { kaplanMeierOf } from "./kaplan-meier";
import { msOf, sqlArrays, timeParam } from "./sql";
import type { TimeRange } from "./time-buckets";

/** Ends the network did not cause: the device closed the connection itself. */
const CENSORING_REASONS = new Set(["client_closed"]);

export async function siteSurvival(db: Db, siteId: number, range: TimeRange, now: number): Promise<SurvivalCurve> {
  const t = timeParam(db);
  // Through the covering index Session(siteId, start, end, durationS, endReason): a big
  // site's week is some 50,000 rows, so read as arrays and sorted as typed arrays.
  const rows = await sqlArrays<[number | null, number, number | null, string | null]>(
    db,
    `SELECT "durationS", ${msOf(db, `"start"`)}, ${msOf(db, `"end"`)}, "endReason"
     FROM "Session" WHERE "siteId" = ? AND "start" >= ${t} AND "start" < ${t}`,
    [siteId, range.from, range.to],
  );
  const deaths: number[] = [];
  const censored: number[] = [];
  for (const [durationS, start, end, reason] of rows) {
    // An open session is censored at its age now; a closed one without durationS is timed by its end.
    const open = end === null;
    const s = open ? Math.max(0, (now - Number(start)) / 1000) : (durationS ?? (Number(end) - Number(start)) / 1000);
    (open || CENSORING_REASONS.has(reason ?? "") ? censored : deaths).push(Math.max(s, 0.001));
  }
  return kaplanMeierOf(Float64Array.from(deaths), Float64Array.from(censored));
}
