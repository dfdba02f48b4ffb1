// "What is this device, is it connected, and which certificate chain did it see last?"
import type { DeviceDetail } from "@/lib/contract/dashboard";
import type { Db } from "@/lib/db/client";
import { isOnline } from "./online";
import { visibleTo } from "./scope";
import { tlsObservation } from "./tls-observation";

export async function deviceByExternalId(db: Db, externalId: string, visibleSite: string | undefined) {
  const device = await db.prisma.device.findUnique({ where: { externalId }, include: { site: { select: { slug: true } } } });
  if (!device || !visibleTo(device.site?.slug ?? null, visibleSite)) return null;
  return device;
}

export async function deviceDetail(db: Db, externalId: string, query: { site?: string }, now = Date.now()): Promise<DeviceDetail | null> {
  const device = await deviceByExternalId(db, externalId, query.site);
  if (!device) return null;
  const [openSession, openFindings, tls] = await Promise.all([
    db.prisma.session.findFirst({ where: { deviceId: device.id, end: null }, select: { id: true } }),
    db.prisma.finding.count({ where: { deviceId: device.id, status: "open" } }),
    db.prisma.event.findFirst({ where: { deviceId: device.id, type: "tls" }, orderBy: { at: "desc" }, select: { at: true, data: true } }),
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
    lastTls: tls ? tlsObservation(tls) : null,
  };
}
