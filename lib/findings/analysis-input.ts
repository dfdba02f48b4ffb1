// What the detectors read: sessions and non-session evidence of the analysis window, and
// each device's latest sign of life — mapped from stored rows to lib/analysis's plain types.
import type { Db } from "@/lib/db/client";
import type { EventRecord, FleetInput, HeartbeatSummary, SessionRecord } from "@/lib/analysis/types";

export const DEFAULT_WINDOW_MS = 7 * 86_400_000;

export interface InputScope {
  /** only this site's data; all sites when absent */
  siteId?: number;
  from: number;
}

export async function loadAnalysisInput(db: Db, scope: InputScope): Promise<FleetInput> {
  const bySite = scope.siteId !== undefined ? { siteId: scope.siteId } : {};
  const from = new Date(scope.from);
  const [sites, devices, sessions, events] = await Promise.all([
    db.prisma.site.findMany({ select: { id: true, slug: true } }),
    db.prisma.device.findMany({
      where: bySite,
      select: { id: true, externalId: true, siteId: true, lastSeen: true, lastAt: true, skewed: true, heartbeatIntervalS: true, publicIp: true },
    }),
    db.prisma.session.findMany({
      where: { ...bySite, OR: [{ start: { gte: from } }, { end: { gte: from } }, { end: null }] },
      select: {
        deviceId: true,
        siteId: true,
        session: true,
        start: true,
        end: true,
        durationS: true,
        endReason: true,
        idleS: true,
        maxIdleS: true,
        errno: true,
        endpoint: true,
        publicIp: true,
      },
    }),
    db.prisma.event.findMany({
      where: { ...bySite, type: { in: ["tls", "connect_failed", "probe"] }, at: { gte: from } },
      select: { deviceId: true, siteId: true, type: true, at: true, data: true },
    }),
  ]);
  const slug = new Map(sites.map((s) => [s.id, s.slug]));
  const device = new Map(devices.map((d) => [d.id, d]));
  const siteOf = (id: number | null) => (id === null ? null : (slug.get(id) ?? null));

  const sessionRecords: SessionRecord[] = sessions.map((s) => ({
    device: device.get(s.deviceId)?.externalId ?? String(s.deviceId),
    site: siteOf(s.siteId),
    publicIp: s.publicIp ?? device.get(s.deviceId)?.publicIp ?? null,
    session: s.session,
    start: s.start.getTime(),
    end: s.end?.getTime() ?? null,
    durationS: s.durationS,
    endReason: s.endReason as SessionRecord["endReason"],
    idleS: s.idleS,
    maxIdleS: s.maxIdleS,
    errno: s.errno,
    endpoint: s.endpoint,
  }));

  const eventRecords: EventRecord[] = [];
  for (const e of events) {
    const d = device.get(e.deviceId);
    const data = JSON.parse(e.data) as Record<string, unknown>;
    eventRecords.push({
      ...data,
      type: e.type,
      device: d?.externalId ?? String(e.deviceId),
      site: siteOf(e.siteId),
      publicIp: (data.publicIp as string | undefined) ?? d?.publicIp ?? null,
      at: e.at.getTime(),
    } as EventRecord);
  }

  // Last sign of life on the device's clock, like every other time the detectors compare;
  // a device whose clock ran ahead (skewed) is judged by the server's receive time instead.
  const heartbeats: HeartbeatSummary[] = devices.map((d) => ({
    device: d.externalId,
    site: siteOf(d.siteId),
    lastHeartbeatAt: (d.skewed ? d.lastSeen : d.lastAt).getTime(),
    intervalS: d.heartbeatIntervalS,
  }));

  return { sessions: sessionRecords, events: eventRecords, heartbeats };
}
