// "Which sites can a key or a share link be for?" — slugs and names for the settings forms.
import type { Db } from "@/lib/db/client";

export async function siteNames(db: Db, limit = 2000): Promise<Array<{ slug: string; name: string }>> {
  return db.prisma.site.findMany({ select: { slug: true, name: true }, orderBy: { slug: "asc" }, take: limit });
}
