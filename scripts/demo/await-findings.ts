// Waits for the server's background analysis (it runs shortly after ingest) to turn the
// demo's events into findings, reading the same database the server writes.
import type { Db } from "../../lib/db/client";
import type { DemoSite } from "./fleet";

export interface SiteFindings {
  slug: string;
  story: string;
  expected: number;
  /** "title" or "title (resolved)": past events (an outage that ended) resolve by themselves */
  titles: string[];
}

/**
 * Kinds the per-site analysis after ingest may not show at once: offline devices need real
 * time to pass without heartbeats, and flapping is judged against the whole fleet's normal
 * reconnect rate, which the fleet-wide analysis (every 5 minutes) computes.
 */
export const NEEDS_TIME = new Set(["offline", "flapping"]);

export async function awaitFindings(db: Db, sites: readonly DemoSite[], timeoutMs = 90_000): Promise<SiteFindings[]> {
  const deadline = Date.now() + timeoutMs;
  let last: SiteFindings[] = [];
  for (;;) {
    const rows = await db.prisma.finding.findMany({
      where: { site: { slug: { in: sites.map((s) => s.slug) } } },
      select: { title: true, status: true, site: { select: { slug: true } } },
      orderBy: { id: "asc" },
    });
    last = sites.map((s) => ({
      slug: s.slug,
      story: s.story,
      expected: s.truths.filter((t) => !NEEDS_TIME.has(t.kind)).length,
      titles: rows.filter((r) => r.site?.slug === s.slug).map((r) => (r.status === "resolved" ? `${r.title} (resolved)` : r.title)),
    }));
    if (last.every((s) => s.titles.length >= Math.min(1, s.expected)) || Date.now() > deadline) return last;
    await new Promise((r) => setTimeout(r, 1000));
  }
}
