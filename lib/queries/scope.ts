// Lookups shared by the dashboard's read models: a site or device by its public name, and
// whether a site-confined caller may see it.
import type { Db } from "@/lib/db/client";

export interface SiteRow {
  id: number;
  slug: string;
  name: string;
}

export async function siteBySlug(db: Db, slug: string): Promise<SiteRow | null> {
  return db.prisma.site.findUnique({ where: { slug }, select: { id: true, slug: true, name: true } });
}

/**
 * Sessions and events are counted by where they happened: the site, or the device (`atSite`:
 * only what it did at that site, e.g. a finding's evidence after the device moved).
 */
export type DataScope = { siteId: number } | { deviceId: number; atSite?: number } | "fleet";

export function scopeWhere(scope: DataScope): { siteId?: number; deviceId?: number } {
  if (scope === "fleet") return {};
  if ("siteId" in scope) return scope;
  return { deviceId: scope.deviceId, ...(scope.atSite !== undefined ? { siteId: scope.atSite } : {}) };
}

/** A caller confined to `visibleSite` sees only what belongs to that site. */
export function visibleTo(siteSlug: string | null, visibleSite: string | undefined): boolean {
  return visibleSite === undefined || siteSlug === visibleSite;
}
