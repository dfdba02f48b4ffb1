// Retention (issue 14): raw events older than LINKSCOPE_RAW_RETENTION_DAYS are compacted into
// hourly heartbeat rows and deleted, sessions older than LINKSCOPE_SESSION_RETENTION_DAYS are
// deleted, and nothing else changes: the rollups, the sessions in the window, what the device
// timeline shows, duplicate detection inside the window. An event older than the window is
// refused with too_old. On SQLite and PostgreSQL, through the real ingest path.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingest } from "@/lib/ingest";
import { retentionPolicy } from "@/lib/db/retention";
import { deviceEvents } from "@/lib/queries/device-events";
import { deviceTimeline } from "@/lib/queries/device-timeline";
import { purgeExpired } from "@/lib/retention/purge";
import type { Db } from "@/lib/db/client";
import { storedEventCounts, storedSessionEndCounts } from "../helpers/rollup-oracle";
import { startPostgres, type RunningPostgres } from "../helpers/postgres";
import { postgresTestDb, sqliteTestDb, type TestDb } from "../helpers/test-db";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = Math.floor(Date.now() / HOUR) * HOUR + 30 * MIN;
const T0 = NOW - 20 * DAY - 30 * MIN; // on an hour, so sessions start on hours
const RAW_CUT = Math.floor((NOW - 14 * DAY) / HOUR) * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

type Wire = { id: string; device: string; site: string; type: string; at: string } & Record<string, unknown>;

/**
 * gw-a: six-hour sessions for 20 days, a heartbeat a minute (rtt 20-29 ms) and an 18-minute
 * silence in its fourth session; gw-long: one connection open for 20 days, a heartbeat every
 * 5 min; gw-old: ten one-hour sessions 100 days ago.
 */
function history(): { events: Wire[]; silence: { from: number; to: number } } {
  const events: Wire[] = [];
  let silence = { from: 0, to: 0 };
  for (let k = 0; T0 + (k + 1) * 6 * HOUR < NOW; k++) {
    const s = T0 + k * 6 * HOUR;
    events.push({ id: `a-c${k}`, device: "gw-a", site: "lisbon", type: "connect", session: `a-${k}`, endpoint: "tenant.example.com:443", at: iso(s) });
    for (let i = 1; i <= 358; i++) {
      if (k === 3 && i >= 100 && i <= 116) continue;
      events.push({ id: `a-h${k}-${i}`, device: "gw-a", site: "lisbon", type: "heartbeat", intervalS: 60, rttMs: 20 + (i % 10), at: iso(s + i * MIN) });
    }
    if (k === 3) silence = { from: s + 99 * MIN, to: s + 117 * MIN };
    events.push({ id: `a-d${k}`, device: "gw-a", site: "lisbon", type: "disconnect", session: `a-${k}`, reason: "reset", at: iso(s + 359 * MIN) });
  }
  events.push({ id: "l-c", device: "gw-long", site: "lisbon", type: "connect", session: "long", endpoint: "tenant.example.com:443", at: iso(T0) });
  for (let t = T0 + 5 * MIN, i = 0; t < NOW - 5 * MIN; t += 5 * MIN, i++) {
    events.push({ id: `l-h${i}`, device: "gw-long", site: "lisbon", type: "heartbeat", intervalS: 300, at: iso(t) });
  }
  for (let k = 0; k < 10; k++) {
    const s = NOW - 100 * DAY + k * 2 * HOUR;
    events.push({ id: `o-c${k}`, device: "gw-old", site: "porto", type: "connect", session: `o-${k}`, endpoint: "tenant.example.com:443", at: iso(s) });
    events.push({ id: `o-d${k}`, device: "gw-old", site: "porto", type: "disconnect", session: `o-${k}`, reason: "timeout", at: iso(s + HOUR) });
  }
  // A clock that once read 1971: sparse history, purged without walking the years between.
  events.push({ id: "z-1", device: "gw-clock", site: "porto", type: "heartbeat", intervalS: 60, at: iso(Date.UTC(1971, 0, 2)) });
  events.push({ id: "z-2", device: "gw-clock", site: "porto", type: "heartbeat", intervalS: 60, at: iso(NOW - 19 * DAY) });
  return { events, silence };
}

async function sessionsOf(db: Db, device: string) {
  const rows = await db.prisma.session.findMany({
    where: { device: { externalId: device } },
    orderBy: { start: "asc" },
    select: { session: true, start: true, end: true, endReason: true, durationS: true, lastLife: true },
  });
  return rows.map((r) => JSON.stringify(r));
}

const eventTimes = async (db: Db, device: string) =>
  (await db.prisma.event.findMany({ where: { device: { externalId: device } }, select: { at: true } })).map((e) => e.at.getTime());

function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const mid = (v.length - 1) / 2;
  return (v[Math.floor(mid)] + v[Math.ceil(mid)]) / 2;
}

function retentionSuite(name: string, open: () => Promise<TestDb | null>) {
  describe(name, () => {
    let t: TestDb | null = null;
    beforeAll(async () => {
      t = await open();
    }, 120_000);
    afterAll(() => t?.cleanup());

    it("compacts and deletes what is past the windows, keeps everything else as it was, refuses what is too old", async (ctx) => {
      if (!t) return ctx.skip();
      const db = t.db;
      const { events, silence } = history();
      // Stored before retention was turned on (an upgrade): nothing is refused yet.
      process.env.LINKSCOPE_RAW_RETENTION_DAYS = "0";
      process.env.LINKSCOPE_SESSION_RETENTION_DAYS = "0";
      for (let i = 0; i < events.length; i += 2000) {
        const r = await ingest(db, { site: null }, events.slice(i, i + 2000), NOW);
        expect(r.rejected).toEqual([]);
      }
      const range = { from: iso(T0), to: iso(NOW - 13 * DAY) };
      const timelineBefore = (await deviceTimeline(db, "gw-a", range, NOW))!;
      const halfDay = { from: iso(T0 + 2 * DAY), to: iso(T0 + 2 * DAY + 12 * HOUR) }; // buckets shorter than an hour
      const halfDayBefore = (await deviceTimeline(db, "gw-a", halfDay, NOW))!;
      const endCounts = await storedSessionEndCounts(db);
      const eventCounts = await storedEventCounts(db);
      const [aSessions, longSessions, longEvents] = [await sessionsOf(db, "gw-a"), await sessionsOf(db, "gw-long"), (await eventTimes(db, "gw-long")).length];
      expect((await sessionsOf(db, "gw-old")).length).toBe(10);

      process.env.LINKSCOPE_RAW_RETENTION_DAYS = "14";
      process.env.LINKSCOPE_SESSION_RETENTION_DAYS = "90";
      const outcome = await purgeExpired(db, NOW, retentionPolicy());

      // gw-a keeps the raw events of its session running at the cut, and everything after.
      const keepFrom = T0 + Math.floor((RAW_CUT - T0) / (6 * HOUR)) * 6 * HOUR;
      const aBeats = events.filter((e) => e.device === "gw-a" && e.type === "heartbeat");
      const compacted = aBeats.filter((e) => Date.parse(e.at) < keepFrom);
      expect(outcome.rawBefore).toBe(RAW_CUT);
      expect(Math.min(...(await eventTimes(db, "gw-a")))).toBe(keepFrom);
      expect(outcome.heartbeatsCompacted).toBe(compacted.length + 2); // and gw-clock's two
      expect(outcome.eventsDeleted).toBe(events.filter((e) => e.device === "gw-a" && Date.parse(e.at) < keepFrom).length + 20 + 2);
      expect(await eventTimes(db, "gw-clock")).toEqual([]);
      const daysOfA = Math.ceil((keepFrom - Math.floor(T0 / HOUR) * HOUR) / DAY);
      expect(outcome.transactions).toBe(1 + daysOfA + 1 + 2); // sessions; gw-a a day at a time; gw-old; gw-clock's two stretches
      // gw-long's one connection spans the cut: all its raw events stay.
      expect((await eventTimes(db, "gw-long")).length).toBe(longEvents);

      // One row per hour: counts, first and last, the silence, round-trip times.
      const gwA = (await db.prisma.device.findUniqueOrThrow({ where: { externalId: "gw-a" } })).id;
      const hours = await db.prisma.heartbeatHour.findMany({ where: { deviceId: gwA }, orderBy: { hour: "asc" } });
      const byHour = new Map<number, Wire[]>();
      for (const e of compacted) {
        const h = Math.floor(Date.parse(e.at) / HOUR) * HOUR;
        byHour.set(h, [...(byHour.get(h) ?? []), e]);
      }
      expect(hours.map((h) => h.hour.getTime())).toEqual([...byHour.keys()]);
      for (const h of hours) {
        const beats = byHour.get(h.hour.getTime())!;
        expect([h.count, h.firstAt.getTime(), h.lastAt.getTime(), h.intervalS, h.rttMaxMs]).toEqual([
          beats.length,
          Date.parse(beats[0].at),
          Date.parse(beats.at(-1)!.at),
          60,
          Math.max(...beats.map((b) => b.rttMs as number)),
        ]);
        expect(h.rttP50Ms).toBeCloseTo(median(beats.map((b) => b.rttMs as number)), 6);
      }
      const silent = hours.find((h) => h.maxGapS > 60)!;
      expect([silent.maxGapAt.getTime(), silent.maxGapS]).toEqual([silence.from, (silence.to - silence.from) / 1000]);

      // The rollups are the history beyond the windows: untouched by the purge.
      expect(await storedSessionEndCounts(db)).toEqual(endCounts);
      expect(await storedEventCounts(db)).toEqual(eventCounts);
      // Sessions past 90 days are gone; the rest are as they were.
      expect(outcome.sessionsDeleted).toBe(10);
      expect(await sessionsOf(db, "gw-old")).toEqual([]);
      expect(await sessionsOf(db, "gw-a")).toEqual(aSessions);

      // The timeline over compacted history says so and shows what it showed from raw events.
      const timeline = (await deviceTimeline(db, "gw-a", range, NOW))!;
      expect(timeline.heartbeats.compactedBefore).toBe(iso(keepFrom)); // gw-a's own: its connection at the cut keeps its raw events
      expect(timelineBefore.heartbeats.compactedBefore).toBeNull();
      expect(timeline.heartbeats.received).toBe(timelineBefore.heartbeats.received);
      expect(timeline.heartbeats.series.total).toBe(timelineBefore.heartbeats.series.total);
      expect(timeline.heartbeats.gaps).toEqual(timelineBefore.heartbeats.gaps);
      // On buckets shorter than an hour an hour's count is shared out, not piled on its first bucket.
      const perBucket = (t: typeof timeline) => t.heartbeats.series.buckets.map((b) => b.counts.heartbeat ?? 0);
      const halfDayAfter = (await deviceTimeline(db, "gw-a", halfDay, NOW))!;
      expect(halfDayAfter.heartbeats.series.bucketS).toBeLessThan(3600);
      expect(halfDayAfter.heartbeats.series.total).toBe(halfDayBefore.heartbeats.series.total);
      const drift = perBucket(halfDayAfter).map((n, i) => Math.abs(n - perBucket(halfDayBefore)[i]));
      expect(Math.max(...drift)).toBeLessThanOrEqual(2);
      expect(timeline.heartbeats.gaps).toContainEqual({ from: iso(silence.from), to: iso(silence.to), seconds: 1080 });
      expect(Math.abs(timeline.heartbeats.rttP50Ms! - timelineBefore.heartbeats.rttP50Ms!)).toBeLessThanOrEqual(1);
      expect((await deviceEvents(db, "gw-a", { from: iso(T0), limit: 5 }))!.compactedBefore).toBe(iso(RAW_CUT));
      expect((await deviceEvents(db, "gw-a", { from: iso(NOW - 2 * DAY), limit: 5 }))!.compactedBefore).toBeNull();

      // Ingest: past the window refused item by item, inside it duplicates still caught, and a
      // late heartbeat inside connections that span the cut re-derives nothing wrongly.
      const purged = compacted[0];
      const kept = aBeats.find((e) => Date.parse(e.at) > NOW - 10 * DAY)!;
      const late = [
        purged,
        kept,
        { ...kept, id: "a-late", at: iso(Date.parse(kept.at) + 30_000) },
        { id: "l-late", device: "gw-long", site: "lisbon", type: "heartbeat", intervalS: 300, at: iso(NOW - 12 * DAY + 60_000) },
      ];
      const answer = await ingest(db, { site: null }, late, NOW);
      expect(answer.accepted).toBe(2);
      expect(answer.duplicates).toBe(1);
      expect(answer.rejected.map((r) => [r.index, r.error.code])).toEqual([[0, "too_old"]]);
      expect(await sessionsOf(db, "gw-a")).toEqual(aSessions);
      expect(await sessionsOf(db, "gw-long")).toEqual(longSessions);

      // A second purge at the same time has nothing left to do.
      const again = await purgeExpired(db, NOW, retentionPolicy());
      expect([again.eventsDeleted, again.sessionsDeleted, again.hoursWritten]).toEqual([0, 0, 0]);
      expect(await db.prisma.heartbeatHour.count()).toBe(hours.length + 2);
    }, 240_000);
  });
}

retentionSuite("retention, SQLite", sqliteTestDb);
let pg: RunningPostgres | { skipped: string } | undefined;
beforeAll(async () => {
  pg = await startPostgres();
  if ("skipped" in pg) console.warn(`PostgreSQL retention test skipped: ${pg.skipped}`);
}, 120_000);
afterAll(async () => {
  if (pg && "stop" in pg) await pg.stop();
});
retentionSuite("retention, PostgreSQL", async () => (pg && "url" in pg ? postgresTestDb(pg.url) : null));
