// "Is anything on fire, and where?" — the fleet page: devices online and offline, open
// findings by severity and kind, every site ranked by how urgently it needs a look, and
// abnormal drops across the fleet over time.
import type { FleetOverview, FleetSite, SiteHealth } from "@/lib/contract/dashboard";
import { DROP_REASONS, FINDING_KINDS, isDropReason, SEVERITY_RANK, type FindingKind, type Severity } from "@/lib/contract/vocabulary";
import type { Db } from "@/lib/db/client";
import { devicePresence } from "./online";
import { sessionEndCounts } from "./rollups";
import { sessionEndSeries } from "./session-end-series";
import { DAY_MS, resolveRange } from "./time-buckets";

export const FLEET_DEFAULT_RANGE_MS = DAY_MS;
const HEALTH_RANK: Record<SiteHealth, number> = { critical: 0, warning: 1, ok: 2, quiet: 3 };

export async function fleetOverview(db: Db, query: { site?: string; from?: string; to?: string }, now = Date.now()): Promise<FleetOverview> {
  const range = resolveRange(query, FLEET_DEFAULT_RANGE_MS, now);
  const siteFilter = query.site
    ? ((await db.prisma.site.findUnique({ where: { slug: query.site }, select: { id: true } }))?.id ?? -1)
    : undefined;
  const bySite = siteFilter !== undefined ? { siteId: siteFilter } : {};
  const [sites, devices, findings, acknowledged, endedBySite, drops] = await Promise.all([
    db.prisma.site.findMany({ where: siteFilter !== undefined ? { id: siteFilter } : {}, select: { id: true, slug: true, name: true } }),
    devicePresence(db, now, siteFilter !== undefined ? [siteFilter] : undefined),
    db.prisma.finding.findMany({
      where: { ...bySite, status: "open" },
      select: { id: true, siteId: true, kind: true, severity: true, title: true, lastSeen: true },
    }),
    db.prisma.finding.count({ where: { ...bySite, status: "acknowledged" } }),
    sessionEndCounts(db, siteFilter !== undefined ? { siteId: siteFilter } : "sites", range, { totals: true }),
    sessionEndSeries(db, siteFilter !== undefined ? { siteId: siteFilter } : "fleet", range, { reasons: DROP_REASONS }),
  ]);
  const onlineIds = new Set(devices.filter((d) => d.online).map((d) => d.id));
  const ended = new Map<number, number>();
  const dropped = new Map<number, number>();
  for (const c of endedBySite) {
    ended.set(c.siteId, (ended.get(c.siteId) ?? 0) + c.n);
    if (isDropReason(c.key)) dropped.set(c.siteId, (dropped.get(c.siteId) ?? 0) + c.n);
  }
  const lastSeen = devices.reduce((max, d) => Math.max(max, d.lastSeen.getTime()), -Infinity);

  const bySeverity = { critical: 0, warning: 0, info: 0 };
  const byKind = new Map(FINDING_KINDS.map((kind) => [kind, { kind, critical: 0, warning: 0, info: 0, total: 0 }]));
  for (const f of findings) {
    const severity = f.severity as Severity;
    bySeverity[severity]++;
    const k = byKind.get(f.kind as FindingKind);
    if (k) {
      k[severity]++;
      k.total++;
    }
  }

  const siteRows: FleetSite[] = sites.map((site) => {
    const own = devices.filter((d) => d.siteId === site.id);
    const online = own.filter((d) => onlineIds.has(d.id)).length;
    const siteFindings = findings
      .filter((f) => f.siteId === site.id)
      .sort((a, b) => SEVERITY_RANK[a.severity as Severity] - SEVERITY_RANK[b.severity as Severity] || b.lastSeen.getTime() - a.lastSeen.getTime());
    const openFindings = { critical: 0, warning: 0, info: 0 };
    for (const f of siteFindings) openFindings[f.severity as Severity]++;
    const top = siteFindings[0];
    return {
      slug: site.slug,
      name: site.name,
      devices: own.length,
      online,
      openFindings,
      drops: dropped.get(site.id) ?? 0,
      ended: ended.get(site.id) ?? 0,
      health: siteHealth(openFindings, own.length, online),
      topFinding: top ? { id: top.id, kind: top.kind as FindingKind, title: top.title } : null,
    };
  });
  siteRows.sort(
    (a, b) =>
      HEALTH_RANK[a.health] - HEALTH_RANK[b.health] ||
      b.openFindings.critical - a.openFindings.critical ||
      b.openFindings.warning - a.openFindings.warning ||
      offlineShare(b) - offlineShare(a) ||
      b.drops / Math.max(1, b.devices) - a.drops / Math.max(1, a.devices) ||
      a.slug.localeCompare(b.slug),
  );
  return {
    generatedAt: new Date(now).toISOString(),
    from: new Date(range.from).toISOString(),
    to: new Date(range.to).toISOString(),
    devices: { total: devices.length, online: onlineIds.size, offline: devices.length - onlineIds.size },
    findings: {
      open: findings.length,
      acknowledged,
      bySeverity,
      byKind: [...byKind.values()].filter((k) => k.total > 0).sort((a, b) => b.critical - a.critical || b.total - a.total),
    },
    sites: siteRows,
    drops,
    lastEventAt: devices.length ? new Date(lastSeen).toISOString() : null,
  };
}

const offlineShare = (s: FleetSite) => (s.devices ? (s.devices - s.online) / s.devices : 0);

/** By its worst open finding; half its devices offline is a warning too; quiet: no devices. */
function siteHealth(findings: Record<Severity, number>, devices: number, online: number): SiteHealth {
  if (findings.critical > 0) return "critical";
  if (findings.warning > 0 || (devices > 0 && online / devices < 0.5)) return "warning";
  return devices === 0 ? "quiet" : "ok";
}
