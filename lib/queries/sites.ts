// "Which sites are there and how healthy are they?" (GET /api/v1/sites)
import type { Db } from "@/lib/db/client";
import type { Page, SiteItem } from "@/lib/contract/read";
import { decodeCursor, encodeCursor, InvalidCursorError } from "./cursor";
import { devicePresence } from "./online";

export async function listSites(db: Db, query: { site?: string; cursor?: string; limit: number }, now = Date.now()): Promise<Page<SiteItem>> {
  const after = query.cursor ? decodeCursor<[string]>(query.cursor, ["string"]) : null;
  if (query.cursor && !after) throw new InvalidCursorError();
  const sites = await db.prisma.site.findMany({
    where: { slug: { ...(query.site ? { equals: query.site } : {}), ...(after ? { gt: after[0] } : {}) } },
    orderBy: { slug: "asc" },
    take: query.limit + 1,
  });
  const pageSites = sites.slice(0, query.limit);
  const ids = pageSites.map((s) => s.id);
  const [devices, findings] = await Promise.all([
    devicePresence(db, now, ids),
    db.prisma.finding.groupBy({ by: ["siteId"], where: { siteId: { in: ids }, status: "open" }, _count: { _all: true } }),
  ]);
  const items = pageSites.map((site) => {
    const own = devices.filter((d) => d.siteId === site.id);
    return {
      slug: site.slug,
      name: site.name,
      devices: own.length,
      online: own.filter((d) => d.online).length,
      openFindings: findings.find((f) => f.siteId === site.id)?._count._all ?? 0,
    };
  });
  return { items, nextCursor: sites.length > query.limit ? encodeCursor([pageSites[pageSites.length - 1].slug]) : null };
}
