// What the detectors read: sessions and non-session evidence of the analysis window, and
// each device's latest sign of life — mapped from stored rows to lib/analysis's plain types.
import { lastSignOfLife } from "@/lib/contract/liveness";
import { eventData } from "@/lib/contract/stored-event";
import type { Db } from "@/lib/db/client";
import type { EventRecord, FleetInput, HeartbeatSummary, SessionRecord } from "@/lib/analysis/types";
import { msOf, sqlRows, timeParam } from "@/lib/db/sql";


export interface InputScope {
  /** only this site's data; all sites when absent */
  siteId?: number;
  from: number;
}

export async function loadAnalysisInput(db: Db, scope: InputScope): Promise<FleetInput> {
  const bySite = scope.siteId !== undefined ? { siteId: scope.siteId } : {};
  const [sites, devices, sessions, events] = await Promise.all([
    db.prisma.site.findMany({ select: { id: true, slug: true } }),
    db.prisma.device.findMany({
      where: bySite,
      select: { id: true, externalId: true, siteId: true, lastSeen: true, lastAt: true, skewed: true, heartbeatIntervalS: true, publicIp: true },
    }),
    windowSessions(db, scope),
    windowEvidence(db, scope),
  ]);
  const slug = new Map(sites.map((s) => [s.id, s.slug]));
  const device = new Map(devices.map((d) => [d.id, d]));
  const siteOf = (id: number | null) => (id === null ? null : (slug.get(id) ?? null));

  const sessionRecords: SessionRecord[] = sessions.map((s) => ({
    device: device.get(s.deviceId)?.externalId ?? String(s.deviceId),
    site: siteOf(s.siteId),
    publicIp: s.publicIp ?? device.get(s.deviceId)?.publicIp ?? null,
    session: s.session,
    start: Number(s.start),
    end: s.end === null ? null : Number(s.end),
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
    const data = eventData(e.type, e.data);
    eventRecords.push({
      ...data,
      type: e.type,
      device: d?.externalId ?? String(e.deviceId),
      site: siteOf(e.siteId),
      publicIp: data.publicIp ?? d?.publicIp ?? null,
      at: Number(e.at),
    } as EventRecord);
  }

  // Last sign of life on the device's clock, like every other time the detectors compare;
  // a device whose clock ran ahead (skewed) is judged by the server's receive time instead.
  const heartbeats: HeartbeatSummary[] = devices.map((d) => ({
    device: d.externalId,
    site: siteOf(d.siteId),
    lastHeartbeatAt: lastSignOfLife({ lastAt: d.lastAt.getTime(), lastSeen: d.lastSeen.getTime(), skewed: d.skewed }),
    intervalS: d.heartbeatIntervalS,
  }));

  return { sessions: sessionRecords, events: eventRecords, heartbeats };
}

interface SessionColumns {
  deviceId: number;
  siteId: number | null;
  session: string;
  start: number;
  end: number | null;
  durationS: number | null;
  endReason: string | null;
  idleS: number | null;
  maxIdleS: number | null;
  errno: string | null;
  endpoint: string | null;
  publicIp: string | null;
}

/**
 * Sessions that started, ended or are open in the window: a fleet's week is about a million
 * rows, read without Prisma's per-row cost (lib/queries/sql.ts).
 */
function windowSessions(db: Db, scope: InputScope): Promise<SessionColumns[]> {
  const t = timeParam(db);
  const site = scope.siteId !== undefined ? `"siteId" = ? AND ` : "";
  return sqlRows<SessionColumns>(
    db,
    `SELECT "deviceId", "siteId", "session", ${msOf(db, `"start"`)} AS "start", ${msOf(db, `"end"`)} AS "end", "durationS", "endReason",
            "idleS", "maxIdleS", "errno", "endpoint", "publicIp"
     FROM "Session" WHERE ${site}("start" >= ${t} OR "end" >= ${t} OR "end" IS NULL)`,
    [...(scope.siteId !== undefined ? [scope.siteId] : []), scope.from, scope.from],
  );
}

/** Non-session evidence of the window: TLS chains, failed attempts, probe results. */
function windowEvidence(db: Db, scope: InputScope) {
  const site = scope.siteId !== undefined ? `"siteId" = ? AND ` : "";
  return sqlRows<{ deviceId: number; siteId: number | null; type: EventRecord["type"]; at: number; data: string }>(
    db,
    `SELECT "deviceId", "siteId", "type", ${msOf(db, `"at"`)} AS "at", "data" FROM "Event"
     WHERE ${site}"type" IN ('tls', 'connect_failed', 'probe') AND "at" >= ${timeParam(db)}`,
    [...(scope.siteId !== undefined ? [scope.siteId] : []), scope.from],
  );
}
