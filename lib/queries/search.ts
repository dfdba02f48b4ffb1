// "Take me to that site or device" — the fleet page's search box: sites whose slug or name,
// and devices whose id, contain the text; exact matches first.
import type { SearchResult } from "@/lib/contract/dashboard";
import type { Db } from "@/lib/db/client";

export async function searchFleet(db: Db, query: { q: string; site?: string; limit: number }): Promise<SearchResult> {
  const q = query.q;
  const [sites, devices] = await Promise.all([
    db.prisma.site.findMany({
      where: { OR: [{ slug: { contains: q } }, { name: { contains: q } }], ...(query.site ? { slug: query.site } : {}) },
      select: { slug: true, name: true },
      orderBy: { slug: "asc" },
      take: query.limit,
    }),
    db.prisma.device.findMany({
      where: { externalId: { contains: q }, ...(query.site ? { site: { slug: query.site } } : {}) },
      select: { externalId: true, site: { select: { slug: true } } },
      orderBy: { externalId: "asc" },
      take: query.limit,
    }),
  ]);
  const exactFirst = <T extends { id: string }>(items: T[]) => items.sort((a, b) => Number(b.id === q) - Number(a.id === q));
  const items = [
    ...exactFirst(sites.map((s) => ({ type: "site" as const, id: s.slug, label: s.name === s.slug ? s.slug : `${s.name} (${s.slug})`, site: s.slug }))),
    ...exactFirst(devices.map((d) => ({ type: "device" as const, id: d.externalId, label: d.externalId, site: d.site?.slug ?? null }))),
  ];
  return { items: items.slice(0, query.limit) };
}
