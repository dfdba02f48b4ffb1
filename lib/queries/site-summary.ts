// "What is the story of this site's connectivity?" — everything on the site page besides the
// histogram, findings and device list, for one time range: how connections ended over time,
// failed attempts, how long connections live, heartbeat health and the TLS chains seen.
// Each part is its own question (module); rollups can replace any of them behind this shape.
import type { SiteSummary } from "@/lib/contract/dashboard";
import type { Db } from "@/lib/db/client";
import { connectFailureSeries } from "./event-series";
import { devicePresence } from "./online";
import { siteBySlug } from "./scope";
import { DROP_REASONS } from "@/lib/contract/vocabulary";
import { siteHeartbeats } from "./site-heartbeats";
import { siteSurvival } from "./site-survival";
import { siteTls } from "./site-tls";
import { sessionEndSeries } from "./session-end-series";
import { bucketSizeS, DAY_MS, resolveRange } from "./time-buckets";

export const SITE_DEFAULT_RANGE_MS = 7 * DAY_MS;

export async function siteSummary(db: Db, slug: string, query: { from?: string; to?: string }, now = Date.now()): Promise<SiteSummary | null> {
  const site = await siteBySlug(db, slug);
  if (!site) return null;
  const range = resolveRange(query, SITE_DEFAULT_RANGE_MS, now);
  const bucketS = bucketSizeS(range);
  const [devices, openSessions, reasons, failures, survival, heartbeat, tls] = await Promise.all([
    devicePresence(db, now, [site.id]),
    db.prisma.session.count({ where: { siteId: site.id, end: null } }),
    sessionEndSeries(db, { siteId: site.id }, range, { bucketS }),
    connectFailureSeries(db, { siteId: site.id }, range, bucketS),
    siteSurvival(db, site.id, range, now),
    siteHeartbeats(db, site.id, range, now),
    siteTls(db, site.id, range),
  ]);
  return {
    site: { slug: site.slug, name: site.name, devices: devices.length, online: devices.filter((d) => d.online).length },
    from: new Date(range.from).toISOString(),
    to: new Date(range.to).toISOString(),
    sessions: {
      started: survival.sessions,
      ended: reasons.total,
      drops: reasons.buckets.reduce((sum, b) => sum + DROP_REASONS.reduce((n, r) => n + (b.counts[r] ?? 0), 0), 0),
      open: openSessions,
    },
    reasons,
    failures,
    survival,
    heartbeat,
    tls,
  };
}
