// The retention purge: raw events older than LINKSCOPE_RAW_RETENTION_DAYS go (heartbeats
// compacted into HeartbeatHour first), sessions that ended before
// LINKSCOPE_SESSION_RETENTION_DAYS go; the rollups (SessionEndCount, EventCount), findings
// and their evidence stay. It works in small transactions (one device and at most a day of its
// events; a few thousand sessions), so ingest waits at most one of them, never the purge.
//
// What session derivation still needs is kept: a late event re-derives from the latest session
// that starts at or before it (lib/sessions/derive.ts), and ingest never reaches before
// Retention.rawBefore, so a device keeps the raw events of its latest session that starts at
// or before the cut, and everything after. A connection open for weeks keeps its heartbeats.
import { EVENT_TYPES } from "@/lib/contract/vocabulary";
import type { Db } from "@/lib/db/client";
import { DAY_MS, retentionPolicy, retentionState, type RetentionPolicy } from "@/lib/db/retention";
import { msOf, placeholders, sqlGreatest, sqlRows, sqlTransaction, timeParam, type SqlQuery } from "@/lib/db/sql";
import { compactHeartbeats, floorHour, type StoredHeartbeat } from "./compact";

const DEVICES_PER_PAGE = 500;
const SESSIONS_PER_CHUNK = 5000;

export interface PurgeOutcome {
  /** raw events before this are compacted (ms; null: raw events are kept forever) */
  rawBefore: number | null;
  /** sessions that ended before this are gone (ms; null: kept forever) */
  sessionsBefore: number | null;
  devices: number;
  heartbeatsCompacted: number;
  hoursWritten: number;
  eventsDeleted: number;
  sessionsDeleted: number;
  transactions: number;
}

export async function purgeExpired(db: Db, now = Date.now(), policy: RetentionPolicy = retentionPolicy()): Promise<PurgeOutcome> {
  const outcome: PurgeOutcome = { rawBefore: null, sessionsBefore: null, devices: 0, heartbeatsCompacted: 0, hoursWritten: 0, eventsDeleted: 0, sessionsDeleted: 0, transactions: 0 };
  // Sessions first: a device whose last session is gone keeps no raw events for it.
  if (policy.sessionDays !== null) await purgeSessions(db, floorHour(now - policy.sessionDays * DAY_MS), outcome);
  if (policy.rawDays !== null) await purgeRawEvents(db, floorHour(now - policy.rawDays * DAY_MS), outcome);
  return outcome;
}

async function advance(db: Db, column: "rawBefore" | "sessionsBefore", cut: number): Promise<number> {
  const state = await retentionState(db);
  if (state[column] >= cut) return state[column];
  // First, so that ingest refuses (and the rollup trigger spares) what is about to go.
  await sqlTransaction(db, (q) => q(`UPDATE "Retention" SET "${column}" = ${timeParam(db)} WHERE "id" = 1`, [cut]));
  return cut;
}

async function purgeRawEvents(db: Db, rawCut: number, outcome: PurgeOutcome): Promise<void> {
  outcome.rawBefore = await advance(db, "rawBefore", rawCut);
  const t = timeParam(db);
  for (let after = 0; ; ) {
    const devices = await sqlRows<{ id: number; keepFrom: number | null }>(
      db,
      `SELECT d."id", (SELECT max(${msOf(db, `s."start"`)}) FROM "Session" s WHERE s."deviceId" = d."id" AND s."start" <= ${t}) AS "keepFrom"
       FROM "Device" d WHERE d."id" > ? ORDER BY d."id" LIMIT ?`,
      [outcome.rawBefore, after, DEVICES_PER_PAGE],
    );
    for (const d of devices) await purgeDevice(db, d.id, floorHour(Math.min(outcome.rawBefore, d.keepFrom ?? outcome.rawBefore)), outcome);
    if (devices.length < DEVICES_PER_PAGE) return;
    after = devices[devices.length - 1].id;
  }
}

/** The device's oldest event time: one index seek per type on (deviceId, type, at). */
async function oldestEvent(db: Db, deviceId: number): Promise<number | null> {
  const [row] = await sqlRows<{ oldest: number | null }>(
    db,
    `SELECT min(m) AS "oldest" FROM (${EVENT_TYPES.map(() => `SELECT (SELECT min(${msOf(db, `"at"`)}) FROM "Event" WHERE "deviceId" = ? AND "type" = ?) AS m`).join(" UNION ALL ")}) AS t`,
    EVENT_TYPES.flatMap((type) => [deviceId, type]),
  );
  return row?.oldest === null || row?.oldest === undefined ? null : Number(row.oldest);
}

async function purgeDevice(db: Db, deviceId: number, cut: number, outcome: PurgeOutcome): Promise<void> {
  const t = timeParam(db);
  // From the oldest event a day at a time; sparse history (a clock that once read 1970) skips ahead.
  for (let oldest = await oldestEvent(db, deviceId), first = true; oldest !== null && oldest < cut; oldest = await oldestEvent(db, deviceId), first = false) {
    if (first) outcome.devices++;
    const from = floorHour(oldest);
    const to = Math.min(cut, from + DAY_MS);
    await sqlTransaction(db, async (q) => {
      // The device's row first: on PostgreSQL ingest locks devices the same way, so a batch for
      // this device waits for this transaction (or this one for it), never reads half of it.
      if (db.provider === "postgresql") await q(`SELECT "id" FROM "Device" WHERE "id" = ? FOR UPDATE`, [deviceId]);
      const beats = await q<StoredHeartbeat>(
        `SELECT "siteId", ${msOf(db, `"at"`)} AS "at", "data" FROM "Event" WHERE "deviceId" = ? AND "type" = 'heartbeat' AND "at" >= ${t} AND "at" < ${t} ORDER BY "at"`,
        [deviceId, from, to],
      );
      const hours = compactHeartbeats(beats.map((b) => ({ ...b, at: Number(b.at) })));
      await insertHours(db, q, deviceId, hours);
      const deleted = await q<{ id: number }>(
        `DELETE FROM "Event" WHERE "deviceId" = ? AND "type" IN (${placeholders(EVENT_TYPES.length)}) AND "at" >= ${t} AND "at" < ${t} RETURNING "id"`,
        [deviceId, ...EVENT_TYPES, from, to],
      );
      outcome.heartbeatsCompacted += beats.length;
      outcome.hoursWritten += hours.length;
      outcome.eventsDeleted += deleted.length;
      outcome.transactions++;
    });
  }
}

async function insertHours(db: Db, q: SqlQuery, deviceId: number, hours: ReturnType<typeof compactHeartbeats>): Promise<void> {
  const t = timeParam(db);
  const greatest = sqlGreatest(db);
  const least = db.provider === "sqlite" ? "min" : "least";
  for (const h of hours) {
    // A conflict means heartbeats of an hour compacted before arrived later (the raw window was
    // raised since): counts and extremes add up; the percentiles stay those of the first part.
    await q(
      `INSERT INTO "HeartbeatHour" ("deviceId", "siteId", "hour", "count", "firstAt", "lastAt", "maxGapS", "maxGapAt", "intervalS", "rttCount", "rttP50Ms", "rttP95Ms", "rttMaxMs")
       VALUES (?, ?, ${t}, ?, ${t}, ${t}, ?, ${t}, ?, ?, ?, ?, ?)
       ON CONFLICT ("deviceId", "hour", "siteId") DO UPDATE SET "count" = "HeartbeatHour"."count" + excluded."count",
         "firstAt" = ${least}("HeartbeatHour"."firstAt", excluded."firstAt"), "lastAt" = ${greatest}("HeartbeatHour"."lastAt", excluded."lastAt"),
         "maxGapS" = ${greatest}("HeartbeatHour"."maxGapS", excluded."maxGapS"), "rttMaxMs" = ${greatest}("HeartbeatHour"."rttMaxMs", excluded."rttMaxMs")`,
      [deviceId, h.siteId, h.hour, h.count, h.firstAt, h.lastAt, h.maxGapS, h.maxGapAt, h.intervalS, h.rttCount, h.rttP50Ms, h.rttP95Ms, h.rttMaxMs],
    );
  }
}

async function purgeSessions(db: Db, sessionCut: number, outcome: PurgeOutcome): Promise<void> {
  outcome.sessionsBefore = await advance(db, "sessionsBefore", sessionCut);
  const t = timeParam(db);
  for (;;) {
    const deleted = await sqlTransaction(db, (q) =>
      q<{ id: number }>(
        `DELETE FROM "Session" WHERE "id" IN (SELECT "id" FROM "Session" WHERE "end" < ${t} ORDER BY "end" LIMIT ?) RETURNING "id"`,
        [outcome.sessionsBefore, SESSIONS_PER_CHUNK],
      ),
    );
    outcome.sessionsDeleted += deleted.length;
    outcome.transactions++;
    if (deleted.length < SESSIONS_PER_CHUNK) return;
  }
}
