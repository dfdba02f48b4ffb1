// "How long do this site's connections live?" — Kaplan-Meier survival of the sessions that
// started in the range. An idle-timeout cliff shows at a glance.
import type { SurvivalCurve } from "@/lib/api/dashboard-schema";
import type { Db } from "@/lib/db/client";
import { kaplanMeier } from "./kaplan-meier";
import type { TimeRange } from "./time-buckets";

/** Ends the network did not cause: the device closed the connection itself. */
const CENSORING_REASONS = new Set(["client_closed"]);

export async function siteSurvival(db: Db, siteId: number, range: TimeRange, now: number): Promise<SurvivalCurve> {
  const rows = await db.prisma.session.findMany({
    where: { siteId, start: { gte: new Date(range.from), lt: new Date(range.to) } },
    select: { start: true, end: true, durationS: true, endReason: true },
  });
  return kaplanMeier(
    rows.map((s) => {
      const open = s.end === null;
      const durationS = open ? Math.max(0, (now - s.start.getTime()) / 1000) : (s.durationS ?? (s.end!.getTime() - s.start.getTime()) / 1000);
      return { durationS: Math.max(durationS, 0.001), ended: !open && !CENSORING_REASONS.has(s.endReason ?? "") };
    }),
  );
}
