// "What is this device, is it connected, and which certificate chain did it see last?"
import type { DeviceDetail } from "@/lib/contract/dashboard";
import type { Db } from "@/lib/db/client";
import { isOnline } from "./online";
import { visibleTo } from "./scope";
import { tlsObservation, withFindingVerdicts } from "./tls-observation";

export async function deviceByExternalId(db: Db, externalId: string, visibleSite: string | undefined) {
  const device = await db.prisma.device.findUnique({ where: { externalId }, include: { site: { select: { slug: true } } } });
  if (!device || !visibleTo(device.site?.slug ?? null, visibleSite)) return null;
  // A caller confined to one site sees only what the device did there, not its history at
  // another site before it moved (events and sessions carry the site they happened at).
  const ownHistory: { siteId?: number } = visibleSite !== undefined && device.siteId !== null ? { siteId: device.siteId } : {};
  return { ...device, ownHistory };
}

export async function deviceDetail(db: Db, externalId: string, query: { site?: string }, now = Date.now()): Promise<DeviceDetail | null> {
  const device = await deviceByExternalId(db, externalId, query.site);
  if (!device) return null;
  const [openSession, openFindings, tls, moves] = await Promise.all([
    db.prisma.session.findFirst({ where: { deviceId: device.id, end: null }, select: { id: true } }),
    db.prisma.finding.count({ where: { deviceId: device.id, status: "open", ...device.ownHistory } }),
    db.prisma.event.findFirst({ where: { deviceId: device.id, type: "tls", ...device.ownHistory }, orderBy: { at: "desc" }, select: { at: true, data: true } }),
    deviceMoves(db, device.id, device.ownHistory.siteId),
  ]);
  return {
    id: device.externalId,
    site: device.site?.slug ?? null,
    firstSeen: device.firstSeen.toISOString(),
    lastSeen: device.lastSeen.toISOString(),
    online: isOnline(device, openSession !== null, now),
    sessionOpen: openSession !== null,
    publicIp: device.publicIp,
    heartbeatIntervalS: device.heartbeatIntervalS,
    skewed: device.skewed,
    openFindings,
    lastTls: tls ? (await withFindingVerdicts(db, device.siteId, [tlsObservation(tls)]))[0] : null,
    moves,
  };
}

/** The device's moves, newest first; for a caller confined to `ownSiteId`, other sites' names are hidden. */
async function deviceMoves(db: Db, deviceId: number, ownSiteId: number | undefined): Promise<DeviceDetail["moves"]> {
  const rows = await db.prisma.deviceSiteChange.findMany({ where: { deviceId }, orderBy: { at: "desc" }, take: 50 });
  if (!rows.length) return [];
  const siteIds = [...new Set(rows.flatMap((r) => [r.fromSiteId, r.toSiteId]).filter((id): id is number => id !== null))];
  const userIds = [...new Set(rows.map((r) => r.userId).filter((id): id is number => id !== null))];
  const [sites, users] = await Promise.all([
    db.prisma.site.findMany({ where: { id: { in: siteIds } }, select: { id: true, slug: true } }),
    db.prisma.user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } }),
  ]);
  const slug = new Map(sites.map((s) => [s.id, s.slug]));
  const email = new Map(users.map((u) => [u.id, u.email]));
  const name = (id: number | null) => (id === null || (ownSiteId !== undefined && id !== ownSiteId) ? null : (slug.get(id) ?? null));
  return rows.map((r) => ({
    at: r.at.toISOString(),
    from: name(r.fromSiteId),
    to: name(r.toSiteId),
    by: r.keyPrefix ? `key lsk_${r.keyPrefix}` : r.userId !== null ? `user ${email.get(r.userId) ?? `#${r.userId}`}` : "unknown",
  }));
}
