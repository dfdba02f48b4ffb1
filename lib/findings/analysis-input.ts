// What the detectors read besides the digest (lib/findings/digest-store.ts): recent sessions,
// the sessions the window pass asks for, non-session evidence, each scope's last successful
// connection and each device's latest sign of life — mapped from stored rows to lib/analysis's
// plain types. Reads go through plain SQL: a fleet's day is hundreds of thousands of rows.
import { lastSignOfLife } from "@/lib/contract/liveness";
import { eventData } from "@/lib/contract/stored-event";
import type { Db } from "@/lib/db/client";
import type { SessionNeeds } from "@/lib/analysis/analyzeFleet";
import { parseScopeId, scopeId, type LastStarts } from "@/lib/analysis/scopes";
import type { EndReason, EventRecord, HeartbeatSummary, SessionRecord } from "@/lib/analysis/types";
import { msOf, placeholders, sqlArrays, sqlRows, timeParam } from "@/lib/db/sql";
import type { NameIndex, Names } from "./digest-store";

/** Only this site's data (all sites when absent). */
export interface InputScope {
  siteId?: number;
}

type SessionColumns = [deviceId: number, siteId: number | null, session: string, start: number, end: number | null, durationS: number | null, endReason: string | null, idleS: number | null, maxIdleS: number | null, errno: string | null, endpoint: string | null, publicIp: string | null];

const SESSION_COLUMNS = (db: Db) =>
  `"deviceId", "siteId", "session", ${msOf(db, `"start"`)}, ${msOf(db, `"end"`)}, "durationS", "endReason", "idleS", "maxIdleS", "errno", "endpoint", "publicIp"`;

/** A stored session as the detectors see it: its own egress address, as the digest counts it. */
function sessionRecord(r: SessionColumns, names: Names): SessionRecord {
  return {
    device: names.device(r[0]),
    site: r[1] === null ? null : names.site(r[1]),
    publicIp: r[11],
    session: r[2],
    start: Number(r[3]),
    end: r[4] === null ? null : Number(r[4]),
    durationS: r[5],
    endReason: r[6] as EndReason | null,
    idleS: r[7],
    maxIdleS: r[8],
    errno: r[9],
    endpoint: r[10],
  };
}

const siteFilter = (scope: InputScope) => (scope.siteId !== undefined ? { sql: `"siteId" = ? AND `, params: [scope.siteId] } : { sql: "", params: [] });

/**
 * Sessions open in, started in or ended in the span from `from` on: those ended since or still
 * open (a session never ends before it starts). Each half seeks an index on "end", so the read
 * costs the span, not the 90 days of sessions kept (one OR with a term on "start" made it a
 * scan of them). In device and start order, whichever index answered.
 */
export async function recentSessions(db: Db, scope: InputScope, from: number, names: Names): Promise<SessionRecord[]> {
  const site = siteFilter(scope);
  const half = (end: string) => `SELECT ${SESSION_COLUMNS(db)} FROM "Session" WHERE ${site.sql}${end}`;
  const rows = await sqlArrays<SessionColumns>(
    db,
    `${half(`"end" >= ${timeParam(db)}`)} UNION ALL ${half(`"end" IS NULL`)}`,
    [...site.params, from, ...site.params],
  );
  // Sorted here: an ORDER BY in the query lets SQLite answer it with a scan in index order.
  rows.sort((a, b) => a[0] - b[0] || Number(a[3]) - Number(b[3]) || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0));
  return rows.map((r) => sessionRecord(r, names));
}

/** The window's sessions that answer the window pass's needs (lib/analysis/analyzeFleet.ts). */
export async function neededSessions(db: Db, needs: SessionNeeds, from: number, names: NameIndex): Promise<SessionRecord[]> {
  const t = timeParam(db);
  const out = new Map<string, SessionRecord>();
  const read = async (where: string, params: unknown[]) => {
    const rows = await sqlArrays<SessionColumns>(db, `SELECT ${SESSION_COLUMNS(db)} FROM "Session" WHERE "end" >= ${t} AND (${where})`, [from, ...params]);
    for (const r of rows) out.set(`${r[0]}\u0000${r[2]}`, sessionRecord(r, names));
  };
  const ownScope = (id: string): { sql: string; params: unknown[] } | null => {
    const { scope, key } = parseScopeId(id);
    if (scope === "site") {
      const siteId = names.siteIdOf(key);
      return siteId === undefined ? null : { sql: `"siteId" = ?`, params: [siteId] };
    }
    if (scope === "publicIp") return { sql: `"siteId" IS NULL AND "publicIp" = ?`, params: [key] };
    const deviceId = names.deviceIdOf(key);
    return deviceId === undefined ? null : { sql: `"siteId" IS NULL AND "publicIp" IS NULL AND "deviceId" = ?`, params: [deviceId] };
  };
  const devices = [...needs.devices].map((d) => names.deviceIdOf(d)).filter((id): id is number => id !== undefined);
  for (let i = 0; i < devices.length; i += 500) {
    const part = devices.slice(i, i + 500);
    await read(`"deviceId" IN (${placeholders(part.length)})`, part);
  }
  for (const id of needs.scopes) {
    const own = ownScope(id);
    if (own) await read(own.sql, own.params);
  }
  for (const [id, spans] of needs.spans) {
    const own = ownScope(id);
    if (!own) continue;
    for (const [a, b] of spans) await read(`${own.sql} AND "end" >= ${t} AND "end" <= ${t}`, [...own.params, a, b]);
  }
  return [...out.values()];
}

/** Non-session evidence from `from` on: TLS chains, failed attempts, probe results. */
export async function evidenceEvents(
  db: Db,
  scope: InputScope,
  from: number,
  names: Names,
  devicePublicIp: (deviceId: number) => string | null,
  types: readonly EventRecord["type"][] = ["tls", "connect_failed", "probe"],
): Promise<EventRecord[]> {
  const site = siteFilter(scope);
  // Fleet-wide, the sites are named so that the (siteId, type, at) index seeks each site's
  // recent events: without a term on siteId the read was a scan of every raw event kept.
  const where = site.sql || `("siteId" IN (SELECT "id" FROM "Site") OR "siteId" IS NULL) AND `;
  const rows = await sqlArrays<[number, number | null, EventRecord["type"], number, string]>(
    db,
    `SELECT "deviceId", "siteId", "type", ${msOf(db, `"at"`)}, "data" FROM "Event"
     WHERE ${where}"type" IN (${placeholders(types.length)}) AND "at" >= ${timeParam(db)}${site.sql ? "" : ` ORDER BY "id"`}`,
    [...site.params, ...types, from],
  );
  return rows.map(([deviceId, siteId, type, at, text]) => {
    const data = eventData(type, text);
    return {
      ...data,
      type,
      device: names.device(deviceId),
      site: siteId === null ? null : names.site(siteId),
      publicIp: data.publicIp ?? devicePublicIp(deviceId),
      at: Number(at),
    } as EventRecord;
  });
}

/** The latest session start per endpoint of the scopes these failures come from (port and proxy blocks). */
export async function lastStartsFor(db: Db, events: readonly EventRecord[], from: number, names: NameIndex): Promise<LastStarts> {
  const scopes = new Set(events.filter((e) => e.type === "connect_failed").map((e) => scopeId(e)));
  const out = new Map<string, Map<string | null, number>>();
  for (const id of scopes) {
    const { scope, key } = parseScopeId(id);
    let where: string;
    let params: unknown[];
    if (scope === "site") [where, params] = [`"siteId" = ?`, [names.siteIdOf(key) ?? -1]];
    else if (scope === "publicIp") [where, params] = [`"siteId" IS NULL AND "publicIp" = ?`, [key]];
    else [where, params] = [`"siteId" IS NULL AND "publicIp" IS NULL AND "deviceId" = ?`, [names.deviceIdOf(key) ?? -1]];
    const rows = await sqlArrays<[string | null, number]>(
      db,
      `SELECT "endpoint", MAX(${msOf(db, `"start"`)}) FROM "Session" WHERE ${where} AND "start" >= ${timeParam(db)} GROUP BY "endpoint"`,
      [...params, from],
    );
    out.set(id, new Map(rows.map(([endpoint, start]) => [endpoint, Number(start)])));
  }
  return out;
}

/** Each device's latest sign of life on its own clock (a skewed one by the server's receive time). */
export async function heartbeatSummaries(db: Db, scope: InputScope, names: Names): Promise<{ heartbeats: HeartbeatSummary[]; publicIp: Map<number, string | null> }> {
  const site = siteFilter(scope);
  const rows = await sqlRows<{ id: number; siteId: number | null; lastSeen: number; lastAt: number; skewed: number | boolean; heartbeatIntervalS: number | null; publicIp: string | null }>(
    db,
    `SELECT "id", "siteId", ${msOf(db, `"lastSeen"`)} AS "lastSeen", ${msOf(db, `"lastAt"`)} AS "lastAt", "skewed", "heartbeatIntervalS", "publicIp"
     FROM "Device" ${site.sql ? `WHERE "siteId" = ?` : ""}`,
    site.params,
  );
  return {
    heartbeats: rows.map((d) => ({
      device: names.device(d.id),
      site: d.siteId === null ? null : names.site(d.siteId),
      lastHeartbeatAt: lastSignOfLife({ lastAt: Number(d.lastAt), lastSeen: Number(d.lastSeen), skewed: Boolean(d.skewed) }),
      intervalS: d.heartbeatIntervalS,
    })),
    publicIp: new Map(rows.map((d) => [d.id, d.publicIp])),
  };
}

/** Devices seen since `from`, fleet-wide: the per-device false-alarm budget is split among them. */
export async function devicesSeenSince(db: Db, from: number): Promise<number> {
  const [row] = await sqlArrays<[number]>(db, `SELECT COUNT(*) FROM "Device" WHERE "lastAt" >= ${timeParam(db)}`, [from]);
  return Number(row?.[0] ?? 0);
}
