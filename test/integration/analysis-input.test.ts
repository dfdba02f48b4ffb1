// The analysis cycle's reads of recent sessions and evidence events, on a real SQLite file and
// a real PostgreSQL database: written to seek indexes (so a cycle costs the recent span, not
// the history kept), they must still return exactly what the plain definition selects —
// sessions open, started or ended since `from`; tls, connect_failed and probe events since
// `from`, fleet-wide including events without a site — checked against every stored row.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "@/lib/db/client";
import { loadNames } from "@/lib/findings/digest-store";
import { evidenceEvents, recentSessions } from "@/lib/findings/analysis-input";
import { ingest } from "@/lib/ingest";
import { lifecycleFleet } from "../helpers/lifecycle-fleet";
import { startPostgres, type RunningPostgres } from "../helpers/postgres";
import { rng } from "../helpers/random";
import { postgresTestDb, sqliteTestDb, type TestDb } from "../helpers/test-db";

const NOW = Date.now();
const FROMS = [NOW - 40 * 3_600_000, NOW - 26 * 3_600_000, NOW - 6 * 3_600_000, NOW - 60_000];

async function allSessions(db: Db) {
  const rows = await db.prisma.session.findMany({ include: { device: true } });
  return rows.map((s) => ({ device: s.device.externalId, siteId: s.siteId, session: s.session, start: s.start.getTime(), end: s.end?.getTime() ?? null }));
}

function suite(name: string, open: () => Promise<TestDb>) {
  describe(name, () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await open();
      const r = rng(11);
      const evidence = Array.from({ length: 40 }, (_, i) => ({
        id: `x-${i}`,
        device: `dev-${i % 7}`,
        site: `site-${i % 3}`,
        type: i % 2 ? "connect_failed" : "tls",
        at: new Date(NOW - r.int(0, 48 * 3_600_000)).toISOString(),
        endpoint: "tenant.example.com:443",
        ...(i % 2 ? { stage: "tcp", errno: "ECONNREFUSED" } : { verified: true, chain: [] }),
      }));
      const result = await ingest(t.db, { site: null }, [...lifecycleFleet(r, 12, NOW), ...evidence], NOW);
      expect(result.rejected).toEqual([]);
      // An event whose site is gone (the column is nullable): fleet-wide reads still see it.
      const orphan = await t.db.prisma.event.findFirstOrThrow({ where: { type: "tls" }, orderBy: { at: "desc" } });
      await t.db.prisma.event.update({ where: { id: orphan.id }, data: { siteId: null } });
    });
    afterAll(async () => t?.cleanup());

    test("recent sessions: open, started or ended since from; fleet-wide and per site; in device and start order", async () => {
      const names = await loadNames(t.db);
      const stored = await allSessions(t.db);
      for (const from of FROMS) {
        const expected = (site: number | null) =>
          stored
            .filter((s) => (site === null || s.siteId === site) && (s.end === null || s.end >= from || s.start >= from))
            .sort((a, b) => (a.device < b.device ? -1 : a.device > b.device ? 1 : 0) || a.start - b.start)
            .map((s) => `${s.device}/${s.session}`);
        const fleet = await recentSessions(t.db, {}, from, names);
        expect(new Set(fleet.map((s) => `${s.device}/${s.session}`))).toEqual(new Set(expected(null)));
        expect(fleet.length).toBe(expected(null).length);
        for (let i = 1; i < fleet.length; i++) {
          const [a, b] = [fleet[i - 1], fleet[i]];
          if (a.device === b.device) expect(a.start).toBeLessThanOrEqual(b.start);
        }
        for (const siteId of [...new Set(stored.map((s) => s.siteId))].filter((s): s is number => s !== null)) {
          const site = await recentSessions(t.db, { siteId }, from, names);
          expect(site.map((s) => `${s.device}/${s.session}`).sort()).toEqual(expected(siteId).sort());
        }
      }
      expect(FROMS.some((from) => stored.some((s) => s.end !== null && s.end < from))).toBe(true); // some are left out
    });

    test("evidence events since from, fleet-wide including one without a site, and per site", async () => {
      const names = await loadNames(t.db);
      const stored = await t.db.prisma.event.findMany({ where: { type: { in: ["tls", "connect_failed", "probe"] } }, orderBy: { id: "asc" } });
      expect(stored.some((e) => e.siteId === null)).toBe(true);
      for (const from of FROMS) {
        const since = stored.filter((e) => e.at.getTime() >= from);
        const fleet = await evidenceEvents(t.db, {}, from, names, () => null);
        expect(fleet.map((e) => `${e.type}@${e.at}`)).toEqual(since.map((e) => `${e.type}@${e.at.getTime()}`));
        for (const siteId of [...new Set(since.map((e) => e.siteId))].filter((s): s is number => s !== null)) {
          const site = await evidenceEvents(t.db, { siteId }, from, names, () => null);
          expect(site.map((e) => `${e.type}@${e.at}`).sort()).toEqual(since.filter((e) => e.siteId === siteId).map((e) => `${e.type}@${e.at.getTime()}`).sort());
        }
      }
    });
  });
}

suite("analysis input on SQLite", sqliteTestDb);

let server: RunningPostgres | { skipped: string } | undefined;
beforeAll(async () => {
  server = await startPostgres();
  if ("skipped" in server) console.warn(`PostgreSQL analysis-input tests skipped: ${server.skipped}`);
});
afterAll(async () => {
  if (server && "stop" in server) await server.stop();
});
suite("analysis input on PostgreSQL", async () => {
  if (!server || "skipped" in server) throw new Error("no PostgreSQL");
  return postgresTestDb(server.url);
});
