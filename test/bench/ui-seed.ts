// Seeds the dashboard benchmark's database directly (no HTTP): a fresh SQLite file migrated
// as `npm start` migrates it, then sites, devices, events and sessions written with prepared
// better-sqlite3 statements in large transactions. Sessions are derived from each device's
// lifecycle events by the same pure materializeSessions ingest uses.
//
// Rows go in the order a live fleet would write them: devices first, then events and
// sessions hour by hour across all devices (so a device's rows are spread over the table as
// in a real database, not packed together; a session goes in with the hour it ended in, an
// open one with the hour it started in). The Event table's own secondary indexes are
// dropped for the load and re-created afterwards from their original SQL; every row is a
// plain INSERT, so triggers on Event and Session (rollups) fire as they would under ingest.
//
// With `pause`, the load stops at that time, the indexes are re-created and the file goes back
// to WAL, `pause.run` is awaited (bench:scale analyses the history up to there), and the rest
// is inserted as a live fleet's would be: into the indexed table, the journal seeing it arrive.
//
// Run by itself: tsx test/bench/ui-seed.ts [--scale 0.01] [--keep <file>]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { applyMigrations } from "@/lib/db/migrate";
import { materializeSessions, type LifecycleEvent, type SessionRow } from "@/lib/sessions/materialize";
import { deviceEvents, lifecycleOf, planFleet, type FleetPlan, type SeedEvent } from "./ui-fleet";

const SLICE_MS = 3_600_000;

export interface SeedResult {
  file: string;
  now: number;
  scale: number;
  seconds: { total: number; rows: number; indexes: number };
  bytes: number;
  counts: { sites: number; devices: number; sessions: number; openSessions: number; events: number; byType: Record<string, number> };
  sites: { biggest: { slug: string; devices: number }; median: { slug: string; devices: number } };
  /** network kinds and how many sites have each */
  networks: Record<string, number>;
  /** triggers that fired during the load (their names) */
  triggers: string[];
}

type SessionInsert = SessionRow & { deviceId: number };

/** When a session's row goes in: the hour it ended, or for an open one the hour it started. */
const storedAt = (s: SessionRow) => s.end ?? s.start;

export interface SeedOptions {
  file: string;
  scale: number;
  now?: number;
  /** days of history (default FLEET.days) */
  days?: number;
  /** stop loading at `at`, make the file usable, await run(), then load the rest */
  pause?: { at: number; run: () => Promise<void> };
  log?: (line: string) => void;
}

export async function seedFleet(options: SeedOptions): Promise<SeedResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const started = performance.now();
  for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(options.file + suffix, { force: true });
  await applyMigrations({ provider: "sqlite", file: options.file });
  const now = options.now ?? Date.now();
  const fleet = planFleet({ scale: options.scale, now, days: options.days });
  log(`seed: ${fleet.devices.length.toLocaleString("en-US")} devices on ${fleet.sites.length} sites, ${new Date(fleet.from).toISOString()} to ${new Date(now).toISOString()}, into ${options.file}`);

  const db = new Database(options.file);
  try {
    // A fresh file that nothing else has open: the rollback journal in memory while loading,
    // not the WAL (which writes every page twice). Leaving WAL takes a stop at DELETE; OFF is
    // refused by better-sqlite3's defensive mode.
    db.pragma("journal_mode = DELETE");
    const loading = db.pragma("journal_mode = MEMORY", { simple: true });
    if (loading !== "memory") log(`seed: journal_mode stayed ${String(loading)} for the load`);
    db.pragma("synchronous = OFF");
    db.pragma("cache_size = -1048576"); // KiB: 1 GiB, also the sorter's budget for CREATE INDEX
    const triggers = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('Event', 'Session')`).all() as Array<{ name: string }>).map((t) => t.name);
    const eventIndexes = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Event' AND sql IS NOT NULL`).all() as Array<{ name: string; sql: string }>;
    for (const index of eventIndexes) db.exec(`DROP INDEX "${index.name}"`);

    let indexSeconds: number | null = null;
    /** The indexes back and the file in WAL, as `npm start` would open it. */
    const finishLoad = () => {
      log(`seed: re-creating ${eventIndexes.length} Event indexes (${eventIndexes.map((i) => i.name).join(", ")})...`);
      const indexStart = performance.now();
      for (const index of eventIndexes) db.exec(index.sql);
      indexSeconds = (performance.now() - indexStart) / 1000;
      if (db.pragma("journal_mode = WAL", { simple: true }) !== "wal") throw new Error("could not switch the seeded database back to WAL");
      db.pragma("synchronous = NORMAL");
    };
    const siteIds = insertSites(db, fleet);
    const sessions = deriveAndInsertDevices(db, fleet, siteIds, log);
    let pausedSeconds = 0;
    const pause = options.pause && {
      at: options.pause.at,
      run: async () => {
        finishLoad();
        const pausedAt = performance.now();
        await options.pause!.run();
        pausedSeconds = (performance.now() - pausedAt) / 1000;
      },
    };
    await insertEventsAndSessions(db, fleet, siteIds, sessions, log, pause);
    const rowsSeconds = (performance.now() - started) / 1000 - (indexSeconds ?? 0) - pausedSeconds;
    if (indexSeconds === null) finishLoad();

    const counts = countRows(db);
    const bySize = [...fleet.sites].sort((a, b) => b.devices - a.devices || a.index - b.index);
    const networks: Record<string, number> = {};
    for (const s of fleet.sites) {
      const key = s.network.kind === "idle" ? `idle ${s.network.timeoutS} s (${s.network.mode})` : s.network.kind === "blocked" ? `443 ${s.network.mode}` : s.network.kind;
      networks[key] = (networks[key] ?? 0) + 1;
    }
    db.close();
    const bytes = fs.statSync(options.file).size;
    return {
      file: options.file,
      now,
      scale: options.scale,
      seconds: { total: (performance.now() - started) / 1000 - pausedSeconds, rows: rowsSeconds, indexes: indexSeconds ?? 0 },
      bytes,
      counts,
      sites: {
        biggest: { slug: bySize[0].slug, devices: bySize[0].devices },
        median: { slug: bySize[Math.floor(bySize.length / 2)].slug, devices: bySize[Math.floor(bySize.length / 2)].devices },
      },
      networks,
      triggers,
    };
  } finally {
    if (db.open) db.close();
  }
}

function insertSites(db: Database.Database, fleet: FleetPlan): Map<number, number> {
  const insert = db.prepare(`INSERT INTO Site (slug, name, createdAt) VALUES (?, ?, ?)`);
  const ids = new Map<number, number>();
  db.transaction(() => {
    for (const s of fleet.sites) ids.set(s.index, Number(insert.run(s.slug, s.name, fleet.from).lastInsertRowid));
  })();
  return ids;
}

/**
 * First pass over every device's events: its sessions (materializeSessions, as ingest derives
 * them) and its Device row (first and last receive time, last device time, interval, address).
 */
function deriveAndInsertDevices(db: Database.Database, fleet: FleetPlan, siteIds: Map<number, number>, log: (line: string) => void): SessionInsert[] {
  const insert = db.prepare(
    `INSERT INTO Device (externalId, siteId, firstSeen, lastSeen, lastAt, publicIp, heartbeatIntervalS, skewed) VALUES (?, ?, ?, ?, ?, ?, ?, 0)`,
  );
  const sessions: SessionInsert[] = [];
  const t0 = performance.now();
  db.transaction(() => {
    for (const device of fleet.devices) {
      const siteId = siteIds.get(device.site.index)!;
      const lifecycle: LifecycleEvent[] = [];
      let firstSeen = Infinity;
      let lastSeen = -Infinity;
      let lastAt = -Infinity;
      let intervalS: number | null = null;
      for (const e of deviceEvents(fleet, device)) {
        firstSeen = Math.min(firstSeen, e.receivedAt);
        lastSeen = Math.max(lastSeen, e.receivedAt);
        lastAt = Math.max(lastAt, e.at);
        if (e.type === "heartbeat") intervalS = e.fields.intervalS as number;
        if (e.type === "connect" || e.type === "disconnect" || e.type === "heartbeat") lifecycle.push(lifecycleOf(e, siteId));
      }
      if (firstSeen === Infinity) throw new Error(`device ${device.externalId} has no events`);
      const deviceId = Number(insert.run(device.externalId, siteId, firstSeen, lastSeen, lastAt, device.site.publicIp, intervalS).lastInsertRowid);
      for (const row of materializeSessions(lifecycle, fleet.now)) sessions.push({ ...row, deviceId });
    }
  })();
  log(`seed: ${fleet.devices.length.toLocaleString("en-US")} devices and ${sessions.length.toLocaleString("en-US")} sessions derived in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return sessions.sort((a, b) => storedAt(a) - storedAt(b));
}

/** Second pass: every device's events again (same seeds), hour by hour across the fleet, with the sessions that end (open ones: start) in that hour. */
async function insertEventsAndSessions(
  db: Database.Database,
  fleet: FleetPlan,
  siteIds: Map<number, number>,
  sessions: SessionInsert[],
  log: (line: string) => void,
  pause: SeedOptions["pause"],
): Promise<void> {
  const insertEvent = db.prepare(
    `INSERT INTO Event (deviceId, eventId, siteId, type, at, receivedAt, skewed, session, data) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)`,
  );
  const insertSession = db.prepare(
    `INSERT INTO Session (deviceId, siteId, session, opened, start, "end", durationS, endReason, idleS, maxIdleS, errno, endpoint, transport, publicIp, lastLife, intervalS)
     VALUES (@deviceId, @siteId, @session, @opened, @start, @end, @durationS, @endReason, @idleS, @maxIdleS, @errno, @endpoint, @transport, @publicIp, @lastLife, @intervalS)`,
  );
  type Stream = { deviceId: number; siteId: number; events: Generator<SeedEvent>; next: SeedEvent | null };
  const peek = (s: Stream) => {
    const r = s.events.next();
    return r.done ? null : r.value;
  };
  const streams: Stream[] = fleet.devices.map((device, i) => ({ deviceId: i + 1, siteId: siteIds.get(device.site.index)!, events: deviceEvents(fleet, device), next: null }));
  for (const s of streams) s.next = peek(s);
  const deviceIds = db.prepare(`SELECT id FROM Device ORDER BY id`).pluck().all() as number[];
  if (deviceIds.length !== streams.length || deviceIds[0] !== 1 || deviceIds.at(-1) !== streams.length) throw new Error("device ids are not 1..n; the seed expects a fresh file");

  let events = 0;
  let nextSession = 0;
  const t0 = performance.now();
  let lastLog = t0;
  const slice = db.transaction((until: number) => {
    const batch: Array<{ s: Stream; e: SeedEvent }> = [];
    for (const s of streams) {
      while (s.next !== null && s.next.at < until) {
        batch.push({ s, e: s.next });
        s.next = peek(s);
      }
    }
    batch.sort((a, b) => a.e.receivedAt - b.e.receivedAt);
    for (const { s, e } of batch) insertEvent.run(s.deviceId, e.eventId, s.siteId, e.type, e.at, e.receivedAt, e.session, JSON.stringify(e.fields));
    for (; nextSession < sessions.length && storedAt(sessions[nextSession]) < until; nextSession++) {
      const row = sessions[nextSession];
      insertSession.run({ ...row, opened: row.opened ? 1 : 0 });
    }
    events += batch.length;
  });
  const bounds: number[] = [];
  for (let until = fleet.from + SLICE_MS; until < fleet.now + 2 * SLICE_MS; until += SLICE_MS) bounds.push(until);
  if (pause) bounds.push(pause.at);
  bounds.sort((a, b) => a - b);
  for (const until of bounds) {
    slice(until);
    if (pause && until === pause.at) {
      log(`seed: paused at ${new Date(until).toISOString()} after ${events.toLocaleString("en-US")} events`);
      await pause.run();
    }
    if (performance.now() - lastLog > 15_000) {
      lastLog = performance.now();
      const done = (until - fleet.from) / (fleet.now - fleet.from);
      log(`seed: ${(Math.min(1, done) * 100).toFixed(0)} % of the history, ${events.toLocaleString("en-US")} events (${Math.round(events / ((lastLog - t0) / 1000)).toLocaleString("en-US")}/s)`);
    }
  }
  if (streams.some((s) => s.next !== null)) throw new Error("events after the end of the seeded history");
  if (nextSession !== sessions.length) throw new Error(`${sessions.length - nextSession} sessions end after the seeded history`);
  log(`seed: ${events.toLocaleString("en-US")} events and ${sessions.length.toLocaleString("en-US")} sessions inserted in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

function countRows(db: Database.Database): SeedResult["counts"] {
  const one = (sql: string) => (db.prepare(sql).pluck().get() as number) ?? 0;
  const byType = Object.fromEntries((db.prepare(`SELECT type, COUNT(*) AS n FROM Event GROUP BY type ORDER BY n DESC`).all() as Array<{ type: string; n: number }>).map((r) => [r.type, r.n]));
  return {
    sites: one(`SELECT COUNT(*) FROM Site`),
    devices: one(`SELECT COUNT(*) FROM Device`),
    sessions: one(`SELECT COUNT(*) FROM Session`),
    openSessions: one(`SELECT COUNT(*) FROM Session WHERE "end" IS NULL`),
    events: one(`SELECT COUNT(*) FROM Event`),
    byType,
  };
}

/** `tsx test/bench/ui-seed.ts [--scale s] [--keep file]`: seeds and reports, nothing else. */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i === -1 ? undefined : argv[i + 1];
  };
  const file = value("--keep") ?? path.join(os.tmpdir(), `linkscope-bench-ui-${process.pid}.db`);
  const result = await seedFleet({ file: path.resolve(file), scale: Number(value("--scale") ?? 1) });
  console.log(JSON.stringify(result, null, 2));
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
