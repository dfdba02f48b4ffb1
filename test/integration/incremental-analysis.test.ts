// Incremental analysis equals the full recompute (issue 14). A simulated fleet arrives the way
// real ones do — day by day, shuffled within each delivery, a share of each day replayed later
// (a proxy retrying), a share held back for days (a device's spool) — with the worker's
// incremental cycle after most deliveries. Afterwards the digest the journal built must equal
// the one rebuilt from the Session table, and the fleet's findings from either must be equal.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fleetDrafts, runChanges } from "@/lib/findings/run";
import { ingest } from "@/lib/ingest";
import { sqlArrays } from "@/lib/db/sql";
import type { Db } from "@/lib/db/client";
import { generateFleet } from "../sim/generateFleet";
import { Rng } from "../sim/prng";
import { fleetToWire, type WireEvent } from "../helpers/fleet-to-wire";
import { startPostgres, type RunningPostgres } from "../helpers/postgres";
import { postgresTestDb, sqliteTestDb, type TestDb } from "../helpers/test-db";

const DAY = 86_400_000;
const NOW = Math.floor(Date.now() / DAY) * DAY + 15 * 3_600_000;

async function digestOf(db: Db): Promise<string[]> {
  const rows = await sqlArrays<unknown[]>(db, `SELECT "siteId", "publicIp", "cellDevice", "kind", "t", "bin", "reason", "flags", "aux", "deviceId", "n" FROM "DigestCount" WHERE "n" <> 0`, []);
  return rows.map((r) => JSON.stringify(r)).sort();
}

/** Deliveries: each day's events shuffled, 10 % of them again a day later, 5 % only at the end. */
function deliveries(events: WireEvent[], rng: Rng): Array<{ at: number; events: WireEvent[] }> {
  const byDay = new Map<number, WireEvent[]>();
  const late: WireEvent[] = [];
  for (const e of events) {
    if (rng.chance(0.05)) {
      late.push(e);
      continue;
    }
    const day = Math.floor(Date.parse(e.at) / DAY);
    byDay.set(day, [...(byDay.get(day) ?? []), e]);
  }
  const shuffle = <T>(items: T[]) => items.map((x) => ({ x, k: rng.next() })).sort((a, b) => a.k - b.k).map(({ x }) => x);
  const out: Array<{ at: number; events: WireEvent[] }> = [];
  let replay: WireEvent[] = [];
  for (const day of [...byDay.keys()].sort((a, b) => a - b)) {
    const today = byDay.get(day)!;
    out.push({ at: Math.min(NOW, (day + 1) * DAY), events: shuffle([...today, ...replay]) });
    replay = today.filter(() => rng.chance(0.1));
  }
  out.push({ at: NOW, events: shuffle([...late, ...replay]) });
  return out;
}

function equivalenceSuite(name: string, open: () => Promise<TestDb | null>) {
  describe(name, () => {
    let t: TestDb | null = null;
    beforeAll(async () => {
      t = await open();
    }, 120_000);
    afterAll(() => t?.cleanup());

    it("gives the same digest and the same findings as a full recompute, whatever the arrival order", async (ctx) => {
      if (!t) return ctx.skip();
      const rng = new Rng(1414);
      const fleet = generateFleet(14, { sites: 8, messyCopies: 1, now: NOW });
      let cycles = 0;
      for (const [i, batch] of deliveries(fleetToWire(fleet.input), rng).entries()) {
        for (let j = 0; j < batch.events.length; j += 2000) await ingest(t!.db, { site: null }, batch.events.slice(j, j + 2000), batch.at);
        if (i % 3 !== 2) {
          await runChanges(t!.db, batch.at);
          cycles++;
        }
      }
      expect(cycles).toBeGreaterThan(3);
      const incremental = await fleetDrafts(t!.db, NOW);
      const kept = await digestOf(t!.db);
      const full = await fleetDrafts(t!.db, NOW, { rebuild: true });
      const rebuilt = await digestOf(t!.db);

      expect(kept.length).toBeGreaterThan(1000);
      expect(kept).toEqual(rebuilt);
      // Not a vacuous match: the fleet's window findings are there.
      expect(full.filter((f) => f.kind === "idle_timeout").length).toBeGreaterThan(0);
      expect(incremental).toEqual(full);
    }, 300_000);
  });
}

equivalenceSuite("incremental analysis, SQLite", sqliteTestDb);
let pg: RunningPostgres | { skipped: string } | undefined;
beforeAll(async () => {
  pg = await startPostgres();
  if ("skipped" in pg) console.warn(`PostgreSQL incremental-analysis test skipped: ${pg.skipped}`);
}, 120_000);
afterAll(async () => {
  if (pg && "stop" in pg) await pg.stop();
});
equivalenceSuite("incremental analysis, PostgreSQL", async () => (pg && "url" in pg ? postgresTestDb(pg.url) : null));
