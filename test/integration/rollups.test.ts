// The rollups on a real SQLite file and a real PostgreSQL database: the read models that use
// them answer exactly what a count over the raw rows gives, for ragged ranges of every size;
// the triggers follow the paths the order property (sessions-order.test.ts) does not reach
// — a session deleted, or moved to another site —; the migration's backfill counts what was
// stored before it.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ingest } from "@/lib/ingest";
import { closeStaleSessions } from "@/lib/sessions";
import { prismaPaths, type DbProvider } from "@/lib/db/schema-engine";
import type { Db } from "@/lib/db/client";
import { connectFailureSeries } from "@/lib/queries/event-series";
import { dropsByTimeOfDay } from "@/lib/queries/drops-by-time-of-day";
import { heartbeatTotals, sessionEndCounts } from "@/lib/queries/rollups";
import { sessionEndSeries } from "@/lib/queries/session-end-series";
import { DROP_REASONS } from "@/lib/contract/vocabulary";
import { bucketSizeS, countSeries, type TimeRange } from "@/lib/queries/time-buckets";
import { lifecycleFleet } from "../helpers/lifecycle-fleet";
import { startPostgres, type RunningPostgres } from "../helpers/postgres";
import { rng } from "../helpers/random";
import { expectedEventCounts, expectedSessionEndCounts, storedEventCounts, storedSessionEndCounts } from "../helpers/rollup-oracle";
import { postgresTestDb, sqliteTestDb, type TestDb } from "../helpers/test-db";

const NOW = Date.now();

async function expectRollupsMatch(db: Db): Promise<void> {
  expect(await storedSessionEndCounts(db)).toEqual(await expectedSessionEndCounts(db));
  expect(await storedEventCounts(db)).toEqual(await expectedEventCounts(db));
}

/** The statements of the rollups migration that count what was stored before it. */
function backfillStatements(provider: DbProvider): string[] {
  const dir = prismaPaths(provider).migrationsDir;
  const name = fs.readdirSync(dir).find((d) => d.endsWith("_rollups"))!;
  const sql = fs.readFileSync(`${dir}/${name}/migration.sql`, "utf8");
  const backfill = sql.slice(sql.indexOf("-- What was stored before this migration."));
  return backfill.split(/;\s*\n/).map((s) => s.replace(/^--.*$/gm, "").trim()).filter(Boolean);
}

async function exec(db: Db, sql: string): Promise<void> {
  if (db.provider === "sqlite") db.sqlite.exec(sql);
  else await db.pool.query(sql);
}

function rollupSuite(name: string, open: () => Promise<TestDb>) {
  describe(name, () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await open();
      const failures = ["ECONNREFUSED", "ETIMEDOUT", "ETIMEDOUT"].map((errno, i) => ({
        id: `f-${i}`, device: "dev-1", site: "site-1", type: "connect_failed", at: new Date(NOW - i * 61_000).toISOString(),
        endpoint: "tenant.example.com:443", stage: "tcp", errno,
      }));
      const result = await ingest(t.db, { site: null }, [...lifecycleFleet(rng(5), 8, NOW), ...failures], NOW);
      expect(result.rejected).toEqual([]);
      await expectRollupsMatch(t.db);
    });
    afterAll(async () => t?.cleanup());

    test("read models on rollups answer what the raw rows give, for ragged ranges", async () => {
      const r = rng(77);
      const sessions = await t.db.prisma.session.findMany({ where: { end: { not: null } } });
      const failures = await t.db.prisma.event.findMany({ where: { type: "connect_failed" } });
      const heartbeats = await t.db.prisma.event.findMany({ where: { type: "heartbeat" } });
      const siteId = sessions[0].siteId!;
      const failSite = failures[0].siteId!;
      const seen = { ends: 0, failures: 0, beats: 0 };
      const inRange = (at: number, range: TimeRange) => at >= range.from && at < range.to;
      for (let i = 0; i < 40; i++) {
        const to = NOW - r.int(0, 2 * 86_400_000) + r.int(0, 3_600_000);
        const range = { from: to - r.pick([3_600_000, 6 * 3_600_000, 86_400_000, 7 * 86_400_000]) + r.int(0, 999_999), to };
        const bucketS = bucketSizeS(range);
        const ends = (site: number | null, reasons?: readonly string[]) =>
          sessions
            .filter((x) => (site === null || x.siteId === site) && inRange(x.end!.getTime(), range) && (!reasons || reasons.includes(x.endReason ?? "unknown")))
            .map((x) => ({ at: x.end!.getTime(), key: x.endReason ?? "unknown" }));
        expect(await sessionEndSeries(t.db, { siteId }, range)).toEqual(countSeries(range, ends(siteId)));
        expect(await sessionEndSeries(t.db, "fleet", range, { reasons: DROP_REASONS })).toEqual(countSeries(range, ends(null, DROP_REASONS)));

        const totals: Record<string, number> = {};
        for (const c of await sessionEndCounts(t.db, "sites", range, { totals: true })) totals[`${c.siteId} ${c.key}`] = (totals[`${c.siteId} ${c.key}`] ?? 0) + c.n;
        const expectedTotals: Record<string, number> = {};
        for (const x of sessions.filter((x) => inRange(x.end!.getTime(), range))) {
          const k = `${x.siteId} ${x.endReason ?? "unknown"}`;
          expectedTotals[k] = (expectedTotals[k] ?? 0) + 1;
        }
        expect(totals).toEqual(expectedTotals);

        const failed = failures
          .filter((e) => e.siteId === failSite && inRange(e.at.getTime(), range))
          .map((e) => ({ at: e.at.getTime(), key: (JSON.parse(e.data) as { errno: string }).errno }));
        expect(await connectFailureSeries(t.db, { siteId: failSite }, range)).toEqual(countSeries(range, failed, bucketS));
        const failedAnywhere = failures.filter((e) => inRange(e.at.getTime(), range)).map((e) => ({ at: e.at.getTime(), key: (JSON.parse(e.data) as { errno: string }).errno }));
        expect(await connectFailureSeries(t.db, "fleet", range)).toEqual(countSeries(range, failedAnywhere, bucketS));
        seen.failures += failed.length;
        seen.ends += ends(siteId).length;

        const beats = new Map<number, { count: number; firstAt: number; lastAt: number }>();
        for (const e of heartbeats.filter((e) => e.siteId === siteId && inRange(e.at.getTime(), range))) {
          const at = e.at.getTime();
          const b = beats.get(e.deviceId) ?? { count: 0, firstAt: at, lastAt: at };
          beats.set(e.deviceId, { count: b.count + 1, firstAt: Math.min(b.firstAt, at), lastAt: Math.max(b.lastAt, at) });
        }
        expect(await heartbeatTotals(t.db, siteId, range)).toEqual(beats);
        seen.beats += beats.size;

        const folded = Array.from({ length: 96 }, (_, k) => ({ minute: k * 15, count: 0 }));
        for (const e of ends(siteId, DROP_REASONS)) folded[Math.floor((e.at % 86_400_000) / 900_000)].count++;
        expect(await dropsByTimeOfDay(t.db, { siteId }, range)).toEqual(folded);
      }
      expect(seen.ends).toBeGreaterThan(100);
      expect(seen.failures).toBeGreaterThan(3);
      expect(seen.beats).toBeGreaterThan(20);
    });

    test("concurrent batches and sweeps all land, and the counts stay right", async () => {
      const fleet = lifecycleFleet(rng(9), 24, NOW).map((e) => ({ ...e, id: `c-${e.id}`, device: `c-${e.device}` }));
      const byDevice = new Map<string, typeof fleet>();
      for (const e of fleet) byDevice.set(e.device, [...(byDevice.get(e.device) ?? []), e]);
      const devices = [...byDevice.values()];
      // Eight writers, each a third of the devices in a shuffled order, so they overlap.
      const writers = Array.from({ length: 8 }, (_, w) => rng(100 + w).shuffle(devices.filter((_, i) => (i + w) % 3 === 0)).flat());
      const results = await Promise.all([
        ...writers.map(async (events) => {
          let accepted = 0;
          for (let i = 0; i < events.length; i += 40) accepted += (await ingest(t.db, { site: null }, events.slice(i, i + 40), NOW)).accepted;
          return accepted;
        }),
        ...Array.from({ length: 4 }, async () => (await closeStaleSessions(t.db, NOW), 0)),
      ]);
      expect(results.reduce((a, b) => a + b, 0)).toBe(fleet.length);
      await expectRollupsMatch(t.db);
    });

    test("a deleted session takes its counts back", async () => {
      const ended = await t.db.prisma.session.findMany({ where: { end: { not: null } }, take: 5 });
      expect(ended.length).toBe(5);
      await t.db.prisma.session.deleteMany({ where: { id: { in: ended.map((s) => s.id) } } });
      await expectRollupsMatch(t.db);
    });

    test("a session moved to another site, or reopened, is counted where it now is", async () => {
      const [a, b] = await t.db.prisma.session.findMany({ where: { end: { not: null } }, take: 2, orderBy: { id: "asc" } });
      const other = await t.db.prisma.site.create({ data: { slug: "elsewhere", name: "Elsewhere" } });
      await t.db.prisma.session.update({ where: { id: a.id }, data: { siteId: other.id, endReason: "timeout" } });
      await t.db.prisma.session.update({ where: { id: b.id }, data: { end: null, endReason: null } });
      await expectRollupsMatch(t.db);
    });

    test("the migration's backfill counts what was stored before it", async () => {
      await exec(t.db, `DELETE FROM "SessionEndCount"`);
      await exec(t.db, `DELETE FROM "EventCount"`);
      expect(await storedSessionEndCounts(t.db)).toEqual({});
      for (const statement of backfillStatements(t.db.provider)) await exec(t.db, statement);
      expect(Object.keys(await storedSessionEndCounts(t.db)).length).toBeGreaterThan(50);
      expect(Object.keys(await storedEventCounts(t.db)).some((k) => k.includes("connect_failed") && k.endsWith("ETIMEDOUT"))).toBe(true);
      await expectRollupsMatch(t.db);
    });
  });
}

rollupSuite("rollups on SQLite", sqliteTestDb);

let server: RunningPostgres | { skipped: string } | undefined;
beforeAll(async () => {
  server = await startPostgres();
  if ("skipped" in server) console.warn(`PostgreSQL rollup tests skipped: ${server.skipped}`);
});
afterAll(async () => {
  if (server && "stop" in server) await server.stop();
});
rollupSuite("rollups on PostgreSQL", async () => {
  if (!server || "skipped" in server) throw new Error("no PostgreSQL");
  return postgresTestDb(server.url);
});
