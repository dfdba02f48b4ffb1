// Property: sessions depend only on the set of events. The same generated events are
// ingested in many random orders, split into random batches, with random repeats, on a
// real SQLite file and a real PostgreSQL database; every run must give identical rows,
// equal to materialising the whole set at once. The rollups the database's triggers keep
// (session ends, heartbeats and failed attempts per bucket) must match the stored rows after
// every order, through all the inserts, re-derivations, deletes and sweeps that took.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "@/lib/db/client";
import { ingest } from "@/lib/ingest";
import { closeStaleSessions } from "@/lib/sessions";
import { validateEvents } from "@/lib/ingest/validate";
import { lifecycleFromRow } from "@/lib/sessions/lifecycle-events";
import { materializeSessions, type SessionRow } from "@/lib/sessions/materialize";
import { lifecycleFleet, type WireLike } from "../helpers/lifecycle-fleet";
import { startPostgres, type RunningPostgres } from "../helpers/postgres";
import { rng, type Rng } from "../helpers/random";
import { expectedEventCounts, expectedSessionEndCounts, storedEventCounts, storedSessionEndCounts } from "../helpers/rollup-oracle";
import { postgresTestDb, sqliteTestDb, type TestDb } from "../helpers/test-db";

const NOW = Date.now();
const DEVICES = 12;

type Comparable = Omit<SessionRow, "siteId"> & { device: string };

function expectedSessions(events: WireLike[], now = NOW): Comparable[] {
  const { valid } = validateEvents(events);
  const byDevice = new Map<string, ReturnType<typeof lifecycleFromRow>[]>();
  for (const e of valid) {
    if (e.type !== "connect" && e.type !== "disconnect" && e.type !== "heartbeat") continue;
    const list = byDevice.get(e.device) ?? [];
    list.push(lifecycleFromRow({ type: e.type, eventId: e.id, at: e.at, session: e.session, siteId: null, data: e.data }));
    byDevice.set(e.device, list);
  }
  const rows: Comparable[] = [];
  for (const [device, list] of byDevice) for (const { siteId: _s, ...row } of materializeSessions(list, now)) rows.push({ device, ...row });
  return sortRows(rows);
}

/** Failed attempts (no effect on sessions), keyed by their errno. */
function failures(r: Rng, events: WireLike[]): WireLike[] {
  return events
    .filter(() => r.chance(0.05))
    .map((e, i) => ({
      id: `${e.device}-f${i}`,
      device: e.device,
      site: e.site,
      at: e.at,
      type: "connect_failed",
      endpoint: "tenant.example.com:443",
      stage: r.pick(["tcp", "tls"]),
      errno: r.pick(["ECONNREFUSED", "ETIMEDOUT", "ECONNRESET"]),
    }));
}

async function expectRollupsMatch(db: Db): Promise<void> {
  expect(await storedSessionEndCounts(db)).toEqual(await expectedSessionEndCounts(db));
  expect(await storedEventCounts(db)).toEqual(await expectedEventCounts(db));
}

function sortRows(rows: Comparable[]): Comparable[] {
  return rows.sort((a, b) => (a.device + a.session < b.device + b.session ? -1 : 1));
}

async function storedSessions(db: Db): Promise<Comparable[]> {
  const rows = await db.prisma.session.findMany({ include: { device: true } });
  return sortRows(
    rows.map((r) => ({
      device: r.device.externalId,
      session: r.session,
      opened: r.opened,
      start: r.start.getTime(),
      end: r.end?.getTime() ?? null,
      durationS: r.durationS,
      endReason: r.endReason as SessionRow["endReason"],
      idleS: r.idleS,
      maxIdleS: r.maxIdleS,
      errno: r.errno,
      endpoint: r.endpoint,
      transport: r.transport,
      publicIp: r.publicIp,
      lastLife: r.lastLife.getTime(),
      intervalS: r.intervalS,
    })),
  );
}

/** Order 0 is chronological in small batches (the ingest fast path); the rest are random. */
function arrival(events: WireLike[], r: Rng, order: number): WireLike[][] {
  let list = [...events];
  if (order === 0) list.sort((a, b) => a.at.localeCompare(b.at));
  else {
    const repeats = list.filter(() => r.chance(0.15));
    list = r.shuffle([...list, ...repeats]);
  }
  const batches: WireLike[][] = [];
  for (let i = 0; i < list.length; ) {
    const size = order === 0 ? r.int(1, 5) : r.int(1, 120);
    batches.push(list.slice(i, i + size));
    i += size;
  }
  return batches;
}

function orderProperty(name: string, open: () => Promise<TestDb>, orders: number) {
  describe(name, () => {
    for (const seed of [1, 2, 3]) {
      test(`seed ${seed}: ${orders} arrival orders give identical sessions`, async () => {
        const lifecycle = lifecycleFleet(rng(seed), DEVICES, NOW);
        const events = [...lifecycle, ...failures(rng(seed + 7), lifecycle)];
        const expected = expectedSessions(events);
        expect(expected.length).toBeGreaterThan(DEVICES * 2);
        expect(new Set(expected.map((e) => e.endReason))).toEqual(
          new Set(["reset", "timeout", "client_closed", "server_closed", "error", "unknown", "superseded", "inferred", null]),
        );
        const r = rng(seed * 1000);
        for (let order = 0; order < orders; order++) {
          const t = await open();
          try {
            let accepted = 0;
            const seen: WireLike[] = [];
            for (const batch of arrival(events, r, order)) {
              if (order !== 0) {
                accepted += (await ingest(t.db, { site: null }, batch, NOW)).accepted;
                continue;
              }
              // Live ingest: "now" follows the events, the stale-session sweep runs between
              // batches, and every intermediate state must be right, not only the last one.
              seen.push(...batch);
              const live = Math.max(...seen.map((e) => Date.parse(e.at))) + 1000;
              accepted += (await ingest(t.db, { site: null }, batch, live)).accepted;
              await closeStaleSessions(t.db, live);
              expect(await storedSessions(t.db)).toEqual(expectedSessions(seen, live));
              if (seen.length % 7 === 0) await expectRollupsMatch(t.db);
            }
            if (order === 0) await closeStaleSessions(t.db, NOW);
            expect(accepted).toBe(events.length);
            expect(await storedSessions(t.db)).toEqual(expected);
            await expectRollupsMatch(t.db);
          } finally {
            await t.cleanup();
          }
        }
      });
    }
  });
}

orderProperty("sessions on SQLite", sqliteTestDb, 12);

let server: RunningPostgres | { skipped: string } | undefined;
beforeAll(async () => {
  server = await startPostgres();
  if ("skipped" in server) console.warn(`PostgreSQL session-order tests skipped: ${server.skipped}`);
});
afterAll(async () => {
  if (server && "stop" in server) await server.stop();
});
orderProperty(
  "sessions on PostgreSQL",
  async () => {
    if (!server || "skipped" in server) throw new Error("no PostgreSQL");
    return postgresTestDb(server.url);
  },
  6,
);
