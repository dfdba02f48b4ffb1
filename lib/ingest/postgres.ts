// PostgreSQL implementation of the ingest storage: one pooled connection per batch,
// set-based statements (unnest) where a batch has many rows. Devices are locked in a
// fixed order (externalId) so two batches touching the same devices cannot deadlock and
// cannot interleave their session re-derivations.
import type pg from "pg";
import { pgTransaction } from "@/lib/db/pg-retry";
import { pgMs as ms, pgTime as ts } from "@/lib/db/sql";
import { pgSessionTx } from "@/lib/sessions/postgres";
import type { DeviceRef, IngestStorage, IngestTx } from "./storage";

function pgTx(client: pg.PoolClient): IngestTx {
  const q = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) => (await client.query<R>(text, values)).rows;
  return {
    async rawBefore() {
      const [row] = await q<{ ms: number }>(`SELECT ${ms(`"rawBefore"`)} AS ms FROM "Retention" WHERE id = 1`);
      return Number(row?.ms ?? 0);
    },
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
        `SELECT id, "externalId", "siteId", ${ms(`"lastAt"`)} AS "lastAt" FROM "Device" WHERE "externalId" = ANY($1::text[]) ORDER BY "externalId" FOR UPDATE`,
        [externalIds],
      );
      return new Map(rows.map((r) => [r.externalId, { id: r.id, siteId: r.siteId, lastAt: r.lastAt }]));
    },
    async recordSiteMoves(moves) {
      await q(
        `INSERT INTO "DeviceSiteChange" ("deviceId", "fromSiteId", "toSiteId", at, "keyPrefix", "userId")
         SELECT d, f, t, ${ts("a")}, k, u FROM unnest($1::int[], $2::int[], $3::int[], $4::float8[], $5::text[], $6::int[]) AS m(d, f, t, a, k, u)`,
        [moves.map((m) => m.deviceId), moves.map((m) => m.fromSiteId), moves.map((m) => m.toSiteId), moves.map((m) => m.at), moves.map((m) => m.keyPrefix), moves.map((m) => m.userId ?? null)],
      );
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
    sessions: pgSessionTx(client),
  };
}

export function postgresIngestStorage(pool: pg.Pool): IngestStorage {
  return {
    transaction: (fn) => pgTransaction(pool, (client) => fn(pgTx(client))),
  };
}
