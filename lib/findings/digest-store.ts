// The stored analysis digest (lib/analysis/digest.ts) and how it is kept: the journal_*
// triggers on Session write every change to what a session contributes into SessionJournal;
// `foldJournal` adds those changes up (the new contribution minus the old one), applies them
// to DigestCount and marks the cells they touched in DigestDirty, then deletes the journal rows
// it took — one transaction, so a crash folds a batch once or not at all. The sum does not
// depend on the order changes arrive in (out-of-order, replayed and late events change sessions,
// and only the final sessions count), so the stored digest always equals one rebuilt from the
// Session table (`rebuildDigest`, the full recompute for repairs and upgrades).
//
// Rows are kept for the analysis window plus a day; older ones are pruned, and changes that
// would land there are dropped.
import { ANALYSIS_WINDOW_MS } from "@/lib/analysis/window";
import { cellKey, DAY_MS, DigestBuilder, parseCellKey, rowDay, windowFirstDay, type DigestKind, type DigestRow } from "@/lib/analysis/digest";
import type { EndReason, SessionRecord } from "@/lib/analysis/types";
import type { Db } from "@/lib/db/client";
import { sqliteBackgroundTransaction } from "@/lib/db/write-queue";
import { msOf, placeholders, sqlArrays } from "@/lib/db/sql";

/** Journal rows taken per transaction: a bounded write, so ingest never waits long. */
const FOLD_BATCH = 20_000;

/** The first day the stored digest keeps at `now`. */
export function keptFirstDay(now: number): number {
  return windowFirstDay(now, ANALYSIS_WINDOW_MS) - 1;
}

/** A cell as stored: ids, with 0 and "" for none. */
export interface StoredCell {
  siteId: number;
  publicIp: string;
  cellDevice: number;
}

const cellOfKey = (key: string): StoredCell => {
  const c = parseCellKey(key);
  return { siteId: c.site === null ? 0 : Number(c.site), publicIp: c.publicIp ?? "", cellDevice: c.device === "" ? 0 : Number(c.device) };
};

/** A journal side as the digest reads a session: ids stand for names (device, site). */
function journalSession(deviceId: number, siteId: number | null, publicIp: string | null, end: number | null, durationS: number | null, endReason: string | null, idleS: number | null, maxIdleS: number | null): SessionRecord | null {
  if (end === null) return null;
  return {
    device: String(deviceId),
    site: siteId === null ? null : String(siteId),
    publicIp,
    session: "",
    start: 0,
    end,
    durationS,
    endReason: endReason as EndReason | null,
    idleS,
    maxIdleS,
    errno: null,
    endpoint: null,
  };
}

type JournalRow = [
  id: number,
  deviceId: number,
  oSiteId: number | null,
  oPublicIp: string | null,
  oEnd: number | null,
  oDurationS: number | null,
  oEndReason: string | null,
  oIdleS: number | null,
  oMaxIdleS: number | null,
  nSiteId: number | null,
  nPublicIp: string | null,
  nEnd: number | null,
  nDurationS: number | null,
  nEndReason: string | null,
  nIdleS: number | null,
  nMaxIdleS: number | null,
];

const JOURNAL_COLUMNS = (db: Db) =>
  `"id", "deviceId", "oSiteId", "oPublicIp", ${msOf(db, `"oEnd"`)}, "oDurationS", "oEndReason", "oIdleS", "oMaxIdleS",
   "nSiteId", "nPublicIp", ${msOf(db, `"nEnd"`)}, "nDurationS", "nEndReason", "nIdleS", "nMaxIdleS"`;

/** The net change of a batch of journal rows, as digest rows with signed counts (from `keptFrom` on). */
export function journalDelta(rows: readonly JournalRow[], keptFrom: number): DigestRow[] {
  const builder = new DigestBuilder();
  for (const r of rows) {
    const before = journalSession(r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8]);
    const after = journalSession(r[1], r[9], r[10], r[11], r[12], r[13], r[14], r[15]);
    if (before && Math.floor((before.end as number) / DAY_MS) >= keptFrom) builder.fold(before, -1);
    if (after && Math.floor((after.end as number) / DAY_MS) >= keptFrom) builder.fold(after, 1);
  }
  return builder.result();
}

interface StoredRow extends StoredCell {
  kind: string;
  t: number;
  bin: number;
  reason: string;
  flags: number;
  aux: number;
  deviceId: number;
  day: number;
  n: number;
}

function toStored(r: DigestRow): StoredRow {
  return { ...cellOfKey(r.cell), kind: r.kind, t: r.t, bin: r.bin, reason: r.reason, flags: r.flags, aux: r.aux, deviceId: r.device === "" ? 0 : Number(r.device), day: rowDay(r), n: r.n };
}

const KEY = `"siteId", "publicIp", "cellDevice", "kind", "t", "bin", "reason", "flags", "aux", "deviceId"`;

/** What one fold did. */
export interface FoldOutcome {
  journalRows: number;
  digestRows: number;
}

/**
 * Folds the whole journal (in bounded transactions) into the digest. Runs in one process at a
 * time (the scheduler's lock on PostgreSQL; one worker per SQLite file).
 */
export async function foldJournal(db: Db, now: number): Promise<FoldOutcome> {
  const total: FoldOutcome = { journalRows: 0, digestRows: 0 };
  const keptFrom = keptFirstDay(now);
  for (;;) {
    const one = db.provider === "sqlite" ? await foldSqlite(db, keptFrom) : await foldPostgres(db, keptFrom);
    total.journalRows += one.journalRows;
    total.digestRows += one.digestRows;
    if (one.journalRows < FOLD_BATCH) break;
  }
  await pruneDigest(db, keptFrom);
  return total;
}

function dirtyOf(rows: readonly StoredRow[]): StoredRow[] {
  // The cell, and for drops per device the device too (its own schedule scan).
  const out = new Map<string, StoredRow>();
  for (const r of rows) {
    const cell = { ...r, deviceId: 0 };
    out.set(`${r.siteId}|${r.publicIp}|${r.cellDevice}|0`, cell);
    if (r.kind === "idleDevice") out.set(`${r.siteId}|${r.publicIp}|${r.cellDevice}|${r.deviceId}`, r);
  }
  return [...out.values()];
}

async function foldSqlite(db: Extract<Db, { provider: "sqlite" }>, keptFrom: number): Promise<FoldOutcome> {
  const sqlite = db.sqlite;
  return sqliteBackgroundTransaction(sqlite, async () => {
    const journal = sqlite.prepare(`SELECT ${JOURNAL_COLUMNS(db)} FROM "SessionJournal" ORDER BY "id" LIMIT ?`).raw(true).all(FOLD_BATCH) as JournalRow[];
    if (journal.length === 0) return { journalRows: 0, digestRows: 0 };
    const delta = journalDelta(journal, keptFrom).map(toStored);
    const upsert = sqlite.prepare(
      `INSERT INTO "DigestCount" (${KEY}, "day", "n") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (${KEY}) DO UPDATE SET "n" = "n" + excluded."n" RETURNING "n"`,
    );
    const remove = sqlite.prepare(`DELETE FROM "DigestCount" WHERE (${KEY}) = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const r of delta) {
      const key = [r.siteId, r.publicIp, r.cellDevice, r.kind, r.t, r.bin, r.reason, r.flags, r.aux, r.deviceId];
      const { n } = upsert.get(...key, r.day, r.n) as { n: number };
      if (n === 0) remove.run(...key);
    }
    const dirty = sqlite.prepare(`INSERT OR IGNORE INTO "DigestDirty" ("siteId", "publicIp", "cellDevice", "deviceId") VALUES (?, ?, ?, ?)`);
    for (const d of dirtyOf(delta)) dirty.run(d.siteId, d.publicIp, d.cellDevice, d.deviceId);
    sqlite.prepare(`DELETE FROM "SessionJournal" WHERE "id" <= ?`).run(journal[journal.length - 1][0]);
    return { journalRows: journal.length, digestRows: delta.length };
  });
}

async function foldPostgres(db: Extract<Db, { provider: "postgresql" }>, keptFrom: number): Promise<FoldOutcome> {
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    // Exactly the rows taken are deleted: a row committed meanwhile with a lower id waits for the next fold.
    const taken = await client.query({
      text: `DELETE FROM "SessionJournal" WHERE "id" IN (SELECT "id" FROM "SessionJournal" ORDER BY "id" LIMIT $1 FOR UPDATE SKIP LOCKED)
             RETURNING ${JOURNAL_COLUMNS(db)}`,
      values: [FOLD_BATCH],
      rowMode: "array",
    });
    const journal = taken.rows as unknown as JournalRow[];
    if (journal.length === 0) {
      await client.query("COMMIT");
      return { journalRows: 0, digestRows: 0 };
    }
    const delta = journalDelta(journal, keptFrom).map(toStored);
    const column = <K extends keyof StoredRow>(k: K) => delta.map((r) => r[k]);
    const zero = await client.query<StoredRow>(
      `INSERT INTO "DigestCount" (${KEY}, "day", "n")
       SELECT * FROM unnest($1::int[], $2::text[], $3::int[], $4::text[], $5::int[], $6::int[], $7::text[], $8::int[], $9::int[], $10::int[], $11::int[], $12::int[])
       ON CONFLICT (${KEY}) DO UPDATE SET "n" = "DigestCount"."n" + excluded."n"
       RETURNING ${KEY}, "n"`,
      [column("siteId"), column("publicIp"), column("cellDevice"), column("kind"), column("t"), column("bin"), column("reason"), column("flags"), column("aux"), column("deviceId"), column("day"), column("n")],
    );
    const gone = zero.rows.filter((r) => r.n === 0);
    if (gone.length > 0) {
      const g = <K extends keyof StoredRow>(k: K) => gone.map((r) => r[k]);
      await client.query(
        `DELETE FROM "DigestCount" d USING unnest($1::int[], $2::text[], $3::int[], $4::text[], $5::int[], $6::int[], $7::text[], $8::int[], $9::int[], $10::int[])
           AS z("siteId", "publicIp", "cellDevice", "kind", "t", "bin", "reason", "flags", "aux", "deviceId")
         WHERE (d."siteId", d."publicIp", d."cellDevice", d."kind", d."t", d."bin", d."reason", d."flags", d."aux", d."deviceId")
             = (z."siteId", z."publicIp", z."cellDevice", z."kind", z."t", z."bin", z."reason", z."flags", z."aux", z."deviceId") AND d."n" = 0`,
        [g("siteId"), g("publicIp"), g("cellDevice"), g("kind"), g("t"), g("bin"), g("reason"), g("flags"), g("aux"), g("deviceId")],
      );
    }
    const dirty = dirtyOf(delta);
    await client.query(
      `INSERT INTO "DigestDirty" ("siteId", "publicIp", "cellDevice", "deviceId")
       SELECT * FROM unnest($1::int[], $2::text[], $3::int[], $4::int[]) ON CONFLICT DO NOTHING`,
      [dirty.map((d) => d.siteId), dirty.map((d) => d.publicIp), dirty.map((d) => d.cellDevice), dirty.map((d) => d.deviceId)],
    );
    await client.query("COMMIT");
    return { journalRows: journal.length, digestRows: delta.length };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function pruneDigest(db: Db, keptFrom: number): Promise<void> {
  // Bounded like the fold: a day of a big fleet is many rows.
  for (;;) {
    const deleted =
      db.provider === "sqlite"
        ? await sqliteBackgroundTransaction(db.sqlite, async () =>
            db.sqlite.prepare(`DELETE FROM "DigestCount" WHERE rowid IN (SELECT rowid FROM "DigestCount" WHERE "day" < ? LIMIT ?)`).run(keptFrom, FOLD_BATCH).changes,
          )
        : (await db.pool.query(`DELETE FROM "DigestCount" WHERE ctid IN (SELECT ctid FROM "DigestCount" WHERE "day" < $1 LIMIT $2)`, [keptFrom, FOLD_BATCH])).rowCount ?? 0;
    if (deleted < FOLD_BATCH) return;
  }
}

/** The dirty cells and devices, taken (deleted) in one go. */
export async function takeDirty(db: Db): Promise<{ cells: StoredCell[]; devices: Array<StoredCell & { deviceId: number }> }> {
  const rows =
    db.provider === "sqlite"
      ? await sqliteBackgroundTransaction(db.sqlite, async () => {
          const all = db.sqlite.prepare(`SELECT "siteId", "publicIp", "cellDevice", "deviceId" FROM "DigestDirty"`).all() as Array<StoredCell & { deviceId: number }>;
          db.sqlite.prepare(`DELETE FROM "DigestDirty"`).run();
          return all;
        })
      : (await db.pool.query<StoredCell & { deviceId: number }>(`DELETE FROM "DigestDirty" RETURNING "siteId", "publicIp", "cellDevice", "deviceId"`)).rows;
  return { cells: rows.filter((r) => r.deviceId === 0), devices: rows.filter((r) => r.deviceId !== 0) };
}

/** Which cells to read: all of some sites, all with some egress addresses, some site-less device cells. */
export interface DigestSelection {
  siteIds: number[];
  publicIps: string[];
  devices: number[];
  /** everything */
  all?: boolean;
}

/** The digest rows of a selection from `fromDay` on, with ids as the analysis names them (slug, external id). */
export async function loadDigest(db: Db, selection: DigestSelection, fromDay: number, names: Names): Promise<Map<string, DigestRow[]>> {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (!selection.all) {
    if (selection.siteIds.length) {
      parts.push(`"siteId" IN (${placeholders(selection.siteIds.length)})`);
      params.push(...selection.siteIds);
    }
    if (selection.publicIps.length) {
      parts.push(`"publicIp" IN (${placeholders(selection.publicIps.length)})`);
      params.push(...selection.publicIps);
    }
    if (selection.devices.length) {
      parts.push(`("siteId" = 0 AND "publicIp" = '' AND "cellDevice" IN (${placeholders(selection.devices.length)}))`);
      params.push(...selection.devices);
    }
    if (parts.length === 0) return new Map();
  }
  const where = selection.all ? "" : `(${parts.join(" OR ")}) AND `;
  const rows = await sqlArrays<[number, string, number, string, number, number, string, number, number, number, number]>(
    db,
    `SELECT ${KEY}, "n" FROM "DigestCount" WHERE ${where}"day" >= ? AND "n" <> 0`,
    [...params, fromDay],
  );
  const out = new Map<string, DigestRow[]>();
  const cells = new Map<string, string>();
  for (const [siteId, publicIp, cellDevice, kind, t, bin, reason, flags, aux, deviceId, n] of rows) {
    const id = `${siteId}|${publicIp}|${cellDevice}`;
    let cell = cells.get(id);
    if (cell === undefined) {
      cell = cellKey({ site: siteId === 0 ? null : names.site(siteId), publicIp: publicIp || null, device: cellDevice === 0 ? "" : names.device(cellDevice) });
      cells.set(id, cell);
    }
    const row: DigestRow = { kind: kind as DigestKind, cell, t, bin, reason, flags, aux, device: deviceId === 0 ? "" : names.device(deviceId), n };
    const list = out.get(cell);
    if (list) list.push(row);
    else out.set(cell, [row]);
  }
  return out;
}

/** Site slugs and device external ids by id, as the analysis names them. */
export interface Names {
  site(id: number): string;
  device(id: number): string;
}

/**
 * The full recompute: the digest rebuilt from the Session table (after an upgrade that changes
 * what the digest counts, or to repair one). Every cell comes out dirty, so the next cycle
 * analyses everything. Sessions are read in id order, in chunks.
 */
export async function rebuildDigest(db: Db, now: number): Promise<FoldOutcome> {
  const keptFrom = keptFirstDay(now);
  const from = keptFrom * DAY_MS;
  const builder = new DigestBuilder();
  let sessions = 0;
  for (let after = 0; ; ) {
    const chunk = await sqlArrays<[number, number, number | null, string | null, number | null, number | null, string | null, number | null, number | null]>(
      db,
      `SELECT "id", "deviceId", "siteId", "publicIp", ${msOf(db, `"end"`)}, "durationS", "endReason", "idleS", "maxIdleS"
       FROM "Session" WHERE "id" > ? AND "end" >= ${db.provider === "sqlite" ? "?" : "to_timestamp(?::float8 / 1000)"} ORDER BY "id" LIMIT 50000`,
      [after, from],
    );
    for (const [, deviceId, siteId, publicIp, end, durationS, endReason, idleS, maxIdleS] of chunk) {
      const s = journalSession(deviceId, siteId, publicIp, end, durationS, endReason, idleS, maxIdleS);
      if (s) builder.fold(s);
    }
    sessions += chunk.length;
    if (chunk.length < 50000) break;
    after = chunk[chunk.length - 1][0];
  }
  const rows = builder.result().map(toStored);
  const write = async (run: (sql: string, params: unknown[]) => Promise<void>) => {
    await run(`DELETE FROM "DigestCount"`, []);
    await run(`DELETE FROM "SessionJournal"`, []);
    await run(`DELETE FROM "DigestDirty"`, []);
    for (let i = 0; i < rows.length; i += 500) {
      const part = rows.slice(i, i + 500);
      await run(
        `INSERT INTO "DigestCount" (${KEY}, "day", "n") VALUES ${part.map(() => `(${placeholders(12)})`).join(", ")}`,
        part.flatMap((r) => [r.siteId, r.publicIp, r.cellDevice, r.kind, r.t, r.bin, r.reason, r.flags, r.aux, r.deviceId, r.day, r.n]),
      );
    }
    for (const d of dirtyOf(rows)) await run(`INSERT INTO "DigestDirty" ("siteId", "publicIp", "cellDevice", "deviceId") VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, [d.siteId, d.publicIp, d.cellDevice, d.deviceId]);
  };
  if (db.provider === "sqlite") {
    await sqliteBackgroundTransaction(db.sqlite, () => write(async (sql, params) => void db.sqlite.prepare(sql).run(...params)));
  } else {
    const client = await db.pool.connect();
    try {
      await client.query("BEGIN");
      await write(async (sql, params) => {
        let n = 0;
        await client.query(sql.replace(/\?/g, () => `$${++n}`), params);
      });
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
  return { journalRows: sessions, digestRows: rows.length };
}

/** Names both ways, loaded once per run. */
export interface NameIndex extends Names {
  siteIdOf(slug: string): number | undefined;
  deviceIdOf(externalId: string): number | undefined;
}

/** Site slugs and device external ids for ids, loaded once per run. */
export async function loadNames(db: Db): Promise<NameIndex> {
  const [sites, devices] = await Promise.all([
    sqlArrays<[number, string]>(db, `SELECT "id", "slug" FROM "Site"`, []),
    sqlArrays<[number, string]>(db, `SELECT "id", "externalId" FROM "Device"`, []),
  ]);
  const site = new Map(sites);
  const device = new Map(devices);
  const bySlug = new Map(sites.map(([id, slug]) => [slug, id]));
  const byExternal = new Map(devices.map(([id, externalId]) => [externalId, id]));
  return {
    site: (id) => site.get(id) ?? String(id),
    device: (id) => device.get(id) ?? String(id),
    siteIdOf: (slug) => bySlug.get(slug),
    deviceIdOf: (externalId) => byExternal.get(externalId),
  };
}
