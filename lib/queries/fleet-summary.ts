// "How big is the fleet and is anything connected?" — the numbers on the fleet page header.
import type { Db } from "@/lib/db/client";

export interface FleetSummary {
  sites: number;
  devices: number;
  openSessions: number;
  lastEventAt: Date | null;
}

export async function fleetSummary(db: Db): Promise<FleetSummary> {
  const [sites, devices, openSessions, last] = await Promise.all([
    db.prisma.site.count(),
    db.prisma.device.count(),
    db.prisma.session.count({ where: { end: null } }),
    db.prisma.device.findFirst({ orderBy: { lastSeen: "desc" }, select: { lastSeen: true } }),
  ]);
  return { sites, devices, openSessions, lastEventAt: last?.lastSeen ?? null };
}
