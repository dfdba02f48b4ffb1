// "What should this customer's network team change, and why?" — everything the shared site
// report shows, read for one site and one window. Only the link's site is ever queried:
// every read below is narrowed to its slug or id, device lists are cut to its devices, and
// the window is the link's.
import { affectedDevices } from "@/lib/contract/affected";
import type { KindEvidence } from "@/lib/contract/evidence";
import type { ReportFinding, SiteReport } from "@/lib/contract/report";
import { SEVERITY_RANK, type Severity } from "@/lib/contract/vocabulary";
import type { Db } from "@/lib/db/client";
import { listDevices } from "@/lib/queries/devices";
import { findingEvidence } from "@/lib/queries/finding-evidence";
import { listFindings } from "@/lib/queries/findings";
import { siteSummary } from "@/lib/queries/site-summary";
import { MAX_RANGE_MS } from "@/lib/queries/time-buckets";
import { explainForCustomer } from "./explain";
import type { ResolvedShare } from "./share-links";

export const REPORT_MAX_FINDINGS = 50;
export const REPORT_MAX_DEVICES = 500;

/** The report's window: the link's, at most as long as any read may span. */
export function reportWindow(share: Pick<ResolvedShare, "from" | "to">): { from: string; to: string } {
  const from = Math.max(share.from, share.to - MAX_RANGE_MS);
  return { from: new Date(from).toISOString(), to: new Date(share.to).toISOString() };
}

const rank = (s: Severity) => SEVERITY_RANK[s];

export async function siteReport(db: Db, share: ResolvedShare, now = Date.now()): Promise<SiteReport | null> {
  const slug = share.site.slug;
  const window = reportWindow(share);
  const [summary, findings, devices, siteDevices, endpoint] = await Promise.all([
    siteSummary(db, slug, window, now),
    listFindings(db, { site: slug, status: "active", ...window, limit: REPORT_MAX_FINDINGS }),
    listDevices(db, { site: slug, limit: REPORT_MAX_DEVICES }, now),
    db.prisma.device.findMany({ where: { siteId: share.site.id }, select: { externalId: true } }),
    mainEndpoint(db, share.site.id, window),
  ]);
  if (!summary) return null;
  const own = new Set(siteDevices.map((d) => d.externalId));
  const sorted = [...findings.items].sort((a, b) => rank(a.severity) - rank(b.severity) || b.lastSeen.localeCompare(a.lastSeen));
  const evidence = await Promise.all(sorted.map((f) => findingEvidence(db, f.id, { site: slug }, now)));
  const bySeverity: Record<Severity, number> = { critical: 0, warning: 0, info: 0 };
  for (const f of sorted) bySeverity[f.severity]++;
  return {
    site: { slug, name: share.site.name },
    ...window,
    generatedAt: new Date(now).toISOString(),
    expiresAt: share.expiresAt.toISOString(),
    summary,
    bySeverity,
    findings: sorted.map((finding, i) => ({
      finding,
      explanation: explainForCustomer(finding, endpoint),
      evidence: evidence[i],
      ...affected(finding, own),
    })),
    devices: devices.items,
    endpoint,
  };
}

/** The devices a finding names, cut to this site's; its count where nothing was cut. */
export function affected(f: KindEvidence & { device: string | null }, own: ReadonlySet<string>): { affectedDevices: string[]; affectedCount: number } {
  const { names, count: declared } = affectedDevices(f);
  const all = [...new Set([...(f.device ? [f.device] : []), ...names])];
  const mine = all.filter((d) => own.has(d));
  return { affectedDevices: mine, affectedCount: mine.length === all.length ? Math.max(declared, mine.length) : mine.length };
}

async function mainEndpoint(db: Db, siteId: number, window: { from: string; to: string }): Promise<string | null> {
  const rows = await db.prisma.session.groupBy({
    by: ["endpoint"],
    where: { siteId, endpoint: { not: null }, start: { gte: new Date(window.from), lt: new Date(window.to) } },
    _count: { endpoint: true },
    orderBy: { _count: { endpoint: "desc" } },
    take: 1,
  });
  return rows[0]?.endpoint ?? null;
}
