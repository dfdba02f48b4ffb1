// SQLite statements of session derivation and the stale-session sweep. Times are integer
// milliseconds, as Prisma's adapter stores them (timestampFormat "unixepoch-ms").
import type Database from "better-sqlite3";
import { SILENCE_FACTOR } from "@/lib/contract/liveness";
import { sqliteBackgroundTransaction } from "@/lib/db/write-queue";
import { lifecycleFromRow, type LifecycleRow } from "./lifecycle-events";
import type { SessionRow } from "./materialize";
import type { SessionTx, StoredSession } from "./store";

const LIFECYCLE = "type IN ('connect','disconnect','heartbeat')";
const prepared = new WeakMap<Database.Database, ReturnType<typeof prepare>>();

function prepare(db: Database.Database) {
  return {
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
    // The rule of lib/contract/liveness.ts with its factor passed in: silent for more than factor × interval.
    closeStale: db.prepare(
      `UPDATE Session SET "end" = lastLife, endReason = 'inferred', durationS = (lastLife - start) / 1000.0
       WHERE "end" IS NULL AND intervalS IS NOT NULL AND lastLife < @now - @factor * 1000 * intervalS`,
    ),
  };
}

function statements(db: Database.Database) {
  let s = prepared.get(db);
  if (!s) prepared.set(db, (s = prepare(db)));
  return s;
}

/** Session derivation's reads and writes, for use inside an open write transaction on `db`. */
export function sqliteSessionTx(db: Database.Database): SessionTx {
  const s = statements(db);
  return {
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
      const rows = (from === null ? s.eventsAll.all(deviceId) : s.eventsFrom.all({ d: deviceId, from })) as LifecycleRow[];
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
}

/** Closes, as `inferred` at their last sign of life, open sessions silent too long by `now`. */
export function sqliteCloseStaleSessions(db: Database.Database, now: number): Promise<number> {
  return sqliteBackgroundTransaction(db, async () => statements(db).closeStale.run({ now, factor: SILENCE_FACTOR }).changes);
}

function sessionParams(deviceId: number, r: SessionRow) {
  return { deviceId, ...r, opened: r.opened ? 1 : 0 };
}
