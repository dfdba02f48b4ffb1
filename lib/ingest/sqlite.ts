// SQLite implementation of the ingest storage: prepared better-sqlite3 statements in one
// IMMEDIATE transaction per batch. Times are integer milliseconds, as Prisma's adapter
// stores them (timestampFormat "unixepoch-ms").
import type Database from "better-sqlite3";
import type { SessionRow } from "@/lib/sessions/materialize";
import { lifecycleFromRow, type DeviceRef, type IngestStorage, type IngestTx, type StoredSession } from "./storage";

const LIFECYCLE = "type IN ('connect','disconnect','heartbeat')";

export function sqliteIngestStorage(db: Database.Database): IngestStorage {
  const s = {
    siteIds: db.prepare<[string]>(`SELECT id, slug FROM Site WHERE slug IN (SELECT value FROM json_each(?))`),
    createSite: db.prepare(`INSERT INTO Site (slug, name, createdAt) VALUES (?, ?, ?) ON CONFLICT(slug) DO NOTHING`),
    devices: db.prepare<[string]>(`SELECT id, externalId, siteId FROM Device WHERE externalId IN (SELECT value FROM json_each(?))`),
    createDevice: db.prepare(
      `INSERT INTO Device (externalId, siteId, firstSeen, lastSeen, lastAt, skewed) VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT(externalId) DO NOTHING`,
    ),
    updateDevice: db.prepare(
      `UPDATE Device SET siteId = COALESCE(?, siteId), lastSeen = MAX(lastSeen, ?), lastAt = MAX(lastAt, ?),
         publicIp = COALESCE(?, publicIp), heartbeatIntervalS = COALESCE(?, heartbeatIntervalS), skewed = MAX(skewed, ?) WHERE id = ?`,
    ),
    insertEvent: db.prepare(
      `INSERT INTO Event (deviceId, eventId, siteId, type, at, receivedAt, skewed, session, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(deviceId, eventId) DO NOTHING`,
    ),
    latestSession: db.prepare(
      `SELECT l.*, (SELECT COUNT(*) FROM Event WHERE deviceId = @d AND type = 'heartbeat' AND at > l.lastLife) AS laterHeartbeats
       FROM (SELECT session, start, "end", endReason, lastLife, intervalS FROM Session WHERE deviceId = @d ORDER BY start DESC, session DESC LIMIT 1) AS l`,
    ),
    sessionStarts: db.prepare(`SELECT start FROM Session WHERE deviceId = ? AND session IN (SELECT value FROM json_each(?))`),
    startAtOrBefore: db.prepare(`SELECT MAX(start) AS start FROM Session WHERE deviceId = ? AND opened = 1 AND start <= ?`),
    eventsAll: db.prepare(`SELECT type, eventId, at, session, siteId, data FROM Event WHERE deviceId = ? AND ${LIFECYCLE}`),
    // Two index ranges instead of one OR: the device's lifecycle events since `from`, and the
    // (rare) disconnects dated before it whose session connected since.
    eventsFrom: db.prepare(
      `WITH before AS (SELECT session FROM Event WHERE deviceId = @d AND type = 'connect' AND at < @from),
            since AS (SELECT session FROM Event WHERE deviceId = @d AND type = 'connect' AND at >= @from)
       SELECT type, eventId, at, session, siteId, data FROM Event
        WHERE deviceId = @d AND ${LIFECYCLE} AND at >= @from AND (session IS NULL OR session NOT IN before)
       UNION ALL
       SELECT type, eventId, at, session, siteId, data FROM Event
        WHERE deviceId = @d AND type = 'disconnect' AND at < @from AND session IN since AND session NOT IN before`,
    ),
    deleteAll: db.prepare(`DELETE FROM Session WHERE deviceId = ? AND session NOT IN (SELECT value FROM json_each(?))`),
    deleteFrom: db.prepare(`DELETE FROM Session WHERE deviceId = ? AND start >= ? AND session NOT IN (SELECT value FROM json_each(?))`),
    upsertSession: db.prepare(
      `INSERT INTO Session (deviceId, siteId, session, opened, start, "end", durationS, endReason, idleS, maxIdleS, errno, endpoint, transport, publicIp, lastLife, intervalS)
       VALUES (@deviceId, @siteId, @session, @opened, @start, @end, @durationS, @endReason, @idleS, @maxIdleS, @errno, @endpoint, @transport, @publicIp, @lastLife, @intervalS)
       ON CONFLICT(deviceId, session) DO UPDATE SET siteId = excluded.siteId, opened = excluded.opened, start = excluded.start, "end" = excluded."end",
         durationS = excluded.durationS, endReason = excluded.endReason, idleS = excluded.idleS, maxIdleS = excluded.maxIdleS,
         errno = excluded.errno, endpoint = excluded.endpoint, transport = excluded.transport, publicIp = excluded.publicIp,
         lastLife = excluded.lastLife, intervalS = excluded.intervalS`,
    ),
    updateSessionLife: db.prepare(
      `UPDATE Session SET lastLife = @lastLife, intervalS = @intervalS, "end" = @end, durationS = @durationS, endReason = @endReason
       WHERE deviceId = @deviceId AND session = @session`,
    ),
    closeStale: db.prepare(
      `UPDATE Session SET "end" = lastLife, endReason = 'inferred', durationS = (lastLife - start) / 1000.0
       WHERE "end" IS NULL AND intervalS IS NOT NULL AND lastLife < @now - 2000 * intervalS`,
    ),
  };

  type Row = { type: string; eventId: string; at: number; session: string | null; siteId: number | null; data: string };

  const tx: IngestTx = {
    async siteIds(slugs) {
      const now = Date.now();
      for (const slug of slugs) s.createSite.run(slug, slug, now);
      const rows = s.siteIds.all(JSON.stringify(slugs)) as Array<{ id: number; slug: string }>;
      return new Map(rows.map((r) => [r.slug, r.id]));
    },
    async devices(externalIds) {
      const rows = s.devices.all(JSON.stringify(externalIds)) as Array<DeviceRef & { externalId: string }>;
      return new Map(rows.map((r) => [r.externalId, { id: r.id, siteId: r.siteId }]));
    },
    async createDevices(devices) {
      for (const d of devices) s.createDevice.run(d.externalId, d.siteId, d.firstSeen, d.firstSeen, d.lastAt);
    },
    async updateDevices(updates) {
      for (const u of updates) {
        s.updateDevice.run(u.siteId, u.lastSeen, u.lastAt, u.publicIp, u.heartbeatIntervalS, u.skewed ? 1 : 0, u.id);
      }
    },
    async insertEvents(rows) {
      return rows.map(
        (r) =>
          s.insertEvent.run(r.deviceId, r.eventId, r.siteId, r.type, r.at, r.receivedAt, r.skewed ? 1 : 0, r.session, r.data)
            .changes === 1,
      );
    },
    async latestSession(deviceId) {
      return (s.latestSession.get({ d: deviceId }) as StoredSession | undefined) ?? null;
    },
    async sessionStarts(deviceId, sessions) {
      return (s.sessionStarts.all(deviceId, JSON.stringify(sessions)) as Array<{ start: number }>).map((r) => r.start);
    },
    async sessionStartAtOrBefore(deviceId, t) {
      return (s.startAtOrBefore.get(deviceId, t) as { start: number | null }).start;
    },
    async lifecycleEvents(deviceId, from) {
      const rows = (from === null ? s.eventsAll.all(deviceId) : s.eventsFrom.all({ d: deviceId, from })) as Row[];
      return rows.map(lifecycleFromRow);
    },
    async replaceSessions(deviceId, from, rows) {
      const keep = JSON.stringify(rows.map((r) => r.session));
      if (from === null) s.deleteAll.run(deviceId, keep);
      else s.deleteFrom.run(deviceId, from, keep);
      for (const r of rows) s.upsertSession.run(sessionParams(deviceId, r));
    },
    async updateSessionLife(deviceId, session, life) {
      s.updateSessionLife.run({ deviceId, session, ...life });
    },
  };

  // better-sqlite3 is synchronous, but the shared ingest code awaits between steps: a
  // queue keeps a second batch from interleaving its statements into an open transaction.
  let queue: Promise<unknown> = Promise.resolve();
  const queued = <T>(job: () => Promise<T>): Promise<T> => {
    const result = queue.then(job, job);
    queue = result.catch(() => undefined);
    return result;
  };
  return {
    async closeStaleSessions(now) {
      return queued(async () => s.closeStale.run({ now }).changes);
    },
    transaction<T>(fn: (tx: IngestTx) => Promise<T>): Promise<T> {
      const run = async () => {
        db.exec("BEGIN IMMEDIATE");
        try {
          const result = await fn(tx);
          db.exec("COMMIT");
          return result;
        } catch (error) {
          if (db.inTransaction) db.exec("ROLLBACK");
          throw error;
        }
      };
      return queued(run);
    },
  };
}

function sessionParams(deviceId: number, r: SessionRow) {
  return { deviceId, ...r, opened: r.opened ? 1 : 0 };
}
