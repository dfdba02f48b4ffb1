// Moving a device to another site by hand (an operator or admin; PATCH /api/v1/devices/{id}).
// Ingest moves devices too, for fleet-wide keys (lib/ingest/store.ts); both write the record
// of the move, and site-scoped keys can do neither.
import type { Outcome } from "@/lib/contract/outcome";
import type { Db } from "@/lib/db/client";

export async function moveDevice(
  db: Db,
  externalId: string,
  siteSlug: string,
  by: { userId: number | null },
  now = new Date(),
): Promise<Outcome<{ device: string; site: string; moved: boolean }>> {
  return db.prisma.$transaction(async (tx) => {
    const [device, site] = await Promise.all([
      tx.device.findUnique({ where: { externalId }, select: { id: true, siteId: true } }),
      tx.site.findUnique({ where: { slug: siteSlug }, select: { id: true } }),
    ]);
    if (!device) return { notFound: `No device "${externalId}".` };
    if (!site) return { notFound: `No site "${siteSlug}": a site exists once it has sent events.` };
    if (device.siteId === site.id) return { ok: { device: externalId, site: siteSlug, moved: false } };
    await tx.device.update({ where: { id: device.id }, data: { siteId: site.id } });
    await tx.deviceSiteChange.create({ data: { deviceId: device.id, fromSiteId: device.siteId, toSiteId: site.id, at: now, userId: by.userId } });
    return { ok: { device: externalId, site: siteSlug, moved: true } };
  });
}
