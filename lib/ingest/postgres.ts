// PostgreSQL implementation of the ingest storage: one pooled connection per batch,
// set-based statements (unnest) where a batch has many rows. Devices are locked in a
// fixed order (externalId) so two batches touching the same devices cannot deadlock and
// cannot interleave their session re-derivations.
import type pg from "pg";
import type { SessionRow } from "@/lib/sessions/materialize";
import { lifecycleFromRow, type DeviceRef, type IngestStorage, type IngestTx, type StoredSession } from "./storage";

const LIFECYCLE = `type IN ('connect','disconnect','heartbeat')`;
const ms = (column: string) => `(extract(epoch from ${column}) * 1000)::float8`;
const ts = (param: string) => `to_timestamp(${param}::float8 / 1000)`;

function pgTx(client: pg.PoolClient): IngestTx {
  const q = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) => (await client.query<R>(text, values)).rows;
  return {
    async siteIds(slugs) {
      await q(
        `INSERT INTO "Site" (slug, name, "createdAt") SELECT s, s, now() FROM unnest($1::text[]) AS s ORDER BY s ON CONFLICT (slug) DO NOTHING`,
        [slugs],
      );
      const rows = await q<{ id: number; slug: string }>(`SELECT id, slug FROM "Site" WHERE slug = ANY($1::text[])`, [slugs]);
      return new Map(rows.map((r) => [r.slug, r.id]));
    },
    async devices(externalIds) {
      const rows = await q<DeviceRef & { externalId: string }>(
        `SELECT id, "externalId", "siteId" FROM "Device" WHERE "externalId" = ANY($1::text[]) ORDER BY "externalId" FOR UPDATE`,
        [externalIds],
      );
      return new Map(rows.map((r) => [r.externalId, { id: r.id, siteId: r.siteId }]));
    },
    async createDevices(devices) {
      const sorted = [...devices].sort((a, b) => (a.externalId < b.externalId ? -1 : 1));
      await q(
        `INSERT INTO "Device" ("externalId", "siteId", "firstSeen", "lastSeen", "lastAt", skewed)
         SELECT e, s, ${ts("f")}, ${ts("f")}, ${ts("l")}, false FROM unnest($1::text[], $2::int[], $3::float8[], $4::float8[]) AS t(e, s, f, l)
         ON CONFLICT ("externalId") DO NOTHING`,
        [sorted.map((d) => d.externalId), sorted.map((d) => d.siteId), sorted.map((d) => d.firstSeen), sorted.map((d) => d.lastAt)],
      );
    },
    async updateDevices(updates) {
      await q(
        `UPDATE "Device" d SET "siteId" = COALESCE(u.s, d."siteId"), "lastSeen" = GREATEST(d."lastSeen", ${ts("u.seen")}),
           "lastAt" = GREATEST(d."lastAt", ${ts("u.at")}), "publicIp" = COALESCE(u.ip, d."publicIp"),
           "heartbeatIntervalS" = COALESCE(u.iv, d."heartbeatIntervalS"), skewed = d.skewed OR u.sk
         FROM unnest($1::int[], $2::int[], $3::float8[], $4::float8[], $5::text[], $6::float8[], $7::bool[]) AS u(id, s, seen, at, ip, iv, sk)
         WHERE d.id = u.id`,
        [
          updates.map((u) => u.id),
          updates.map((u) => u.siteId),
          updates.map((u) => u.lastSeen),
          updates.map((u) => u.lastAt),
          updates.map((u) => u.publicIp),
          updates.map((u) => u.heartbeatIntervalS),
          updates.map((u) => u.skewed),
        ],
      );
    },
    async insertEvents(rows) {
      const inserted = await q<{ i: number }>(
        `WITH input AS (
           SELECT * FROM unnest($1::int[], $2::text[], $3::int[], $4::text[], $5::float8[], $6::float8[], $7::bool[], $8::text[], $9::text[])
             WITH ORDINALITY AS t(d, e, s, ty, at, rcv, sk, ses, data, i)
         ), ins AS (
           INSERT INTO "Event" ("deviceId", "eventId", "siteId", type, at, "receivedAt", skewed, session, data)
           SELECT d, e, s, ty, ${ts("at")}, ${ts("rcv")}, sk, ses, data FROM input ORDER BY i
           ON CONFLICT ("deviceId", "eventId") DO NOTHING
           RETURNING "deviceId", "eventId"
         )
         SELECT min(input.i)::int AS i FROM ins JOIN input ON input.d = ins."deviceId" AND input.e = ins."eventId" GROUP BY input.d, input.e`,
        [
          rows.map((r) => r.deviceId),
          rows.map((r) => r.eventId),
          rows.map((r) => r.siteId),
          rows.map((r) => r.type),
          rows.map((r) => r.at),
          rows.map((r) => r.receivedAt),
          rows.map((r) => r.skewed),
          rows.map((r) => r.session),
          rows.map((r) => r.data),
        ],
      );
      const flags = new Array<boolean>(rows.length).fill(false);
      for (const { i } of inserted) flags[i - 1] = true;
      return flags;
    },
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
      return rows.map((r) => lifecycleFromRow(r as Parameters<typeof lifecycleFromRow>[0]));
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

export function postgresIngestStorage(pool: pg.Pool): IngestStorage {
  return {
    async closeStaleSessions(now) {
      const result = await retried(() => pool.query(
        `UPDATE "Session" SET "end" = "lastLife", "endReason" = 'inferred',
           "durationS" = extract(epoch from ("lastLife" - start))::float8
         WHERE "end" IS NULL AND "intervalS" IS NOT NULL AND "lastLife" < ${ts("$1")} - make_interval(secs => 2 * "intervalS")`,
        [now],
      ));
      return result.rowCount ?? 0;
    },
    async transaction(fn) {
      return retried(async () => {
        const client = await pool.connect();
        try {
          await client.query("BEGIN");
          const result = await fn(pgTx(client));
          await client.query("COMMIT");
          return result;
        } catch (error) {
          await client.query("ROLLBACK").catch(() => undefined);
          throw error;
        } finally {
          client.release();
        }
      });
    },
  };
}

/** deadlock_detected, serialization_failure: PostgreSQL rolled the transaction back; running it again is safe. */
const RETRYABLE = new Set(["40P01", "40001"]);
const ATTEMPTS = 4;

/**
 * Runs a whole transaction again when PostgreSQL aborted it to break a deadlock. Devices are
 * locked in order, but the stale-session sweep and the rollup triggers (migration "rollups")
 * take locks a batch cannot order; a batch recomputes everything it writes, so a retry is exact.
 */
async function retried<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= ATTEMPTS || typeof code !== "string" || !RETRYABLE.has(code)) throw error;
      await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
    }
  }
}
