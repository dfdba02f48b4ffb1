// "How long do this site's connections live?" — Kaplan-Meier survival of the sessions that
// started in the range. An idle-timeout cliff shows at a glance.
import type { SurvivalCurve } from "@/lib/contract/dashboard";
import type { Db } from "@/lib/db/client";
import { kaplanMeierOf } from "./kaplan-meier";
import { msOf, sqlGreatest, sqlNumbers, timeParam } from "@/lib/db/sql";
import type { TimeRange } from "./time-buckets";

/** Ends the network did not cause: the device closed the connection itself. */
const CENSORING_REASONS = ["client_closed"];

export async function siteSurvival(db: Db, siteId: number, range: TimeRange, now: number): Promise<SurvivalCurve> {
  const t = timeParam(db);
  const [start, end] = [msOf(db, `"start"`), msOf(db, `"end"`)];
  // A big site's week is some 50,000 sessions: one signed duration each (positive: the
  // network ended it; negative: censored), through the covering index
  // Session(siteId, start, end, durationS, endReason). An open session is censored at its
  // age now; a closed one without durationS is timed by its end.
  const seconds = `${sqlGreatest(db)}(0.001, CASE WHEN "end" IS NULL THEN (? - ${start}) / 1000.0 ELSE COALESCE("durationS", (${end} - ${start}) / 1000.0) END)`;
  const signed = await sqlNumbers(
    db,
    `CASE WHEN "end" IS NULL OR "endReason" IN ('${CENSORING_REASONS.join("', '")}') THEN -1 ELSE 1 END * ${seconds}`,
    `FROM "Session" WHERE "siteId" = ? AND "start" >= ${t} AND "start" < ${t}`,
    [now, siteId, range.from, range.to],
  );
  let died = 0;
  for (const s of signed) if (s > 0) died++;
  const deaths = new Float64Array(died);
  const censored = new Float64Array(signed.length - died);
  let [d, c] = [0, 0];
  for (const s of signed) {
    if (s > 0) deaths[d++] = s;
    else censored[c++] = -s;
  }
  return kaplanMeierOf(deaths, censored);
}
