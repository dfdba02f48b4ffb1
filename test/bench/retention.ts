// `npm run bench:retention` — what the retention purge (lib/retention) saves and what it costs
// ingest while it runs (issue 14, item 2), on SQLite:
//   - a fleet's history of DAYS days (a heartbeat every 5 min: the fewest per hourly row, so
//     the worst case for compaction; one session per device and day), seeded in this process;
//   - bytes per heartbeat on disk: raw (the Event table and its indexes), and beyond the raw
//     window (HeartbeatHour plus the EventCount rollup rows of that stretch), from SQLite's
//     dbstat, and the file's size after VACUUM;
//   - the production server (`npm start`'s serve.mjs, analysis off) taking batches of current
//     heartbeats back to back, the latency of each: once alone (the baseline), once while
//     `npm run cli -- purge` runs in its own process, as the worker runs it.
// Prints a markdown section and rewrites "Retention" in docs/benchmarks.md (--no-write: not).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDb } from "@/lib/db/client";
import type { DbConfig } from "@/lib/db/config";
import { applyMigrations } from "@/lib/db/migrate";
import { ingest } from "@/lib/ingest";
import { keyFor, postEvents, startApp } from "../helpers/app";
import { tableBytes } from "./measure";
import { writeSection } from "./report";

const DEVICES = Number(process.env.BENCH_DEVICES ?? 500);
const DAYS = 21;
const RAW_DAYS = 14;
const BEAT_MS = 300_000;
const BATCH = 200;
const BASELINE_S = 30;
const WARMUP_S = 10;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const HEADING = "## Retention (`npm run bench:retention`)";

const args = new Set(process.argv.slice(2));
const now = Math.floor(Date.now() / HOUR) * HOUR;
const start = now - DAYS * DAY;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "linkscope-bench-retention-"));
const config = { provider: "sqlite" as const, file: path.join(dir, "linkscope.db") } satisfies DbConfig;
const retentionEnv = { LINKSCOPE_RAW_RETENTION_DAYS: String(RAW_DAYS), LINKSCOPE_SESSION_RETENTION_DAYS: "90" };

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

async function seed(): Promise<{ heartbeats: number }> {
  await applyMigrations(config);
  const db = openDb(config);
  if (db.provider !== "sqlite") throw new Error("unreachable");
  // Sessions through ingest (a connect a day per device, the disconnect before the next; today's
  // is open, so live heartbeats continue it as they would on a live fleet); the
  // heartbeats straight into Event in big transactions (the rollup triggers fire as on ingest).
  process.env.LINKSCOPE_RAW_RETENTION_DAYS = "0";
  process.env.LINKSCOPE_SESSION_RETENTION_DAYS = "0";
  const lifecycle = [];
  for (let d = 0; d < DEVICES; d++) {
    for (let day = 0; day < DAYS; day++) {
      const at = start + day * DAY + d * 1000;
      lifecycle.push({ id: `c${day}`, device: `dev-${d}`, site: `site-${d % 20}`, type: "connect", session: `s${day}`, endpoint: "tenant.example.com:443", at: new Date(at).toISOString() });
      if (day < DAYS - 1) lifecycle.push({ id: `d${day}`, device: `dev-${d}`, site: `site-${d % 20}`, type: "disconnect", session: `s${day}`, reason: "reset", at: new Date(at + DAY - 60_000).toISOString() });
    }
  }
  for (let i = 0; i < lifecycle.length; i += 1000) await ingest(db, { site: null }, lifecycle.slice(i, i + 1000), now);
  const devices = db.sqlite.prepare(`SELECT id, siteId FROM Device ORDER BY id`).all() as Array<{ id: number; siteId: number }>;
  const insert = db.sqlite.prepare(`INSERT INTO Event (deviceId, eventId, siteId, type, at, receivedAt, skewed, session, data) VALUES (?, ?, ?, 'heartbeat', ?, ?, 0, NULL, ?)`);
  let heartbeats = 0;
  for (let t = start + BEAT_MS; t < now; t += DAY) {
    db.sqlite.transaction(() => {
      for (const d of devices) {
        for (let at = t + (d.id % 300) * 1000; at < Math.min(t + DAY, now); at += BEAT_MS) {
          insert.run(d.id, `h${at}`, d.siteId, at, at, `{"intervalS":300,"rttMs":${20 + (at % 37)}}`);
          heartbeats++;
        }
      }
    })();
  }
  db.sqlite.pragma("wal_checkpoint(TRUNCATE)"); // the seed's log written back now, not during the baseline
  await db.close();
  return { heartbeats };
}

function sizes(): Record<string, number> {
  const db = openDb(config);
  if (db.provider !== "sqlite") throw new Error("unreachable");
  const bytes = tableBytes(db.sqlite);
  void db.close();
  return bytes;
}

function count(sql: string, ...params: unknown[]): number {
  const db = openDb(config);
  if (db.provider !== "sqlite") throw new Error("unreachable");
  const n = Number(db.sqlite.prepare(sql).pluck().get(...params));
  void db.close();
  return n;
}

/** Batches of current heartbeats back to back until stop() says so; each request's latency. */
async function load(url: string, key: string, until: () => boolean): Promise<number[]> {
  const latencies: number[] = [];
  for (let n = 0; !until(); n++) {
    const at = new Date().toISOString();
    const events = Array.from({ length: BATCH }, (_, i) => ({ id: `live-${n}-${i}`, device: `dev-${(n * BATCH + i) % DEVICES}`, type: "heartbeat", intervalS: 300, at }));
    const t0 = performance.now();
    const res = await postEvents(url, key, { events });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`ingest answered ${res.status}`);
    latencies.push(performance.now() - t0);
  }
  return latencies.sort((a, b) => a - b);
}

async function main() {
  const t0 = performance.now();
  const { heartbeats } = await seed();
  const seededS = (performance.now() - t0) / 1000;
  const before = sizes();
  const rawEvents = count(`SELECT count(*) FROM Event`);
  const app = await startApp(config, { LINKSCOPE_BACKGROUND: "off", ...retentionEnv });
  try {
    const db = openDb(config);
    const key = await keyFor(db, "ingest");
    await db.close();
    const warmEnd = performance.now() + WARMUP_S * 1000;
    await load(app.url, key, () => performance.now() > warmEnd); // JIT, caches: not measured
    const baselineEnd = performance.now() + BASELINE_S * 1000;
    const baseline = await load(app.url, key, () => performance.now() > baselineEnd);

    let purgeDone = false;
    let purgeOutput = "";
    const purgeStart = performance.now();
    const purge = spawn("node_modules/.bin/tsx", ["lib/cli/main.ts", "purge"], { env: { ...process.env, LINKSCOPE_SQLITE_FILE: config.file, DATABASE_URL: "", ...retentionEnv } });
    purge.stdout.on("data", (d) => (purgeOutput += d));
    purge.stderr.on("data", (d) => (purgeOutput += d));
    const exited = new Promise<number | null>((resolve) => purge.on("exit", (code) => ((purgeDone = true), resolve(code))));
    const during = await load(app.url, key, () => purgeDone);
    const code = await exited;
    const purgeS = (performance.now() - purgeStart) / 1000;
    if (code !== 0) throw new Error(`purge failed:\n${purgeOutput}`);
    const after = sizes();

    const rawCut = Math.floor((now - RAW_DAYS * DAY) / HOUR) * HOUR;
    const compacted = count(`SELECT sum(count) FROM HeartbeatHour`);
    const eventCountShare = count(`SELECT count(*) FROM EventCount WHERE type = 'heartbeat' AND bucket < ?`, rawCut) / Math.max(1, count(`SELECT count(*) FROM EventCount`));
    const beyond = (after.HeartbeatHour ?? 0) + (after.EventCount ?? 0) * eventCountShare;
    const rawPerBeat = (before.Event ?? 0) / rawEvents;
    const fileBefore = fs.statSync(config.file).size;
    const vacuum = openDb(config);
    if (vacuum.provider === "sqlite") vacuum.sqlite.exec("VACUUM");
    await vacuum.close();
    const fileAfter = fs.statSync(config.file).size;

    const row = (name: string, l: number[]) =>
      `| ${name} | ${l.length} | ${percentile(l, 0.5).toFixed(1)} | ${percentile(l, 0.95).toFixed(1)} | ${percentile(l, 0.99).toFixed(1)} | ${l[l.length - 1].toFixed(1)} |`;
    const p99Ratio = percentile(during, 0.99) / percentile(baseline, 0.99);
    const section = [
      HEADING,
      "",
      `${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, SQLite. ${DEVICES} devices, ${DAYS} days of history (a heartbeat every ${BEAT_MS / 60_000} min, ` +
        `one session per device and day, today's open): ${heartbeats.toLocaleString("en-US")} heartbeats, seeded in ${seededS.toFixed(0)} s. ` +
        `Raw window ${RAW_DAYS} days. The purge is \`npm run cli -- purge\` in its own process, as the worker runs it.`,
      "",
      "| | value |",
      "|---|---|",
      `| raw heartbeat on disk (Event table and its indexes, before the purge) | ${rawPerBeat.toFixed(0)} bytes |`,
      `| heartbeat beyond the raw window (HeartbeatHour + its share of EventCount, after) | **${(beyond / compacted).toFixed(1)} bytes** (target ≤ 30) |`,
      `| heartbeats compacted | ${compacted.toLocaleString("en-US")} into ${count(`SELECT count(*) FROM HeartbeatHour`).toLocaleString("en-US")} hourly rows |`,
      `| purge | ${purgeS.toFixed(1)} s: ${purgeOutput.trim().split("\n").at(-1)} |`,
      `| database file | ${mib(fileBefore)} before the purge and VACUUM, ${mib(fileAfter)} after |`,
      "",
      `Ingest while the purge runs: batches of ${BATCH} current heartbeats over HTTP, back to back, latency in ms. ` +
        `The baseline is the same load for ${BASELINE_S} s before the purge (after ${WARMUP_S} s of warm-up), in the same run.`,
      "",
      "| load | requests | p50 | p95 | p99 | max |",
      "|---|---|---|---|---|---|",
      row("alone (baseline)", baseline),
      row("during the purge", during),
      "",
      `p99 during the purge: **${p99Ratio.toFixed(2)}×** the baseline's. The purge works in one transaction per device and day ` +
        `(lib/retention/purge.ts), so a batch waits for at most one of them.`,
      "",
    ].join("\n");
    console.log(section);
    if (!args.has("--no-write")) writeSection(path.resolve("docs/benchmarks.md"), section, HEADING);
  } finally {
    await app.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
