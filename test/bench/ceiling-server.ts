// The ingest ceiling: the least a server can do to store the same batches — a bare
// node:http server that JSON.parses each body and, in one better-sqlite3 transaction per
// batch, inserts the same Event rows and upserts the same devices (and sites) with prepared
// statements, on a migrated file of the same schema with the same pragmas. No auth, no
// validation, no sessions: what Linkscope does on top of this is what the ratio measures.
// Run as its own process by test/bench/ingest.ts; argv: <sqlite file>. Reports its port over IPC.
import http from "node:http";
import Database from "better-sqlite3";
import { SQLITE_PRAGMAS } from "../../lib/db/client";

const file = process.argv[2];
const db = new Database(file);
for (const pragma of SQLITE_PRAGMAS) db.pragma(pragma);

const insertSite = db.prepare(`INSERT INTO Site (slug, name, createdAt) VALUES (?, ?, ?) ON CONFLICT(slug) DO UPDATE SET slug = slug RETURNING id`);
const upsertDevice = db.prepare(
  `INSERT INTO Device (externalId, siteId, firstSeen, lastSeen, lastAt, skewed) VALUES (?, ?, ?, ?, ?, 0)
   ON CONFLICT(externalId) DO UPDATE SET siteId = excluded.siteId, lastSeen = excluded.lastSeen, lastAt = MAX(lastAt, excluded.lastAt)
   RETURNING id`,
);
const insertEvent = db.prepare(
  `INSERT INTO Event (deviceId, eventId, siteId, type, at, receivedAt, skewed, session, data)
   VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?) ON CONFLICT(deviceId, eventId) DO NOTHING`,
);

const siteIds = new Map<string, number>();

type Wire = { id: string; device: string; site: string; type: string; at: string; session?: string };

const storeBatch = db.transaction((events: Wire[], now: number) => {
  const batchDevices = new Map<string, number>();
  let accepted = 0;
  for (const e of events) {
    let siteId = siteIds.get(e.site);
    if (siteId === undefined) {
      siteId = (insertSite.get(e.site, e.site, now) as { id: number }).id;
      siteIds.set(e.site, siteId);
    }
    const at = Date.parse(e.at);
    let deviceId = batchDevices.get(e.device);
    if (deviceId === undefined) {
      deviceId = (upsertDevice.get(e.device, siteId, now, now, at) as { id: number }).id;
      batchDevices.set(e.device, deviceId);
    }
    const { id, device: _device, site: _site, type, at: _at, session, ...rest } = e;
    accepted += insertEvent.run(deviceId, id, siteId, type, at, now, session ?? null, JSON.stringify(rest)).changes;
  }
  return accepted;
});

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const { events } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { events: Wire[] };
    const accepted = storeBatch(events, Date.now());
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ accepted, duplicates: events.length - accepted, rejected: [] }));
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () => process.send!({ port: (server.address() as import("node:net").AddressInfo).port }));
process.on("disconnect", () => process.exit(0));
