// SQLite implementation of the ingest storage: prepared better-sqlite3 statements in one
// IMMEDIATE transaction per batch (session derivation's statements are lib/sessions/sqlite.ts). Times are integer milliseconds, as Prisma's adapter
// stores them (timestampFormat "unixepoch-ms").
import type Database from "better-sqlite3";
import { sqliteWriteTransaction } from "@/lib/db/write-queue";
import { sqliteSessionTx } from "@/lib/sessions/sqlite";
import type { DeviceRef, IngestStorage, IngestTx } from "./storage";

export function sqliteIngestStorage(db: Database.Database): IngestStorage {
  const s = {
    rawBefore: db.prepare(`SELECT rawBefore FROM Retention WHERE id = 1`).pluck(),
    siteIds: db.prepare<[string]>(`SELECT id, slug FROM Site WHERE slug IN (SELECT value FROM json_each(?))`),
    createSite: db.prepare(`INSERT INTO Site (slug, name, createdAt) VALUES (?, ?, ?) ON CONFLICT(slug) DO NOTHING`),
    devices: db.prepare<[string]>(`SELECT id, externalId, siteId, lastAt FROM Device WHERE externalId IN (SELECT value FROM json_each(?))`),
    recordMove: db.prepare(`INSERT INTO DeviceSiteChange (deviceId, fromSiteId, toSiteId, at, keyPrefix, userId) VALUES (?, ?, ?, ?, ?, ?)`),
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
  };

  const tx: IngestTx = {
    async rawBefore() {
      return Number(s.rawBefore.get() ?? 0);
    },
    async siteIds(slugs) {
      const now = Date.now();
      for (const slug of slugs) s.createSite.run(slug, slug, now);
      const rows = s.siteIds.all(JSON.stringify(slugs)) as Array<{ id: number; slug: string }>;
      return new Map(rows.map((r) => [r.slug, r.id]));
    },
    async devices(externalIds) {
      const rows = s.devices.all(JSON.stringify(externalIds)) as Array<DeviceRef & { externalId: string }>;
      return new Map(rows.map((r) => [r.externalId, { id: r.id, siteId: r.siteId, lastAt: r.lastAt }]));
    },
    async createDevices(devices) {
      for (const d of devices) s.createDevice.run(d.externalId, d.siteId, d.firstSeen, d.firstSeen, d.lastAt);
    },
    async updateDevices(updates) {
      for (const u of updates) {
        s.updateDevice.run(u.siteId, u.lastSeen, u.lastAt, u.publicIp, u.heartbeatIntervalS, u.skewed ? 1 : 0, u.id);
      }
    },
    async recordSiteMoves(moves) {
      for (const m of moves) s.recordMove.run(m.deviceId, m.fromSiteId, m.toSiteId, m.at, m.keyPrefix, m.userId ?? null);
    },
    async insertEvents(rows) {
      return rows.map(
        (r) =>
          s.insertEvent.run(r.deviceId, r.eventId, r.siteId, r.type, r.at, r.receivedAt, r.skewed ? 1 : 0, r.session, r.data)
            .changes === 1,
      );
    },
    sessions: sqliteSessionTx(db),
  };

  return {
    transaction: <T>(fn: (tx: IngestTx) => Promise<T>) => sqliteWriteTransaction(db, () => fn(tx)),
  };
}
