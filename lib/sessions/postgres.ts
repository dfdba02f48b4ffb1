// PostgreSQL statements of session derivation and the stale-session sweep (timestamptz(3)
// columns; times cross as epoch milliseconds).
import type pg from "pg";
import { SILENCE_FACTOR } from "@/lib/contract/liveness";
import { retriedOnConflict } from "@/lib/db/pg-retry";
import { pgMs as ms, pgTime as ts } from "@/lib/db/sql";
import { lifecycleFromRow, type LifecycleRow } from "./lifecycle-events";
import type { SessionRow } from "./materialize";
import type { SessionTx, StoredSession } from "./store";

const LIFECYCLE = `type IN ('connect','disconnect','heartbeat')`;

/** Session derivation's reads and writes on a client inside an open transaction. */
export function pgSessionTx(client: pg.PoolClient): SessionTx {
  const q = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) => (await client.query<R>(text, values)).rows;
  return {
    async latestSession(deviceId) {
      const rows = await q<StoredSession>(
        `SELECT l.session, ${ms("l.start")} AS start, ${ms(`l."end"`)} AS "end", l."endReason", ${ms(`l."lastLife"`)} AS "lastLife", l."intervalS",
           (SELECT count(*)::int FROM "Event" e WHERE e."deviceId" = $1 AND e.type = 'heartbeat' AND e.at > l."lastLife") AS "laterHeartbeats"
         FROM (SELECT session, start, "end", "endReason", "lastLife", "intervalS" FROM "Session" WHERE "deviceId" = $1
               ORDER BY start DESC, session DESC LIMIT 1) AS l`,
        [deviceId],
      );
      return rows[0] ?? null;
    },
    async sessionStarts(deviceId, sessions) {
      const rows = await q<{ start: number }>(
        `SELECT ${ms("start")} AS start FROM "Session" WHERE "deviceId" = $1 AND session = ANY($2::text[])`,
        [deviceId, sessions],
      );
      return rows.map((r) => r.start);
    },
    async sessionStartAtOrBefore(deviceId, t) {
      const rows = await q<{ start: number | null }>(
        `SELECT ${ms("max(start)")} AS start FROM "Session" WHERE "deviceId" = $1 AND opened AND start <= ${ts("$2")}`,
        [deviceId, t],
      );
      return rows[0]?.start ?? null;
    },
    async lifecycleEvents(deviceId, from) {
      const columns = `type, "eventId", ${ms("at")} AS at, session, "siteId", data`;
      const rows =
        from === null
          ? await q(`SELECT ${columns} FROM "Event" WHERE "deviceId" = $1 AND ${LIFECYCLE}`, [deviceId])
          : await q(
              `SELECT ${columns} FROM "Event" WHERE "deviceId" = $1 AND ${LIFECYCLE}
                 AND (at >= ${ts("$2")} OR (type = 'disconnect' AND session IN
                       (SELECT session FROM "Event" WHERE "deviceId" = $1 AND type = 'connect' AND at >= ${ts("$2")})))
                 AND (session IS NULL OR session NOT IN
                       (SELECT session FROM "Event" WHERE "deviceId" = $1 AND type = 'connect' AND at < ${ts("$2")}))`,
              [deviceId, from],
            );
      return rows.map((r) => lifecycleFromRow(r as LifecycleRow));
    },
    async replaceSessions(deviceId, from, rows) {
      const keep = rows.map((r) => r.session);
      if (from === null) await q(`DELETE FROM "Session" WHERE "deviceId" = $1 AND NOT (session = ANY($2::text[]))`, [deviceId, keep]);
      else
        await q(`DELETE FROM "Session" WHERE "deviceId" = $1 AND start >= ${ts("$2")} AND NOT (session = ANY($3::text[]))`, [
          deviceId,
          from,
          keep,
        ]);
      if (!rows.length) return;
      const col = <K extends keyof SessionRow>(k: K) => rows.map((r) => r[k]);
      await q(
        `INSERT INTO "Session" ("deviceId", "siteId", session, opened, start, "end", "durationS", "endReason", "idleS", "maxIdleS", errno, endpoint, transport, "publicIp", "lastLife", "intervalS")
         SELECT $1, s, ses, op, ${ts("st")}, ${ts("en")}, dur, er, idle, maxidle, errno, ep, tr, ip, ${ts("ll")}, iv
         FROM unnest($2::int[], $3::text[], $4::float8[], $5::float8[], $6::float8[], $7::text[], $8::float8[], $9::float8[], $10::text[], $11::text[], $12::text[], $13::text[], $14::float8[], $15::float8[], $16::bool[])
           AS t(s, ses, st, en, dur, er, idle, maxidle, errno, ep, tr, ip, ll, iv, op)
         ON CONFLICT ("deviceId", session) DO UPDATE SET "siteId" = excluded."siteId", opened = excluded.opened, start = excluded.start, "end" = excluded."end",
           "durationS" = excluded."durationS", "endReason" = excluded."endReason", "idleS" = excluded."idleS", "maxIdleS" = excluded."maxIdleS",
           errno = excluded.errno, endpoint = excluded.endpoint, transport = excluded.transport, "publicIp" = excluded."publicIp",
           "lastLife" = excluded."lastLife", "intervalS" = excluded."intervalS"`,
        [
          deviceId,
          col("siteId"),
          col("session"),
          col("start"),
          col("end"),
          col("durationS"),
          col("endReason"),
          col("idleS"),
          col("maxIdleS"),
          col("errno"),
          col("endpoint"),
          col("transport"),
          col("publicIp"),
          col("lastLife"),
          col("intervalS"),
          col("opened"),
        ],
      );
    },
    async updateSessionLife(deviceId, session, life) {
      await q(
        `UPDATE "Session" SET "lastLife" = ${ts("$1")}, "intervalS" = $2, "end" = ${ts("$3")}, "durationS" = $4, "endReason" = $5
         WHERE "deviceId" = $6 AND session = $7`,
        [life.lastLife, life.intervalS, life.end, life.durationS, life.endReason, deviceId, session],
      );
    },
  };
}

/** Closes, as `inferred` at their last sign of life, open sessions silent too long by `now` (the factor of lib/contract/liveness.ts). */
export async function pgCloseStaleSessions(pool: pg.Pool, now: number): Promise<number> {
  const result = await retriedOnConflict(() =>
    pool.query(
      `UPDATE "Session" SET "end" = "lastLife", "endReason" = 'inferred',
         "durationS" = extract(epoch from ("lastLife" - start))::float8
       WHERE "end" IS NULL AND "intervalS" IS NOT NULL AND "lastLife" < ${ts("$1")} - make_interval(secs => $2 * "intervalS")`,
      [now, SILENCE_FACTOR],
    ),
  );
  return result.rowCount ?? 0;
}
