// The rollup tables' triggers on the paths the order property (sessions-order.test.ts) does
// not reach — a session deleted, or moved to another site — and the migration's backfill of
// what was stored before it, on a real SQLite file and a real PostgreSQL database.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ingest } from "@/lib/ingest";
import { prismaPaths, type DbProvider } from "@/lib/db/schema-engine";
import type { Db } from "@/lib/db/client";
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
